// Instrumented signal handlers: a handler that raises another signal (so
// handlers nest), handlers on alternate stacks from malloc and from mmap,
// and a stream of timer signals that land anywhere, including inside the
// prologue's gate. Handlers start with every key access-disabled; none of
// this may raise a false alarm.
//
// REQUIRES: pku
// RUN: %pkguard_cc --pkguard-stats --pkguard-shadow-stack=all -O0 %s -o %t.O0 2>&1 | FileCheck %s --check-prefix=STATS
// RUN: %pkguard_cc --pkguard-stats --pkguard-shadow-stack=all -O2 %s -o %t.O2 2>&1 | FileCheck %s --check-prefix=STATS
// RUN: %pkrun %t.O0 | FileCheck %s
// RUN: env PKGUARD_OPTIONS=verbose=1 %pkrun %t.O2 2> %t.err | FileCheck %s
// RUN: FileCheck %s --check-prefix=MODE < %t.err
// CHECK: nested: outer 1, inner 1
// CHECK-NEXT: malloc altstack: handled on it 1
// CHECK-NEXT: mmap altstack: handled on it 1
// CHECK-NEXT: timer: interrupted {{[1-9][0-9]*}} times, result 1597
// It ran under protection keys, and its functions are instrumented:
// MODE: pkguard: mode: protected (shadow stack under protection key {{[0-9]+}})
// STATS: pkguard: stats: shadow stack (all) in '{{.*}}signals.c': {{[1-9][0-9]*}} instrumented,
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/time.h>

static volatile sig_atomic_t outer, inner, on_altstack, ticks;
static char *altstack_low, *altstack_high;

__attribute__((noinline)) static int churn(int n) {
  char buffer[24];
  memset(buffer, n, sizeof buffer);
  return n <= 1 ? buffer[5] : churn(n - 1) + churn(n - 2) - buffer[7] + n;
}

static void on_inner(int sig) {
  (void)sig;
  inner += churn(3) > -1000;
}

static void on_outer(int sig) {
  (void)sig;
  churn(4);
  raise(SIGUSR2); // delivered now, inside this handler
  outer += churn(3) > -1000;
}

static void on_altstack_signal(int sig) {
  (void)sig;
  char here;
  churn(5);
  on_altstack = &here >= altstack_low && &here < altstack_high;
}

static void on_tick(int sig) {
  (void)sig;
  ticks += churn(2) > -1000;
}

static void handle(int sig, void (*handler)(int), int flags) {
  struct sigaction action;
  memset(&action, 0, sizeof action);
  action.sa_handler = handler;
  action.sa_flags = flags;
  sigaction(sig, &action, NULL);
}

static void try_altstack(const char *name, char *memory, size_t size) {
  stack_t stack = {.ss_sp = memory, .ss_size = size, .ss_flags = 0};
  altstack_low = memory;
  altstack_high = memory + size;
  on_altstack = 0;
  if (sigaltstack(&stack, NULL) != 0) {
    perror("sigaltstack");
    exit(1);
  }
  raise(SIGURG);
  printf("%s altstack: handled on it %d\n", name, (int)on_altstack);
}

int main(void) {
  handle(SIGUSR1, on_outer, 0);
  handle(SIGUSR2, on_inner, 0);
  raise(SIGUSR1);
  printf("nested: outer %d, inner %d\n", (int)outer, (int)inner);

  handle(SIGURG, on_altstack_signal, SA_ONSTACK);
  size_t size = 64 * 1024;
  try_altstack("malloc", malloc(size), size);
  try_altstack("mmap",
               mmap(NULL, size, PROT_READ | PROT_WRITE,
                    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0),
               size);

  handle(SIGALRM, on_tick, SA_RESTART);
  struct itimerval every_ms = {{0, 1000}, {0, 1000}};
  setitimer(ITIMER_REAL, &every_ms, NULL);
  int result = 0;
  while (ticks < 20)
    result = churn(17);
  struct itimerval off = {{0, 0}, {0, 0}};
  setitimer(ITIMER_REAL, &off, NULL);
  printf("timer: interrupted %d times, result %d\n", (int)ticks, result);
  return 0;
}
