// A thread made with clone() inherits its creator's GS, and would take its
// creator's rights with it: while the creator is inside a gate, the clone's
// next instrumented call would close its window with the gate's domain
// open. pkguard's clone() gives the new thread no rights instead; its first
// instrumented call takes rights of its own, with every domain closed, so
// its read of the secret faults and is reported. The twin makes the same
// thread with the raw system call, past pkguard's clone(): it reads the
// secret while its creator is in the gate.
//
// REQUIRES: pku
// RUN: %pkguard_cc --pkguard-stats --pkguard-shadow-stack=all -O2 %s -o %t 2>&1 | FileCheck %s --check-prefix=STATS
// RUN: not %pkrun %t clone 2>&1 | FileCheck %s --check-prefix=STOPPED --implicit-check-not=leaked
// RUN: %pkrun %t raw 2>&1 | FileCheck %s --check-prefix=TWIN
// STATS: pkguard: stats: secrets in '{{.*}}clone-without-rights.c': 1 secrets placed, 2 gates instrumented, 1 domains
// STOPPED: pkguard: ERROR: read of secret 'pin' outside a gate at 0x{{[0-9a-f]+}} (domain 'default', SEGV_PKUERR, protection key {{[0-9]+}}) in child
// STOPPED: SUMMARY: pkguard: secret-read in child
// TWIN: leaked 4711
#define _GNU_SOURCE
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <pkguard/pkguard.h>

[[secret]] int pin = 4711;
[[pkguard::secret_access]] const int *pin_pointer(void);
static const int *volatile where;
static volatile int in_gate, child_done;
static pid_t child_pid;

enum { kStackSize = 1 << 20 };

__attribute__((noinline)) int instrumented(int x) {
  __asm__ volatile("" ::: "memory");
  return x + 1;
}

// The creator waits inside a gate, its domain open, while the child runs.
[[pkguard::secret_access]] int wait_in_gate(void) {
  int value = pin;
  in_gate = 1;
  int status = 0;
  while (!child_done && waitpid(child_pid, &status, WNOHANG) == 0)
    ;
  // A child pkguard stopped is a failed run.
  return WIFSIGNALED(status) ? -1 : value;
}

[[pkguard::no_shadow_stack]] static int child(void *unused) {
  (void)unused;
  while (!in_gate)
    ;
  instrumented(1); // closes a window with whatever rights the thread has
  printf("leaked %d\n", *where);
  fflush(stdout);
  child_done = 1;
  return 0;
}

int main(int argc, char **argv) {
  where = pin_pointer();
  char *stack = mmap(NULL, kStackSize, PROT_READ | PROT_WRITE,
                     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  pkguard_register_stack(stack, kStackSize);
  int flags = CLONE_VM | CLONE_FS | CLONE_FILES | SIGCHLD;
  if (!strcmp(argv[1], "raw")) {
    // The raw system call: the child starts on the new stack with nothing
    // but its registers, so it calls child() itself.
    char *top = stack + kStackSize - 64;
    __asm__ volatile("movq %%rsp, %%r12\n\t"
                     "syscall\n\t"
                     "testq %%rax, %%rax\n\t"
                     "jnz 1f\n\t"
                     "xorl %%edi, %%edi\n\t"
                     "call *%4\n\t"
                     "movl $60, %%eax\n\t" // exit
                     "xorl %%edi, %%edi\n\t"
                     "syscall\n"
                     "1:"
                     : "=a"(child_pid)
                     : "a"(SYS_clone), "D"(flags), "S"(top), "r"(child),
                       "d"(0), "r"(0)
                     : "rcx", "r11", "r12", "r10", "r8", "memory");
  } else {
    child_pid = clone(child, stack + kStackSize, flags, NULL);
  }
  int value = wait_in_gate();
  waitpid(child_pid, NULL, 0);
  return value == 4711 ? 0 : 1;
}

[[pkguard::secret_access]] const int *pin_pointer(void) { return &pin; }
