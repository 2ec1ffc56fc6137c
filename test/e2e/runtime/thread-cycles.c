// Threads come and go, leaving by return, by pthread_exit deep in
// instrumented frames, and by cancellation deep in instrumented frames
// (with instrumented cleanup handlers), on glibc's stacks and on stacks the
// program maps at fresh addresses and unmaps after the join: each thread's
// exit releases its stack's shadow, so the mappings count stays flat. No
// false alarm. 10,000 cycles run directly on this machine (without
// protection keys where it has none: the same mirroring and releasing);
// the emulated machine, which starts a thread in about 0.15 s, runs 400.
//
// REQUIRES: pku
// RUN: %pkguard_cc --pkguard-stats --pkguard-shadow-stack=all -O2 %s -o %t 2>&1 | FileCheck %s --check-prefix=STATS
// RUN: %t 10000 | FileCheck %s --check-prefix=MANY
// RUN: env PKGUARD_OPTIONS=verbose=1 %pkrun %t 400 2> %t.err | FileCheck %s
// RUN: FileCheck %s --check-prefix=MODE < %t.err
// STATS: pkguard: stats: shadow stack (all) in '{{.*}}thread-cycles.c': {{[0-9]+}} instrumented,
// MODE: pkguard: mode: protected
// MANY: 10000 threads: 2500 returned, 2500 exited, 2500 cancelled, 2500 on the program's stacks; cleanups 2500
// MANY-NEXT: mappings grew by {{[0-3]$}}
// CHECK: 400 threads: 100 returned, 100 exited, 100 cancelled, 100 on the program's stacks; cleanups 100
// CHECK-NEXT: mappings grew by {{[0-3]$}}
#define _GNU_SOURCE
#include "Inputs/mappings.h"
#include <pthread.h>
#include <semaphore.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

enum { kDepth = 60, kStackSize = 256 * 1024 };

static sem_t deep;
static volatile int cleanups;

static void count_cleanup(void *unused) {
  (void)unused;
  char frame[32];
  memset(frame, 1, sizeof frame);
  cleanups += frame[5];
}

enum Way { kReturn, kExit, kCancel, kOwnStack };

__attribute__((noinline)) static long recurse(int depth, enum Way way) {
  char frame[48];
  memset(frame, depth, sizeof frame);
  if (depth == 0) {
    if (way == kExit)
      pthread_exit((void *)2);
    if (way == kCancel) {
      pthread_cleanup_push(count_cleanup, NULL);
      sem_post(&deep);
      for (;;)
        pause(); // a cancellation point
      pthread_cleanup_pop(0);
    }
    return 1;
  }
  return recurse(depth - 1, way) + (frame[7] != depth);
}

static void *work(void *way) { return (void *)recurse(kDepth, (enum Way)(long)way); }

int main(int argc, char **argv) {
  int threads = argc > 1 ? atoi(argv[1]) : 0;
  sem_init(&deep, 0, 0);
  int ways[4] = {0, 0, 0, 0};
  int before = 0;
  for (int i = 0; i < threads; ++i) {
    enum Way way = (enum Way)(i % 4);
    pthread_attr_t attributes;
    pthread_attr_init(&attributes);
    void *stack = NULL;
    if (way == kOwnStack) {
      char *hint = (char *)0x200000000000 + (size_t)i * 2 * kStackSize;
      stack = mmap(hint, kStackSize, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
      pthread_attr_setstack(&attributes, stack, kStackSize);
    }
    pthread_t thread;
    if (pthread_create(&thread, &attributes, work, (void *)(long)way) != 0)
      return 1;
    pthread_attr_destroy(&attributes);
    if (way == kCancel) {
      sem_wait(&deep);
      pthread_cancel(thread);
    }
    void *result;
    pthread_join(thread, &result);
    if (stack)
      munmap(stack, kStackSize);
    long expected = way == kExit ? 2 : 1;
    if (way == kCancel ? result != PTHREAD_CANCELED : (long)result != expected)
      return 2;
    ++ways[way];
    // Counted once the first threads have made glibc's and pkguard's own
    // mappings (the stack cache, the rights pool).
    if (i == 8)
      before = count_mappings();
  }
  printf("%d threads: %d returned, %d exited, %d cancelled, %d on the "
         "program's stacks; cleanups %d\n",
         threads, ways[kReturn], ways[kExit], ways[kCancel], ways[kOwnStack],
         cleanups);
  printf("mappings grew by %d\n", count_mappings() - before);
  return 0;
}
