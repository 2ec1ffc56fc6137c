// A gate that runs before its module has registered its secrets (here from
// the constructor of a library the program links against) fails closed: it
// opens nothing and stops with a report, instead of running with every key
// open. Called after registration, the same gate works.
//
// REQUIRES: pku
// RUN: %pkguard_cc -O2 -fPIC -shared %S/Inputs/early-gate-caller.c -o %t.so
// RUN: %pkguard_cc -O2 -rdynamic %s %t.so -o %t
// RUN: %pkrun %t | FileCheck %s
// RUN: env PKGUARD_TEST_EARLY_GATE=1 not --crash %pkrun %t 2>&1 | FileCheck %s --check-prefix=EARLY
// CHECK: late gate: 7
// EARLY: pkguard: ERROR: gate read_program_secret of domain 'default' ran before its module registered its secrets
// EARLY-NOT: early gate:
#include <stdio.h>

[[secret]] int program_secret = 7;
[[pkguard::secret_access]] int read_program_secret(void) {
  return program_secret;
}

int main(void) {
  printf("late gate: %d\n", read_program_secret());
  return 0;
}
