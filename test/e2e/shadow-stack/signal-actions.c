// Corners of sigaction that pkguard's interposition must keep: an action
// and an old action in the same struct; a SIGSEGV the program ignores when
// it is sent rather than raised by a fault; and SA_RESETHAND on SIGSEGV,
// which pkguard emulates so that its dispatcher stays installed: the
// program's handler runs once, then faults take the default action and
// pkguard still reports its own.
//
// REQUIRES: pku
// RUN: %pkguard_cc --pkguard-shadow-stack=all -O2 %s -o %t
// RUN: %pkrun %t | FileCheck %s
// RUN: not --crash %pkrun %t forge 2>&1 | FileCheck %s --check-prefix=FORGE
// CHECK: same struct: new handler installed: yes, old one returned: yes
// CHECK-NEXT: a sent SIGSEGV was ignored
// CHECK-NEXT: one-shot handler ran for the first fault
// CHECK-NEXT: then the action reads SIG_DFL: yes
// FORGE: one-shot handler ran for the first fault
// FORGE: pkguard: ERROR: write to the shadow stack at {{.*}} in forge+0x{{[0-9a-f]+}}
#include <pkguard/pkguard.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static sigjmp_buf back;

static void first_handler(int sig) { (void)sig; }
static void second_handler(int sig) { (void)sig; }

static void one_shot(int sig) {
  printf("one-shot handler ran for the first fault\n");
  fflush(stdout);
  siglongjmp(back, sig);
}

__attribute__((noinline)) static void forge(void) {
  char buffer[16];
  uintptr_t *slot = (uintptr_t *)__builtin_frame_address(0) + 1;
  snprintf(buffer, sizeof buffer, "%p", (void *)slot);
  *(volatile uintptr_t *)pkguard_shadow_address(slot) = 0;
}

int main(int argc, char **argv) {
  (void)argv;
  struct sigaction action;
  memset(&action, 0, sizeof action);
  action.sa_handler = first_handler;
  sigaction(SIGUSR1, &action, NULL);
  action.sa_handler = second_handler;
  sigaction(SIGUSR1, &action, &action);
  struct sigaction seen;
  sigaction(SIGUSR1, NULL, &seen);
  printf("same struct: new handler installed: %s, old one returned: %s\n",
         seen.sa_handler == second_handler ? "yes" : "no",
         action.sa_handler == first_handler ? "yes" : "no");

  signal(SIGSEGV, SIG_IGN);
  raise(SIGSEGV);
  printf("a sent SIGSEGV was ignored\n");

  memset(&action, 0, sizeof action);
  action.sa_handler = one_shot;
  action.sa_flags = SA_RESETHAND | SA_NODEFER;
  sigaction(SIGSEGV, &action, NULL);
  if (sigsetjmp(back, 1) == 0)
    *(volatile int *)8 = 1;
  sigaction(SIGSEGV, NULL, &seen);
  printf("then the action reads SIG_DFL: %s\n",
         seen.sa_handler == SIG_DFL ? "yes" : "no");
  fflush(stdout);
  if (argc > 1)
    forge();
  return 0;
}
