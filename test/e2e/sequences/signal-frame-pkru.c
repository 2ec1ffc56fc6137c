// The PKRU a signal interrupted lies in the signal frame, on the ordinary
// stack, and sigreturn loads it: an attacker who can write anywhere while a
// handler runs sets it to 0 and gets every key open after the handler
// returns. pkguard's dispatcher writes the thread's rights back into the
// frame before it returns, so the secret stays closed. The twin installs its
// handler with the raw rt_sigaction system call, past pkguard's sigaction:
// the kernel calls it directly, nothing puts the frame right, and the secret
// leaks (docs/sequences.md names this residual).
//
// REQUIRES: pku
// RUN: %pkguard_cc --pkguard-stats -O2 %s -o %t 2>&1 | FileCheck %s --check-prefix=STATS
// RUN: not --crash %pkrun %t dispatched 2>&1 | FileCheck %s --check-prefix=PUT-RIGHT --implicit-check-not=leaked
// RUN: %pkrun %t raw 2>&1 | FileCheck %s --check-prefix=TWIN
// STATS: pkguard: stats: secrets in '{{.*}}signal-frame-pkru.c': 1 secrets placed, 1 gates instrumented, 1 domains
// PUT-RIGHT-DAG: the handler set the frame's PKRU to 0
// PUT-RIGHT-DAG: pkguard: ERROR: read of secret 'pin' outside a gate
// TWIN: the handler set the frame's PKRU to 0
// TWIN-NEXT: leaked 4711
#define _GNU_SOURCE
#include <cpuid.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <ucontext.h>
#include <unistd.h>

[[secret]] int pin = 4711;
[[pkguard::secret_access]] const int *pin_address(void) { return &pin; }

// The attacker's write, while the handler runs, to the frame's saved PKRU.
static void forge_frame(void *context) {
  ucontext_t *frame = context;
  unsigned char *area = (unsigned char *)frame->uc_mcontext.fpregs;
  unsigned eax, ebx, ecx, edx;
  __cpuid_count(0xd, 9, eax, ebx, ecx, edx);
  *(uint32_t *)(area + ebx) = 0;
  static const char said[] = "the handler set the frame's PKRU to 0\n";
  write(1, said, sizeof said - 1);
}

static void handler(int sig, siginfo_t *info, void *context) {
  (void)sig;
  (void)info;
  forge_frame(context);
}

// glibc's sigaction adds a restorer; the raw call needs one too.
extern void restore_rt(void) __asm__("pkguard_test_restore_rt");
__asm__(".text\n"
        "pkguard_test_restore_rt:\n\t"
        "movq $15, %rax\n\t" // rt_sigreturn
        "syscall");

struct kernel_sigaction {
  void (*handler)(int, siginfo_t *, void *);
  unsigned long flags;
  void (*restorer)(void);
  unsigned long mask;
};

int main(int argc, char **argv) {
  const volatile int *where = pin_address();
  if (!strcmp(argv[1], "raw")) {
    struct kernel_sigaction action = {handler, SA_SIGINFO | 0x04000000, // SA_RESTORER
                                      restore_rt, 0};
    syscall(SYS_rt_sigaction, SIGUSR1, &action, NULL, sizeof(unsigned long));
  } else {
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_sigaction = handler;
    action.sa_flags = SA_SIGINFO;
    sigaction(SIGUSR1, &action, NULL);
  }
  raise(SIGUSR1);
  printf("leaked %d\n", *where);
  return 0;
}
