// pkguard routes signals through its own dispatcher, invisibly: sigaction
// and signal report the program's handlers, SA_SIGINFO handlers get their
// siginfo, a program's SIGSEGV handler still sees the program's own faults,
// and a handler that leaves by siglongjmp without calling any instrumented
// code leaves the shadow stack readable. pkguard's own faults are reported
// even when the program has a SIGSEGV handler; with the keys turned off
// the forged shadow write they report goes through, and reaches win().
//
// REQUIRES: pku
// Elision is off: the point is how instrumented functions behave here, and
// the rules would prove some of these small functions safe.
// RUN: %pkguard_cc --pkguard-stats --pkguard-shadow-stack=all -mllvm -pkguard-shadow-stack-elide=none -O0 %s -o %t.O0 2>&1 | FileCheck %s --check-prefix=STATS
// RUN: %pkguard_cc --pkguard-stats --pkguard-shadow-stack=all -mllvm -pkguard-shadow-stack-elide=none -O2 %s -o %t.O2 2>&1 | FileCheck %s --check-prefix=STATS
// RUN: env PKGUARD_OPTIONS=verbose=1 %pkrun %t.O0 > %t.out 2> %t.err; test $? -eq 3; FileCheck %s < %t.out
// RUN: FileCheck %s --check-prefix=MODE < %t.err
// RUN: %pkrun %t.O2 > %t.out; test $? -eq 3; FileCheck %s < %t.out
// RUN: not --crash %pkrun %t.O2 forge 2>&1 | FileCheck %s --check-prefix=FORGE
// RUN: env PKGUARD_OPTIONS=use_pku=0 %pkrun %t.O2 forge > %t.forged; test $? -eq 42
// RUN: FileCheck %s --check-prefix=FORGED < %t.forged
// CHECK: sigaction shows the program's handler: yes, flags kept: yes
// CHECK-NEXT: signal returned the previous handler: yes
// CHECK-NEXT: SA_SIGINFO handler got signal 10 from pid {{[0-9]+}}
// CHECK-NEXT: left a handler by siglongjmp: 1
// CHECK-NEXT: program's SIGSEGV handler: fault at 0x8
// FORGE: pkguard: ERROR: write to the shadow stack at {{.*}} in forge_return+0x{{[0-9a-f]+}}
// FORGE-NOT: program's SIGSEGV handler
// FORGED: left a handler by siglongjmp: 1
// FORGED-NEXT: hijacked: control reached win()
// FORGED-NOT: program's SIGSEGV handler
// MODE: pkguard: mode: protected (shadow stack under protection key {{[0-9]+}})
// STATS: pkguard: stats: shadow stack (all) in '{{.*}}signal-interposition.c': 6 instrumented,
#include "../Inputs/attack.h"
#include <setjmp.h>

static sigjmp_buf back;

static void plain_handler(int sig) { (void)sig; }
static void other_handler(int sig) { (void)sig; }

static void info_handler(int sig, siginfo_t *info, void *context) {
  (void)context;
  printf("SA_SIGINFO handler got signal %d from pid %d\n", sig,
         (int)info->si_pid);
}

// Calls nothing instrumented: pkguard's dispatcher alone must make the
// shadow stack readable for the code siglongjmp returns to.
__attribute__((pkguard_no_shadow_stack)) static void leave(int sig) {
  siglongjmp(back, sig);
}

static void on_segv(int sig, siginfo_t *info, void *context) {
  (void)sig;
  (void)context;
  printf("program's SIGSEGV handler: fault at %p\n", info->si_addr);
  fflush(stdout);
  _exit(3);
}

int main(int argc, char **argv) {
  (void)argv;
  struct sigaction action, seen;
  memset(&action, 0, sizeof action);
  action.sa_handler = plain_handler;
  action.sa_flags = SA_RESTART | SA_NODEFER;
  sigaction(SIGUSR1, &action, NULL);
  sigaction(SIGUSR1, NULL, &seen);
  printf("sigaction shows the program's handler: %s, flags kept: %s\n",
         seen.sa_handler == plain_handler ? "yes" : "no",
         (seen.sa_flags & (SA_RESTART | SA_NODEFER | SA_SIGINFO)) ==
                 (SA_RESTART | SA_NODEFER)
             ? "yes"
             : "no");
  printf("signal returned the previous handler: %s\n",
         signal(SIGUSR1, other_handler) == plain_handler ? "yes" : "no");

  action.sa_sigaction = info_handler;
  action.sa_flags = SA_SIGINFO;
  sigaction(SIGUSR1, &action, NULL);
  kill(getpid(), SIGUSR1);

  signal(SIGUSR2, leave);
  int code = sigsetjmp(back, 1);
  if (code == 0)
    raise(SIGUSR2);
  printf("left a handler by siglongjmp: %d\n", code == SIGUSR2);

  action.sa_sigaction = on_segv;
  action.sa_flags = SA_SIGINFO;
  sigaction(SIGSEGV, &action, NULL);
  fflush(stdout);
  if (argc > 1)
    forge_return();
  *(volatile int *)8 = 1;
  return 0;
}
