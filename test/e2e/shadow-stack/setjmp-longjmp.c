// longjmp leaves several instrumented frames at once; the frame that called
// setjmp then returns through its own, untouched, shadow slot. No false
// alarm, repeatedly, and from a signal handler with siglongjmp.
//
// REQUIRES: pku
// RUN: %pkguard_cc --pkguard-stats --pkguard-shadow-stack=all -O0 %s -o %t.O0 2>&1 | FileCheck %s --check-prefix=STATS
// RUN: %pkguard_cc --pkguard-stats --pkguard-shadow-stack=all -O2 %s -o %t.O2 2>&1 | FileCheck %s --check-prefix=STATS
// RUN: %pkrun %t.O0 | FileCheck %s
// RUN: env PKGUARD_OPTIONS=verbose=1 %pkrun %t.O2 2> %t.err | FileCheck %s
// RUN: FileCheck %s --check-prefix=MODE < %t.err
// CHECK: jumped out 100 times through 8 frames
// CHECK-NEXT: siglongjmp out of a handler: 1
// CHECK-NEXT: all returned
// It ran under protection keys, and its functions are instrumented:
// MODE: pkguard: mode: protected (shadow stack under protection key {{[0-9]+}})
// STATS: pkguard: stats: shadow stack (all) in '{{.*}}setjmp-longjmp.c': {{[1-9][0-9]*}} instrumented,
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

static jmp_buf target;
static sigjmp_buf signal_target;

__attribute__((noinline)) static void descend(int depth) {
  char frame[16];
  memset(frame, depth, sizeof frame);
  if (depth == 0)
    longjmp(target, 1);
  descend(depth - 1);
  frame[1] += 1; // keep the frame alive
}

__attribute__((noinline)) static int catch_jump(void) {
  char frame[16];
  memset(frame, 0, sizeof frame);
  if (setjmp(target) == 0) {
    descend(7);
    return 0;
  }
  return 1 + frame[0];
}

static void on_signal(int sig) {
  char frame[16];
  memset(frame, sig, sizeof frame);
  siglongjmp(signal_target, 1);
}

__attribute__((noinline)) static int leave_handler(void) {
  char frame[16];
  memset(frame, 0, sizeof frame);
  signal(SIGUSR1, on_signal);
  if (sigsetjmp(signal_target, 1) == 0) {
    raise(SIGUSR1);
    return 0;
  }
  return 1 + frame[0];
}

int main(void) {
  int jumps = 0;
  for (int i = 0; i < 100; ++i)
    jumps += catch_jump();
  printf("jumped out %d times through 8 frames\n", jumps);
  printf("siglongjmp out of a handler: %d\n", leave_handler());
  printf("all returned\n");
  return 0;
}
