// With -flto the pass instruments each object before the link, so the
// link-time optimiser must not inline an instrumented function: inlined
// into `copy_then_sum` after the overflow, its prologue would copy the
// corrupted return address into `copy_then_sum`'s shadow, and the check
// would pass. The attack is stopped with both kinds of LTO.
//
// REQUIRES: pku
// RUN: %pkguard_cc --pkguard-stats -O2 -flto=thin -fuse-ld=lld -c %s -o %t.thin.o 2>&1 | FileCheck %s --check-prefix=STATS
// RUN: %pkguard_cc -O2 -flto=thin -fuse-ld=lld -c %S/Inputs/lto-inlined-helper.c -o %t.thin-helper.o
// RUN: %pkguard_cc -O2 -flto=thin -fuse-ld=lld %t.thin.o %t.thin-helper.o -o %t.thin
// RUN: %pkguard_cc -O2 -flto -fuse-ld=lld -c %s -o %t.full.o
// RUN: %pkguard_cc -O2 -flto -fuse-ld=lld -c %S/Inputs/lto-inlined-helper.c -o %t.full-helper.o
// RUN: %pkguard_cc -O2 -flto -fuse-ld=lld %t.full.o %t.full-helper.o -o %t.full
// RUN: %pkrun %t.thin | FileCheck %s --check-prefix=BENIGN
// RUN: not --crash %pkrun %t.thin attack 2>&1 | FileCheck %s --check-prefix=STOPPED
// RUN: not --crash %pkrun %t.full attack 2>&1 | FileCheck %s --check-prefix=STOPPED
// With the shadow stack off the same attack reaches win().
// RUN: %pkguard_cc --pkguard-shadow-stack=none -O2 -flto -fuse-ld=lld %s %S/Inputs/lto-inlined-helper.c -o %t.unprotected
// RUN: %pkrun %t.unprotected attack > /dev/null; test $? -eq 42
// BENIGN: returned normally
// STOPPED: pkguard: ERROR: return address mismatch in copy_then_sum
// STATS: pkguard: stats: shadow stack (strong) in '{{.*}}lto-inlining.c': 1 instrumented,
#include "../Inputs/attack.h"

int sum_bytes(const char *bytes);

// The bug of vulnerable(), then a call that the optimiser would inline.
__attribute__((noinline)) int copy_then_sum(const void *input, size_t length) {
  char buffer[16];
  memcpy(buffer, input, length);
  __asm__ volatile("" : : "r"(buffer) : "memory");
  return sum_bytes(buffer);
}

int main(int argc, char **argv) {
  (void)argv;
  printf("%d\n", copy_then_sum(hijack_payload(), argc > 1 ? PAYLOAD_SIZE : 16));
  printf("returned normally\n");
  return 0;
}
