// makecontext/swapcontext coroutines on stacks the program allocated itself
// (malloc'd and mmap'd, never registered with pkguard) run instrumented code
// with no source change: each stack's first instrumented call on a page
// maps that page's shadow, under the shadow-stack key. Coroutine stacks are
// unmapped and made again in a loop, and the shadow goes with them (the
// mappings count does not grow). Without protection keys the same program
// runs unchanged. Elision is off: the recursion here is provably safe, and
// the point is instrumented code on those stacks.
//
// REQUIRES: pku
// RUN: %pkguard_cc --pkguard-stats --pkguard-shadow-stack=all -mllvm -pkguard-shadow-stack-elide=none -O0 %s -o %t.O0 2>&1 | FileCheck %s --check-prefix=STATS
// RUN: %pkguard_cc --pkguard-stats --pkguard-shadow-stack=all -mllvm -pkguard-shadow-stack-elide=none -O2 %s -o %t.O2 2>&1 | FileCheck %s --check-prefix=STATS
// RUN: %pkrun %t.O0 | FileCheck %s
// RUN: env PKGUARD_OPTIONS=verbose=1 %pkrun %t.O2 2> %t.err | FileCheck %s
// RUN: FileCheck %s --check-prefix=MODE < %t.err
// RUN: env PKGUARD_OPTIONS=use_pku=0 %pkrun %t.O2 | FileCheck %s
// The twin unmaps the stacks with the raw system call, past pkguard's
// munmap: their shadows stay, and the mappings count grows.
// RUN: %pkrun %t.O2 raw-munmap | FileCheck %s --check-prefix=KEPT
// STATS: pkguard: stats: shadow stack (all) in '{{.*}}coroutines.c': {{[4-9]}} instrumented,
// MODE: pkguard: mode: protected
// CHECK: ping-pong on malloc'd stacks: 200 switches, total 1164200
// CHECK-NEXT: mmap'd stacks made and unmapped: 2000, mappings grew by {{[0-2]$}}
// KEPT: mmap'd stacks made and unmapped: 2000, mappings grew by {{[0-9]{3,}$}}
#define _GNU_SOURCE
#include "Inputs/mappings.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <ucontext.h>
#include <unistd.h>

enum { kStackSize = 128 * 1024, kCoroutines = 4, kRounds = 50 };

static ucontext_t main_context, contexts[kCoroutines];
static long totals[kCoroutines];

__attribute__((noinline)) static long recurse(int depth) {
  char frame[64];
  memset(frame, depth, sizeof frame);
  return depth == 0 ? frame[1] : recurse(depth - 1) + frame[2];
}

// Each round recurses (touching stack pages that have no shadow yet on the
// first round) and yields to main, which resumes the next coroutine.
static void coroutine(int id) {
  for (int round = 0; round < kRounds; ++round) {
    totals[id] += recurse(100 + id * 20);
    swapcontext(&contexts[id], &main_context);
  }
}

static int raw_munmap(void *address, size_t length) {
  return (int)syscall(SYS_munmap, address, length);
}

static void run_once_on(void *stack) {
  ucontext_t context;
  getcontext(&context);
  context.uc_stack.ss_sp = stack;
  context.uc_stack.ss_size = kStackSize;
  context.uc_link = &main_context;
  makecontext(&context, (void (*)(void))recurse, 1, 300);
  swapcontext(&main_context, &context);
}

int main(int argc, char **argv) {
  int (*unmap)(void *, size_t) = munmap;
  if (argc > 1 && !strcmp(argv[1], "raw-munmap"))
    unmap = raw_munmap;
  for (int id = 0; id < kCoroutines; ++id) {
    getcontext(&contexts[id]);
    contexts[id].uc_stack.ss_sp = malloc(kStackSize);
    contexts[id].uc_stack.ss_size = kStackSize;
    contexts[id].uc_link = &main_context;
    makecontext(&contexts[id], (void (*)(void))coroutine, 1, id);
  }
  int switches = 0;
  for (int round = 0; round < kRounds; ++round)
    for (int id = 0; id < kCoroutines; ++id, ++switches)
      swapcontext(&main_context, &contexts[id]);
  long total = 0;
  for (int id = 0; id < kCoroutines; ++id)
    total += totals[id];
  printf("ping-pong on malloc'd stacks: %d switches, total %ld\n", switches,
         total);

  // Warm up once, so that stdio's and the runtime's own mappings exist.
  void *stack = mmap(NULL, kStackSize, PROT_READ | PROT_WRITE,
                     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  run_once_on(stack);
  munmap(stack, kStackSize);
  int before = count_mappings();
  enum { kStacks = 2000 };
  for (int i = 0; i < kStacks; ++i) {
    // Each stack at a fresh address, as a long-running program's would be:
    // a shadow left behind would never be reused.
    char *hint = (char *)0x200000000000 + (size_t)i * 2 * kStackSize;
    stack = mmap(hint, kStackSize, PROT_READ | PROT_WRITE,
                 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
    if (stack != hint) {
      perror("mmap at a fresh address");
      return 1;
    }
    run_once_on(stack);
    unmap(stack, kStackSize);
  }
  printf("mmap'd stacks made and unmapped: %d, mappings grew by %d\n", kStacks,
         count_mappings() - before);
  return 0;
}
