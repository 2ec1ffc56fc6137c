// fork: the child starts with the parent's stacks, shadows and keys and
// keeps checking; exec: the new program sets its protection up afresh. An
// attack in the forked child is still stopped.
//
// REQUIRES: pku
// RUN: %pkguard_cc --pkguard-shadow-stack=all -O0 %s -o %t.O0
// RUN: %pkguard_cc --pkguard-shadow-stack=all -O2 %s -o %t.O2
// RUN: %pkrun %t.O0 | FileCheck %s
// RUN: %pkrun %t.O2 | FileCheck %s
// CHECK: child after fork: 55
// CHECK-NEXT: exec'd program: mode protected, 55
// CHECK-NEXT: child attack: stopped by pkguard
// CHECK-NEXT: parent done
#include <pkguard/pkguard.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

__attribute__((noinline)) static int fib(int n) {
  char frame[8];
  memset(frame, n, sizeof frame);
  return n < 2 ? n : fib(n - 1) + fib(n - 2) + frame[0] - n;
}

void win(void) { _exit(42); }

__attribute__((noinline)) static void overflow(const void *input, size_t n) {
  char buffer[16];
  memcpy(buffer, input, n);
  // Keeps the optimiser from shrinking the copy to the bytes read below.
  __asm__ volatile("" : : "r"(buffer) : "memory");
  printf("%d\n", buffer[0]);
}

static int wait_for(pid_t child) {
  int status;
  waitpid(child, &status, 0);
  return status;
}

int main(int argc, char **argv) {
  if (argc > 1) {
    printf("exec'd program: mode %s, %d\n",
           pkguard_get_mode() == PKGUARD_MODE_PROTECTED ? "protected" : "other",
           fib(10));
    return 0;
  }
  fflush(stdout);
  pid_t child = fork();
  if (child == 0) {
    printf("child after fork: %d\n", fib(10));
    fflush(stdout);
    execl(argv[0], argv[0], "exec", (char *)NULL);
    _exit(127);
  }
  wait_for(child);

  child = fork();
  if (child == 0) {
    // Keep the report out of this test's output.
    freopen("/dev/null", "w", stderr);
    uintptr_t payload[12];
    for (int i = 0; i < 12; ++i)
      payload[i] = (uintptr_t)&win;
    overflow(payload, sizeof payload);
    _exit(0);
  }
  int status = wait_for(child);
  printf("child attack: %s\n",
         WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT
             ? "stopped by pkguard"
             : "NOT stopped");
  printf("parent done\n");
  return 0;
}
