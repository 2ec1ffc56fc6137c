// A handler that reaches the kernel without going through pkguard's
// sigaction (glibc's sigset calls its internal sigaction; a raw
// rt_sigaction syscall does the same) starts with Linux's default PKRU,
// every key but 0 access-disabled. Its instrumented code must still run:
// the prologue reads only pages without a key, and opens the shadow stack
// itself. A longjmp out of it works too.
//
// REQUIRES: pku
// RUN: %pkguard_cc --pkguard-stats --pkguard-shadow-stack=all -O2 %s -o %t 2>&1 | FileCheck %s --check-prefix=STATS
// RUN: env PKGUARD_OPTIONS=verbose=1 %pkrun %t 2> %t.err | FileCheck %s
// RUN: FileCheck %s --check-prefix=MODE < %t.err
// CHECK: handler installed by sigset ran: 1
// CHECK-NEXT: left a sigset handler by siglongjmp: 1
// It ran under protection keys, and its functions are instrumented:
// MODE: pkguard: mode: protected (shadow stack under protection key {{[0-9]+}})
// STATS: pkguard: stats: shadow stack (all) in '{{.*}}signal-bypass.c': 3 instrumented,
#define _XOPEN_SOURCE 700
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

static volatile sig_atomic_t ran;
static sigjmp_buf back;

__attribute__((noinline)) static void note_signal(int sig) {
  char copy[16];
  memset(copy, sig, sizeof copy);
  __asm__ volatile("" : : "r"(copy) : "memory");
  ran = copy[3] == sig;
}

static void counting_handler(int sig) { note_signal(sig); }

static void leaving_handler(int sig) {
  note_signal(sig);
  siglongjmp(back, 1);
}

int main(void) {
  sigset(SIGUSR1, counting_handler);
  raise(SIGUSR1);
  printf("handler installed by sigset ran: %d\n", (int)ran);
  sigset(SIGUSR2, leaving_handler);
  int left = sigsetjmp(back, 1);
  if (!left)
    raise(SIGUSR2);
  printf("left a sigset handler by siglongjmp: %d\n", left);
  return 0;
}
