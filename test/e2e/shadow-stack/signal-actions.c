// Corners of sigaction that pkguard's interposition must keep: an action
// and an old action in the same struct; a SIGSEGV the program ignores when
// it is sent rather than raised by a fault; and SA_RESETHAND on SIGSEGV,
// which pkguard emulates so that its dispatcher stays installed: the
// program's handler runs once, then faults take the default action and
// pkguard still reports its own: the write of a forged return-address
// pair into the shadow stack. With the keys turned off the same forgery
// passes the check and reaches win().
//
// REQUIRES: pku
// Elision is off: the point is how instrumented functions behave here, and
// the rules would prove some of these small functions safe.
// RUN: %pkguard_cc --pkguard-stats --pkguard-shadow-stack=all -mllvm -pkguard-shadow-stack-elide=none -O2 %s -o %t 2>&1 | FileCheck %s --check-prefix=STATS
// RUN: env PKGUARD_OPTIONS=verbose=1 %pkrun %t 2> %t.err | FileCheck %s
// RUN: FileCheck %s --check-prefix=MODE < %t.err
// RUN: not --crash %pkrun %t forge 2>&1 | FileCheck %s --check-prefix=FORGE
// RUN: env PKGUARD_OPTIONS=use_pku=0 %pkrun %t forge > %t.forged; test $? -eq 42
// RUN: FileCheck %s --check-prefix=FORGED < %t.forged
// CHECK: same struct: new handler installed: yes, old one returned: yes
// CHECK-NEXT: a sent SIGSEGV was ignored
// CHECK-NEXT: one-shot handler ran for the first fault
// CHECK-NEXT: then the action reads SIG_DFL: yes
// FORGE: one-shot handler ran for the first fault
// FORGE: pkguard: ERROR: write to the shadow stack at {{.*}} in forge_return+0x{{[0-9a-f]+}}
// FORGE-NOT: hijacked
// FORGE: SUMMARY: pkguard: shadow-stack-write in forge_return
// FORGED: then the action reads SIG_DFL: yes
// FORGED-NEXT: hijacked: control reached win()
// MODE: pkguard: mode: protected (shadow stack under protection key {{[0-9]+}})
// STATS: pkguard: stats: shadow stack (all) in '{{.*}}signal-actions.c': 5 instrumented,
#include "../Inputs/attack.h"
#include <setjmp.h>

static sigjmp_buf back;

static void first_handler(int sig) { (void)sig; }
static void second_handler(int sig) { (void)sig; }

static void one_shot(int sig) {
  printf("one-shot handler ran for the first fault\n");
  fflush(stdout);
  siglongjmp(back, sig);
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
    forge_return();
  return 0;
}
