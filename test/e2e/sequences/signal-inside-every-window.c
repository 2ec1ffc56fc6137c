// A signal can arrive between any two instructions of a pkguard sequence,
// including inside a gate's window after it changed the thread's rights.
// Every window stores the rights and their XOR with the window in one
// 8-byte store, so a handler never finds the record half written (it did,
// with two 4-byte stores: the soak, test/soak, died there with `wrote PKRU
// ..., not the thread's rights`). Here a parent single-steps a child
// through its gate, at -O0 and -O2, and delivers a signal at every
// instruction of it (the windows of its shadow-stack prologue and epilogue,
// its entry and its exit); the handler runs the same gate at full speed.
// The handler is dispatched by pkguard on a sigaltstack (sigaction), or,
// like a handler of a program built without pkguard that calls a hardened
// library, called by the kernel directly (glibc's sigset, which pkguard
// does not interpose). The child must read the secret right every time, in
// the handler and after it, and exit cleanly. The parent counts the
// signals that arrived inside a window (the child's PKRU, read from its
// XSAVE state, was the window's), so the test fails if the gate was not
// instrumented.
//
// REQUIRES: pku
// RUN: %pkguard_cc --pkguard-stats --pkguard-shadow-stack=all -O0 -rdynamic %s -o %t.O0 2>&1 | FileCheck %s --check-prefix=STATS
// RUN: %pkguard_cc --pkguard-stats --pkguard-shadow-stack=all -O2 -rdynamic %s -o %t.O2 2>&1 | FileCheck %s --check-prefix=STATS
// RUN: %pkrun %t.O0 dispatched 2>&1 | FileCheck %s
// RUN: %pkrun %t.O2 dispatched 2>&1 | FileCheck %s
// RUN: %pkrun %t.O0 undispatched 2>&1 | FileCheck %s
// RUN: %pkrun %t.O2 undispatched 2>&1 | FileCheck %s
// STATS: pkguard: stats: secrets in '{{.*}}signal-inside-every-window.c': 1 secrets placed, 1 gates instrumented, 1 domains
// CHECK: child: 2 gates read right, {{[1-9][0-9]*}} signals handled with the gate read right
// CHECK-NEXT: parent: {{[1-9][0-9]*}} signals delivered inside the gate, {{[1-9][0-9]*}} of them inside a window; the child exited with 0
#define _GNU_SOURCE
#include <cpuid.h>
#include <dlfcn.h>
#include <elf.h>
#include <link.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <unistd.h>

[[secret]] int pin = 4711;

__attribute__((noinline)) [[pkguard::secret_access]] int read_pin(void) {
  return pin;
}

// The runtime's read-only block (<pkguard/abi.h>): the window's value.
extern const struct {
  uint32_t open_mask, close_bits;
  int64_t shadow_delta;
  uint32_t restore_expect, window;
} __pkguard_shadow_abi;

enum { kGateCalls = 2, kAltStackSize = 256 * 1024 };

static char alt_stack[kAltStackSize];
static volatile int signals_handled, handler_read_wrong;

static void on_signal(int sig) {
  (void)sig;
  if (read_pin() != 4711)
    handler_read_wrong = 1;
  signals_handled++;
}

static void child(int dispatched) {
  stack_t alt = {.ss_sp = alt_stack, .ss_size = sizeof alt_stack};
  struct sigaction action = {.sa_handler = on_signal, .sa_flags = SA_ONSTACK};
#pragma clang diagnostic push
#pragma clang diagnostic ignored "-Wdeprecated-declarations" // sigset
  int installed = dispatched ? sigaltstack(&alt, NULL) == 0 &&
                                   sigaction(SIGUSR1, &action, NULL) == 0
                             : sigset(SIGUSR1, on_signal) != SIG_ERR;
#pragma clang diagnostic pop
  if (!installed || ptrace(PTRACE_TRACEME, 0, 0, 0) != 0) {
    perror("child");
    _exit(2);
  }
  raise(SIGSTOP);
  int right = 0;
  for (int i = 0; i < kGateCalls; ++i)
    right += read_pin() == 4711;
  printf("child: %d gates read right, %d signals handled with the gate read "
         "%s\n",
         right, signals_handled, handler_read_wrong ? "WRONG" : "right");
  fflush(stdout);
  _exit(right == kGateCalls && !handler_read_wrong ? 0 : 1);
}

