// The shadow that a coroutine's stack gets on its first instrumented call
// (no pkguard_register_stack) is write-disabled under the shadow-stack key
// like every other: an arbitrary write to it faults and is reported. The
// twin runs without protection keys, where the same write lands.
//
// REQUIRES: pku
// RUN: %pkguard_cc --pkguard-stats --pkguard-shadow-stack=all -O2 %s -o %t 2>&1 | FileCheck %s --check-prefix=STATS
// RUN: not --crash %pkrun %t 2>&1 | FileCheck %s --implicit-check-not=overwritten
// RUN: env PKGUARD_OPTIONS=use_pku=0 %pkrun %t 2>&1 | FileCheck %s --check-prefix=TWIN
// STATS: pkguard: stats: shadow stack (all) in '{{.*}}coroutine-shadow-write.c': 3 instrumented,
// CHECK: pkguard: ERROR: write to the shadow stack at 0x{{[0-9a-f]+}} (SEGV_PKUERR, protection key {{[0-9]+}}) in attack
// TWIN: shadow overwritten
#include <pkguard/pkguard.h>
#include <stdio.h>
#include <stdlib.h>
#include <ucontext.h>

static ucontext_t main_context, coroutine_context;

// The attacker's write: the shadow copy of this frame's own return address.
__attribute__((noinline)) static void attack(void) {
  void **shadow = pkguard_shadow_address(__builtin_frame_address(0) + 8);
  *(void *volatile *)shadow = (void *)0x4141;
  printf("shadow overwritten\n");
  *(void *volatile *)shadow = __builtin_return_address(0);
}

static void coroutine(void) { attack(); }

int main(void) {
  enum { kStackSize = 64 * 1024 };
  getcontext(&coroutine_context);
  coroutine_context.uc_stack.ss_sp = malloc(kStackSize);
  coroutine_context.uc_stack.ss_size = kStackSize;
  coroutine_context.uc_link = &main_context;
  makecontext(&coroutine_context, coroutine, 0);
  swapcontext(&main_context, &coroutine_context);
  return 0;
}
