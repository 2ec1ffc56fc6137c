// The first instrumented call on a stack pkguard did not create (here a
// makecontext coroutine's, on the heap) faults where the stack's shadow is
// not mapped yet, and pkguard's SIGSEGV handler maps it. When another
// signal is pending at that moment, the kernel sets up the SIGSEGV frame
// and then delivers the other signal on top of it, before the SIGSEGV
// handler has run; the other handler, instrumented, takes the same fault
// with SIGSEGV blocked, and the kernel kills the process without a word.
// The soak (test/soak) died that way under PKU about once a minute. Here a
// parent traces the child and, when the child's first fault stops it,
// sends it SIGUSR1 before letting the SIGSEGV through: the two arrive
// together every time. The child must run its handler and its coroutine
// to the end. Natively (no keys: the same lazy shadow) and under PKU.
//
// RUN: %pkguard_cc --pkguard-stats --pkguard-shadow-stack=all -O2 %s -o %t 2>&1 | FileCheck %s --check-prefix=STATS
// RUN: %t 2>&1 | FileCheck %s
// RUN: %if pku %{ %pkrun %t 2>&1 | FileCheck %s %}
// STATS: pkguard: stats: shadow stack (all) in '{{.*}}fault-with-pending-signal.c': {{[1-9][0-9]*}} instrumented
// CHECK: parent: SIGUSR1 sent while the child's first SIGSEGV was being delivered
// CHECK: child: the SIGUSR1 handler ran 1 time, the coroutine returned 1275
// CHECK-NEXT: parent: the child exited with 0
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <ucontext.h>
#include <unistd.h>

static volatile int handler_runs;
static volatile long coroutine_result;
static ucontext_t caller, coroutine;

// Recursion that the optimiser cannot fold away, through frames with an
// array, which every policy instruments.
__attribute__((noinline)) static long sum_down(int n) {
  volatile char frame[64];
  frame[n % 64] = (char)n;
  long below = n == 0 ? 0 : sum_down(n - 1);
  return n + below + (frame[n % 64] != (char)n);
}

static void on_signal(int sig) {
  (void)sig;
  if (sum_down(20) == 210)
    handler_runs++;
}

static void coroutine_body(void) { coroutine_result = sum_down(50); }

static int child(void) {
  struct sigaction action;
  memset(&action, 0, sizeof action);
  action.sa_handler = on_signal;
  sigaction(SIGUSR1, &action, NULL);
  if (ptrace(PTRACE_TRACEME, 0, 0, 0) != 0) {
    perror("PTRACE_TRACEME");
    return 2;
  }
  raise(SIGSTOP);
  enum { kStackSize = 256 * 1024 };
  getcontext(&coroutine);
  coroutine.uc_stack.ss_sp = malloc(kStackSize);
  coroutine.uc_stack.ss_size = kStackSize;
  coroutine.uc_link = &caller;
  makecontext(&coroutine, coroutine_body, 0);
  swapcontext(&caller, &coroutine);
  printf("child: the SIGUSR1 handler ran %d time, the coroutine returned %ld\n",
         handler_runs, coroutine_result);
  fflush(stdout);
  return handler_runs == 1 && coroutine_result == 1275 ? 0 : 1;
}

int main(void) {
  fflush(stdout);
  pid_t pid = fork();
  if (pid == 0)
    _exit(child());
  int status, sent = 0;
  for (;;) {
    if (waitpid(pid, &status, 0) != pid || !WIFSTOPPED(status))
      break;
    int sig = WSTOPSIG(status);
    if (sig == SIGSTOP)
      sig = 0;
    if (sig == SIGSEGV && !sent) {
      syscall(SYS_tgkill, pid, pid, SIGUSR1);
      sent = 1;
      printf("parent: SIGUSR1 sent while the child's first SIGSEGV was being "
             "delivered\n");
      fflush(stdout);
    }
    ptrace(PTRACE_CONT, pid, 0, (void *)(long)sig);
  }
  if (WIFEXITED(status))
    printf("parent: the child exited with %d\n", WEXITSTATUS(status));
  else
    printf("parent: the child died of signal %d\n", WTERMSIG(status));
  return 0;
}
