// Stacks that pkguard does not create (makecontext coroutines) need
// pkguard_register_stack; without it the first instrumented call on such a
// stack stops with a report that says so, instead of running unchecked.
// Every function is instrumented here (policy 'all'), the coroutine too.
//
// REQUIRES: pku
// RUN: %pkguard_cc --pkguard-shadow-stack=all -O0 %s -o %t.O0
// RUN: %pkguard_cc --pkguard-shadow-stack=all -O2 %s -o %t.O2
// RUN: %pkrun %t.O0 register | FileCheck %s --check-prefix=REGISTERED
// RUN: %pkrun %t.O2 register | FileCheck %s --check-prefix=REGISTERED
// RUN: not --crash %pkrun %t.O2 2>&1 | FileCheck %s --check-prefix=MISSING
// REGISTERED: coroutine ran: 55
// REGISTERED-NEXT: back in main
// MISSING: pkguard: ERROR: no shadow stack for the stack at 0x{{[0-9a-f]+}} (stack pointer 0x{{[0-9a-f]+}}): stacks that pkguard does not create need pkguard_register_stack; in coroutine+0x{{[0-9a-f]+}} in {{.*}}
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
