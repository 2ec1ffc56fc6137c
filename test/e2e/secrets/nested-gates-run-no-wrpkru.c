// A gate entered while its domain is already open changes nothing, and runs
// no WRPKRU for the gate (docs/sequences.md): it pushes no saved rights, and
// its exits, finding no entry of their own on top, pop nothing. Only its
// shadow-stack part may open a window, as any prologue does when its slot
// does not hold the return address yet. The same for the C API: a scope
// opened where its domain is open. A parent single-steps a child and counts
// the WRPKRUs it executes:
// - an outer gate calling an inner gate of its domain once, then 50 times
//   from one call site: the 49 more inner gates add none;
// - a gate recursing 20 deep, once, then twice: the second recursion adds
//   only its outermost entry and exit (2 WRPKRU each), which open the
//   domain and close it again;
// - a scope, and 49 more scopes nested in it, of a heap secret's domain:
//   none more.
// The values read show each gate and scope had its domain open; the counts
// for one call show the code was instrumented. Correctness of nesting,
// closing and the twin without keys: gates-nested.c.
//
// REQUIRES: pku
// RUN: %pkguard_cc --pkguard-stats -O2 %s -o %t.O2 2>&1 | FileCheck %s --check-prefix=STATS
// RUN: %pkguard_cc -O0 %s -o %t.O0
// RUN: %pkrun %t.O2 2>&1 | FileCheck %s
// RUN: %pkrun %t.O0 2>&1 | FileCheck %s
// STATS: pkguard: stats: secrets in '{{.*}}nested-gates-run-no-wrpkru.c': 1 secrets placed, 3 gates instrumented, 1 domains
// CHECK: outer gate, one inner gate: {{[4-9]|[1-9][0-9]+}} WRPKRU
// CHECK-NEXT: 49 more inner gates: 0 more WRPKRU
// CHECK-NEXT: a second recursion 20 deep: 4 more WRPKRU
// CHECK-NEXT: one scope in a scope: {{[1-9][0-9]*}} WRPKRU
// CHECK-NEXT: 49 more nested scopes: 0 more WRPKRU
// CHECK-NEXT: read right: yes
#include "../Inputs/count-wrpkru.h"

#include <pkguard/pkguard.h>
#include <stdio.h>

[[secret]] int pin = 7;

static volatile int read_wrong;

[[pkguard::secret_access]] __attribute__((noinline)) int inner(void) {
  return pin;
}

[[pkguard::secret_access]] __attribute__((noinline)) int outer(int count) {
  int sum = 0;
  for (int i = 0; i < count; ++i)
    sum += inner();
  return sum;
}

[[pkguard::secret_access]] __attribute__((noinline)) int recurse(int depth) {
  return depth == 0 ? pin : recurse(depth - 1) + (pin == 7);
}

// A heap secret: the C API's domains are the heap's.
static int *heap_pin;

static void gates(long count) {
  if (outer((int)count) != 7 * count)
    read_wrong = 1;
}

static void recursions(long count) {
  for (long i = 0; i < count; ++i)
    if (recurse(20) != 27)
      read_wrong = 1;
}

static void scopes(long count) {
  pkguard_secret_scope outer_scope = pkguard_secret_open("pins");
  for (long i = 0; i < count; ++i) {
    pkguard_secret_scope scope = pkguard_secret_open("pins");
    if (*(volatile int *)heap_pin != 7)
      read_wrong = 1;
    pkguard_secret_close(scope);
  }
  pkguard_secret_close(outer_scope);
}

int main(void) {
  heap_pin = pkguard_secret_alloc("pins", sizeof *heap_pin);
  pkguard_secret_scope writing = pkguard_secret_open("pins");
  *heap_pin = 7;
  pkguard_secret_close(writing);
  long one_inner = count_wrpkru(gates, 1);
  long fifty_inner = count_wrpkru(gates, 50);
  long one_recursion = count_wrpkru(recursions, 1);
  long two_recursions = count_wrpkru(recursions, 2);
  long one_scope = count_wrpkru(scopes, 1);
  long fifty_scopes = count_wrpkru(scopes, 50);
  printf("outer gate, one inner gate: %ld WRPKRU\n", one_inner);
  printf("49 more inner gates: %ld more WRPKRU\n", fifty_inner - one_inner);
  printf("a second recursion 20 deep: %ld more WRPKRU\n",
         two_recursions - one_recursion);
  printf("one scope in a scope: %ld WRPKRU\n", one_scope);
  printf("49 more nested scopes: %ld more WRPKRU\n", fifty_scopes - one_scope);
  gates(3);
  recursions(1);
  scopes(3);
  printf("read right: %s\n", read_wrong ? "NO" : "yes");
  return 0;
}
