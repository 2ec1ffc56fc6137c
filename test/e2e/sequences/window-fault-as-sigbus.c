// A hijacked forward edge lands on the WRPKRU of a shadow-stack prologue
// with EAX 0 (every key open) and RSI forged so that the window's store
// lands in a file mapping past the file's end: the fault comes as SIGBUS,
// not SIGSEGV, as it also does on real CPUs when the forged address is
// non-canonical and based on RBP or RSP (a stack-segment fault). pkguard
// reports it, before the program's own SIGBUS handler could run. The twin
// takes the same SIGBUS outside any window: it reaches the program's handler
// untouched.
//
// REQUIRES: pku
// RUN: %pkguard_cc --pkguard-stats --pkguard-shadow-stack=all -O0 %s -o %t 2>&1 | FileCheck %s --check-prefix=STATS
// RUN: not --crash %pkrun %t attack 2>&1 | FileCheck %s
// RUN: %pkrun %t twin 2>&1 | FileCheck %s --check-prefix=TWIN
// STATS: pkguard: stats: shadow stack (all) in '{{.*}}window-fault-as-sigbus.c': {{[1-9][0-9]*}} instrumented
// CHECK: pkguard: ERROR: fault at 0x{{[0-9a-f]+}} inside a protection-key sequence, which was entered other than from its start, at victim+0x{{[0-9a-f]+}}
// CHECK: SUMMARY: pkguard: forged-rights in victim
// CHECK-NOT: program's SIGBUS handler
// TWIN: program's SIGBUS handler ran for 0x{{[0-9a-f]+}}
#define _GNU_SOURCE
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

static volatile int called;

// Kept by every elision rule: it has an array and calls out.
__attribute__((noinline)) void victim(void) {
  char digits[16];
  snprintf(digits, sizeof digits, "%d", called);
  called = digits[0];
}

static void on_bus(int sig, siginfo_t *info, void *context) {
  (void)sig;
  (void)context;
  char line[80];
  int n = snprintf(line, sizeof line, "program's SIGBUS handler ran for %p\n",
                   info->si_addr);
  write(2, line, (size_t)n);
  _exit(0);
}

// The prologue's WRPKRU, followed by its store of the return address:
// movq %rdi, disp32(%rbp,%rsi,1) at -O0.
static const unsigned char *prologue_wrpkru(int32_t *displacement) {
  static const unsigned char store[] = {0x48, 0x89, 0xbc, 0x35};
  const unsigned char *code = (const unsigned char *)victim;
  for (int at = 0; at < 128; ++at)
    if (code[at] == 0x0f && code[at + 1] == 0x01 && code[at + 2] == 0xef &&
        !memcmp(code + at + 3, store, sizeof store)) {
      memcpy(displacement, code + at + 3 + sizeof store, sizeof *displacement);
      return code + at;
    }
  return NULL;
}

// Jumps onto `site` as a hijacked call would, with RSI chosen so that the
// store writes `target`.
__attribute__((noinline)) static void jump(const unsigned char *site,
                                           uintptr_t target, long displacement) {
  __asm__ volatile("movq %1, %%rsi\n\t"
                   "subq %%rbp, %%rsi\n\t"
                   "subq %2, %%rsi\n\t"
                   "xorl %%eax, %%eax\n\t"
                   "xorl %%ecx, %%ecx\n\t"
                   "xorl %%edx, %%edx\n\t"
                   "callq *%0" ::"r"(site),
                   "r"(target), "r"(displacement)
                   : "rax", "rcx", "rdx", "rsi", "rdi", "memory");
}

int main(int argc, char **argv) {
  if (argc != 2)
    return 2;
  struct sigaction action;
  memset(&action, 0, sizeof action);
  action.sa_sigaction = on_bus;
  action.sa_flags = SA_SIGINFO;
  sigaction(SIGBUS, &action, NULL);
  // A page of an empty file: any access to it is a SIGBUS.
  int fd = memfd_create("empty", 0);
  unsigned char *past_end = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
                                 MAP_SHARED, fd, 0);
  if (fd < 0 || past_end == MAP_FAILED)
    return 3;
  victim();
  if (!strcmp(argv[1], "twin")) {
    past_end[8] = 1;
    return 4;
  }
  int32_t displacement;
  const unsigned char *site = prologue_wrpkru(&displacement);
  if (!site)
    return 5;
  jump(site, (uintptr_t)past_end + 8, displacement);
  printf("the jump returned\n");
  return 6;
}
