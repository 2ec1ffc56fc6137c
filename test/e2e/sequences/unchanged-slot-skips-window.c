// A prologue opens its window only when the window would change something
// (docs/sequences.md): when its shadow slot already holds the return address
// (the same call site at the same depth, as in a loop) and PKRU is the
// thread's rights, it runs no WRPKRU. A parent single-steps a child and
// counts the WRPKRUs it executes around a loop of 1 and of 50 calls to an
// instrumented function: from one call site, the 49 extra calls add none;
// from two call sites taken in turn, which share one slot (the same stack
// depth) but not one return address, each extra call misses and opens its
// window, 2 WRPKRUs a call. A single call's count shows the code was
// instrumented at all.
//
// REQUIRES: pku
// RUN: %pkguard_cc --pkguard-stats --pkguard-shadow-stack=all -O2 %s -o %t.O2 2>&1 | FileCheck %s --check-prefix=STATS
// RUN: %pkguard_cc --pkguard-shadow-stack=all -O0 %s -o %t.O0
// RUN: %pkrun %t.O2 2>&1 | FileCheck %s
// RUN: %pkrun %t.O0 2>&1 | FileCheck %s
// STATS: pkguard: stats: shadow stack (all) in '{{.*}}unchanged-slot-skips-window.c': {{[1-9][0-9]*}} instrumented
// CHECK: one call from one site: {{[2-9]|[1-9][0-9]+}} WRPKRU
// CHECK-NEXT: 49 more calls from one site: 0 more WRPKRU
// CHECK-NEXT: 49 more calls from two sites in turn: 98 more WRPKRU
#include "../Inputs/count-wrpkru.h"

#include <stdio.h>
#include <string.h>

// A buffer whose address escapes: no elision rule can prove these safe.
__attribute__((noinline)) int leaf(int x) {
  char buffer[16];
  memset(buffer, x, sizeof buffer);
  __asm__ volatile("" ::"r"(buffer) : "memory");
  return buffer[3] + 1;
}

__attribute__((noinline)) int other_leaf(int x) {
  char buffer[24];
  memset(buffer, x, sizeof buffer);
  __asm__ volatile("" ::"r"(buffer) : "memory");
  return buffer[5] + 2;
}

enum Sites { OneSite, TwoSites };

__attribute__((noinline)) int calls(enum Sites sites, int count) {
  int sum = 0;
  for (int i = 0; i < count; ++i) {
    if (sites == TwoSites && (i & 1))
      sum += other_leaf(i);
    else
      sum += leaf(i);
  }
  return sum;
}

static void one_site(long count) { calls(OneSite, (int)count); }
static void two_sites(long count) { calls(TwoSites, (int)count); }

int main(void) {
  long one = count_wrpkru(one_site, 1);
  long fifty = count_wrpkru(one_site, 50);
  long one_two_sites = count_wrpkru(two_sites, 1);
  long fifty_two_sites = count_wrpkru(two_sites, 50);
  printf("one call from one site: %ld WRPKRU\n", one);
  printf("49 more calls from one site: %ld more WRPKRU\n", fifty - one);
  printf("49 more calls from two sites in turn: %ld more WRPKRU\n",
         fifty_two_sites - one_two_sites);
  return 0;
}