// The child's PKRU, from its XSAVE state (0 when PKRU is in its initial
// state).
static uint32_t child_pkru(pid_t pid) {
  static unsigned char area[8192];
  struct iovec io = {area, sizeof area};
  if (ptrace(PTRACE_GETREGSET, pid, (void *)NT_X86_XSTATE, &io) != 0)
    return 0;
  unsigned eax, pkru_offset, ecx, edx;
  __cpuid_count(0xd, 9, eax, pkru_offset, ecx, edx);
  uint64_t features = *(uint64_t *)(area + 512);
  return (features & (1u << 9)) ? *(uint32_t *)(area + pkru_offset) : 0;
}

int main(int argc, char **argv) {
  int dispatched = argc > 1 && !strcmp(argv[1], "dispatched");
  Dl_info info;
  const ElfW(Sym) *symbol = NULL;
  if (!dladdr1((void *)read_pin, &info, (void **)&symbol, RTLD_DL_SYMENT) ||
      !symbol || !symbol->st_size) {
    printf("read_pin's size is unknown\n");
    return 1;
  }
  uintptr_t gate_begin = (uintptr_t)read_pin,
            gate_end = gate_begin + symbol->st_size;
  uint32_t window = __pkguard_shadow_abi.window;

  pid_t pid = fork();
  if (pid == 0)
    child(dispatched);
  int status;
  waitpid(pid, &status, 0);
  ptrace(PTRACE_SETOPTIONS, pid, 0, (void *)PTRACE_O_TRACESYSGOOD);
  long delivered = 0, inside_window = 0;
  int pending = 0;
  // The handler runs at full speed, up to its rt_sigreturn, and returns to
  // the instruction it interrupted, which got its signal already. A handler
  // the kernel calls directly takes a SIGSEGV at its first instrumented
  // call, which pkguard resolves (docs/sequences.md): that handler's
  // rt_sigreturn comes first.
  int handlers_running = 0;
  uintptr_t last_interrupted = 0;
  for (;;) {
    int request = handlers_running ? PTRACE_SYSCALL : PTRACE_SINGLESTEP;
    if (ptrace(request, pid, 0, (void *)(long)pending) != 0) {
      perror("ptrace");
      return 1;
    }
    if (waitpid(pid, &status, 0) != pid || !WIFSTOPPED(status))
      break;
    struct user_regs_struct regs;
    ptrace(PTRACE_GETREGS, pid, 0, &regs);
    pending = 0;
    if (WSTOPSIG(status) == (SIGTRAP | 0x80)) {
      struct __ptrace_syscall_info call;
      if (regs.orig_rax == SYS_rt_sigreturn && handlers_running &&
          ptrace(PTRACE_GET_SYSCALL_INFO, pid, (void *)sizeof call, &call) > 0 &&
          call.op == PTRACE_SYSCALL_INFO_ENTRY)
        --handlers_running;
      continue;
    }
    // Any other signal (a report's SIGABRT, say) goes on to the child.
    if (WSTOPSIG(status) != SIGTRAP) {
      pending = WSTOPSIG(status);
      handlers_running += pending == SIGSEGV;
      continue;
    }
    if (handlers_running || regs.rip < gate_begin || regs.rip >= gate_end ||
        regs.rip == last_interrupted)
      continue;
    pending = SIGUSR1;
    handlers_running = 1;
    last_interrupted = regs.rip;
    ++delivered;
    inside_window += child_pkru(pid) == window;
  }
  printf("parent: %ld signals delivered inside the gate, %ld of them inside "
         "a window; the child ",
         delivered, inside_window);
  if (WIFEXITED(status))
    printf("exited with %d\n", WEXITSTATUS(status));
  else
    printf("died of signal %d\n", WTERMSIG(status));
  return 0;
}
