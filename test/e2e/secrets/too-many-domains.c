// Each domain takes a protection key, and a process has 15, one of them
// for the shadow stack. A program whose modules together need more stops
// at start-up, naming the domains it has, before main runs; each module
// alone is fine.
//
// REQUIRES: pku
// RUN: %pkguard_cc -O2 -c %S/Inputs/eight-more-domains.c -o %t.more.o
// RUN: %pkguard_cc -O2 %s -o %t.alone
// RUN: %pkguard_cc -O2 %s %t.more.o -o %t.both
// RUN: %pkrun %t.alone | FileCheck %s --check-prefix=ALONE
// RUN: not --crash %pkrun %t.both 2>&1 | FileCheck %s --check-prefix=BOTH
// ALONE: main ran with 8 domains
// BOTH: pkguard: ERROR: too many secret domains: no protection key is left for domain '{{[ab][0-9]}}' (errno 28); the program already has 'a1', 'a2', 'a3', 'a4', 'a5', 'a6', 'a7', 'a8', 'b1',
// BOTH-NOT: main ran
#include <stdio.h>

#define SECRET(domain) [[pkguard::secret(#domain)]] int secret_##domain = 1;
SECRET(a1) SECRET(a2) SECRET(a3) SECRET(a4)
SECRET(a5) SECRET(a6) SECRET(a7) SECRET(a8)

int main(void) {
  printf("main ran with 8 domains\n");
  return 0;
}
