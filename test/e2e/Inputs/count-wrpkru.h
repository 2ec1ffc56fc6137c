// Counts the WRPKRUs a piece of code executes: a child runs
// work(argument) between two SIGSTOPs it raises itself, and the parent
// single-steps it in between, looking at the bytes at each instruction.
// For tests that show a sequence opened no window (docs/sequences.md).
#ifndef PKGUARD_TEST_COUNT_WRPKRU_H
#define PKGUARD_TEST_COUNT_WRPKRU_H

#define _GNU_SOURCE
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/ptrace.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <unistd.h>

// Read from data, so that no immediate in the code spells a WRPKRU.
static const volatile unsigned char wrpkru_bytes[3] = {0x0f, 0x01, 0xef};

static long count_wrpkru(void (*work)(long), long argument) {
  pid_t child = fork();
  if (child == 0) {
    ptrace(PTRACE_TRACEME, 0, 0, 0);
    raise(SIGSTOP);
    work(argument);
    raise(SIGSTOP);
    _exit(0);
  }
  int status;
  if (waitpid(child, &status, 0) != child || !WIFSTOPPED(status)) {
    fprintf(stderr, "the child did not stop\n");
    exit(1);
  }
  long wrpkru = 0;
  for (;;) {
    if (ptrace(PTRACE_SINGLESTEP, child, 0, 0) != 0 ||
        waitpid(child, &status, 0) != child || !WIFSTOPPED(status)) {
      fprintf(stderr, "single-stepping failed\n");
      exit(1);
    }
    if (WSTOPSIG(status) == SIGSTOP)
      break;
    if (WSTOPSIG(status) != SIGTRAP) {
      fprintf(stderr, "the child got signal %d\n", WSTOPSIG(status));
      exit(1);
    }
    long rip = ptrace(PTRACE_PEEKUSER, child,
                      (void *)offsetof(struct user_regs_struct, rip), 0);
    long bytes = ptrace(PTRACE_PEEKTEXT, child, (void *)rip, 0);
    if ((unsigned char)bytes == wrpkru_bytes[0] &&
        (unsigned char)(bytes >> 8) == wrpkru_bytes[1] &&
        (unsigned char)(bytes >> 16) == wrpkru_bytes[2])
      ++wrpkru;
  }
  kill(child, SIGKILL);
  waitpid(child, &status, 0);
  return wrpkru;
}

#endif
