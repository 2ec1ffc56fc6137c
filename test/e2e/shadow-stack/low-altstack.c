// A signal stack too low in the address space to have a shadow (static
// memory in a program that is not position-independent) is refused at
// sigaltstack, with the reason, not when a signal arrives.
//
// REQUIRES: pku
// RUN: %pkguard_cc -O2 -fno-pie -no-pie %s -o %t
// RUN: not --crash %pkrun %t 2>&1 | FileCheck %s
// CHECK: pkguard: ERROR: cannot shadow the signal stack at 0x{{[0-9a-f]+}}: it lies below the shadow-stack offset; allocate it with mmap or malloc in a position-independent executable
// CHECK-NOT: installed
#include <signal.h>
#include <stdio.h>

static char signal_stack[64 * 1024];

int main(void) {
  stack_t stack = {.ss_sp = signal_stack, .ss_size = sizeof signal_stack};
  sigaltstack(&stack, NULL);
  printf("installed\n");
  return 0;
}
