// 100,000 nested instrumented frames on the main stack, and a thread that
// recurses until just short of its own stack size: the shadow covers the
// whole stack, down to its limit.
//
// REQUIRES: pku
// RUN: %pkguard_cc --pkguard-stats --pkguard-shadow-stack=all -O0 %s -o %t.O0 2>&1 | FileCheck %s --check-prefix=STATS
// RUN: %pkguard_cc --pkguard-stats --pkguard-shadow-stack=all -O2 %s -o %t.O2 2>&1 | FileCheck %s --check-prefix=STATS
// RUN: %pkrun %t.O0 | FileCheck %s
// RUN: env PKGUARD_OPTIONS=verbose=1 %pkrun %t.O2 2> %t.err | FileCheck %s
// RUN: FileCheck %s --check-prefix=MODE < %t.err
// CHECK: main stack: 100000 frames
// CHECK-NEXT: thread stack: {{[0-9]+}} frames in 8 MiB
// It ran under protection keys, and its functions are instrumented:
// MODE: pkguard: mode: protected (shadow stack under protection key {{[0-9]+}})
// STATS: pkguard: stats: shadow stack (all) in '{{.*}}deep-recursion.c': {{[1-9][0-9]*}} instrumented,
#define _GNU_SOURCE
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static char *stack_floor;

__attribute__((noinline)) static long down(long depth) {
  char frame[32];
  memset(frame, (int)depth, sizeof frame);
  if (depth == 0)
    return 0;
  return 1 + down(depth - 1) + (frame[9] != (char)depth);
}

// Recurses until within 64 KiB of the bottom of the stack.
__attribute__((noinline)) static long to_the_floor(void) {
  char frame[64];
  memset(frame, 1, sizeof frame);
  if (frame - stack_floor < 64 * 1024)
    return 1;
  return 1 + to_the_floor() - (frame[5] == 0);
}

static void *thread(void *unused) {
  (void)unused;
  pthread_attr_t attributes;
  void *low;
  size_t size;
  pthread_getattr_np(pthread_self(), &attributes);
  pthread_attr_getstack(&attributes, &low, &size);
  stack_floor = low;
  return (void *)to_the_floor();
}

int main(void) {
  printf("main stack: %ld frames\n", down(100000));
  pthread_attr_t attributes;
  pthread_attr_init(&attributes);
  pthread_attr_setstacksize(&attributes, 8 << 20);
  pthread_t t;
  void *frames;
  pthread_create(&t, &attributes, thread, NULL);
  pthread_join(t, &frames);
  printf("thread stack: %ld frames in 8 MiB\n", (long)frames);
  return 0;
}
