// Rule 'safe-callees' keeps a function when anything it calls, however
// indirectly, may write where it is told. outer() writes nothing itself
// and calls relay(), which writes nothing itself and calls poke(), an
// arbitrary-write bug. Given outer()'s return-address slot, poke()
// overwrites it and returns normally; outer()'s own check stops the
// return. twice(), which calls only a proven leaf, is proven safe in the
// same build, which shows that elision is on. Without pkguard outer()
// returns into win().
//
// REQUIRES: pku
// RUN: %clang -O2 -fno-stack-protector %s -o %t.unprotected
// RUN: not %pkrun %t.unprotected attack | FileCheck %s --check-prefix=HIJACKED
// RUN: %pkrun %t.unprotected attack > /dev/null; test $? -eq 42
//
// RUN: %pkguard_cc --pkguard-stats --pkguard-shadow-stack=all -O2 %s -o %t 2>&1 | FileCheck %s --check-prefix=STATS
// RUN: %pkrun %t | FileCheck %s --check-prefix=BENIGN
// RUN: not --crash %pkrun %t attack 2>&1 | FileCheck %s --check-prefix=STOPPED
//
// HIJACKED: hijacked: control reached win()
// BENIGN: returned normally, twice
// STOPPED: pkguard: ERROR: return address mismatch in outer
// STOPPED-NEXT: pkguard:   found    0x{{[0-9a-f]+}} (win+0x0 in {{.*}})
// STOPPED-NOT: hijacked
// STOPPED: SUMMARY: pkguard: return-address-mismatch in outer
// main(), outer(), relay() and poke() keep their shadow stacks; scale()
// (leaf) and twice() (safe callees) are proven safe.
// STATS: pkguard: stats: shadow stack (all) in '{{.*}}elide-safe-callees-kept.c': 4 instrumented, 0 elided by policy, 2 proven safe (1 leaf, 1 safe-callees), 1 skipped (1 never returns)
#include "../Inputs/attack.h"

static uintptr_t harmless;

__attribute__((noinline)) static void poke(volatile uintptr_t *where,
                                           uintptr_t what) {
  *where = what;
}

__attribute__((noinline)) static void relay(volatile uintptr_t *where,
                                            uintptr_t what) {
  poke(where, what);
}

__attribute__((noinline)) static void outer(int attack) {
  uintptr_t *slot = (uintptr_t *)__builtin_frame_address(0) + 1;
  relay(attack ? slot : &harmless, (uintptr_t)&win);
}

__attribute__((noinline)) static int scale(int x) { return 3 * x + 1; }

__attribute__((noinline)) static int twice(int x) {
  return scale(x) + scale(x + 1);
}

int main(int argc, char **argv) {
  (void)argv;
  outer(argc > 1);
  printf("returned normally, twice %d\n", twice(argc));
  return 0;
}
