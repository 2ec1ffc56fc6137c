// A stack that pkguard does not create (a makecontext coroutine's) may be
// registered with pkguard_register_stack, which mirrors all of it at once;
// without it, each page of the stack gets its shadow on its first
// instrumented call (test/e2e/runtime/coroutines.c). Either way the
// coroutine runs. Every function is instrumented here (policy 'all',
// elision off), the coroutine too.
//
// REQUIRES: pku
// RUN: %pkguard_cc --pkguard-stats --pkguard-shadow-stack=all -mllvm -pkguard-shadow-stack-elide=none -O0 %s -o %t.O0 2>&1 | FileCheck %s --check-prefix=STATS
// RUN: %pkguard_cc --pkguard-shadow-stack=all -mllvm -pkguard-shadow-stack-elide=none -O2 %s -o %t.O2
// RUN: %pkrun %t.O0 register | FileCheck %s
// RUN: %pkrun %t.O2 register | FileCheck %s
// RUN: %pkrun %t.O2 | FileCheck %s
// STATS: pkguard: stats: shadow stack (all) in '{{.*}}user-stacks.c': 3 instrumented,
// CHECK: coroutine ran: 55
// CHECK-NEXT: back in main
#include <pkguard/pkguard.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <ucontext.h>

static ucontext_t main_context, coroutine_context;

__attribute__((noinline)) static int fib(int n) {
  char frame[8];
  memset(frame, n, sizeof frame);
  return n < 2 ? n : fib(n - 1) + fib(n - 2) + frame[0] - n;
}

static void coroutine(void) {
  char frame[16];
  memset(frame, 0, sizeof frame);
  printf("coroutine ran: %d\n", fib(10) + frame[0]);
}

int main(int argc, char **argv) {
  (void)argv;
  size_t size = 256 * 1024;
  void *stack = mmap(NULL, size, PROT_READ | PROT_WRITE,
                     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (argc > 1 && pkguard_register_stack(stack, size) != 0)
    return 1;
  getcontext(&coroutine_context);
  coroutine_context.uc_stack.ss_sp = stack;
  coroutine_context.uc_stack.ss_size = size;
  coroutine_context.uc_link = &main_context;
  makecontext(&coroutine_context, coroutine, 0);
  swapcontext(&main_context, &coroutine_context);
  printf("back in main\n");
  return 0;
}
