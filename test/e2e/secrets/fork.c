// fork keeps the secret pages, their keys and the PKRU: the child's gates
// work, and the child's over-read faults just like the parent's would. A
// fork from inside a gate gives a child that is still inside it, and that
// child's own gates restore what they found. The child owns the rights it
// inherited: the C API changes them there too (a scope in a forked child
// stopped with an internal error before). With the keys turned off the
// child's over-read leaks the secret.
//
// REQUIRES: pku
// RUN: %pkguard_cc --pkguard-stats -O0 %s -o %t.O0 2>&1 | FileCheck %s --check-prefix=STATS
// RUN: %pkguard_cc --pkguard-stats -O2 %s -o %t.O2 2>&1 | FileCheck %s --check-prefix=STATS
// RUN: %pkrun %t.O0 | FileCheck %s
// RUN: %pkrun %t.O2 | FileCheck %s
// RUN: env PKGUARD_OPTIONS=use_pku=0 %pkrun %t.O2 | FileCheck %s --check-prefix=LEAKED
// CHECK: child gate: 1234
// CHECK-NEXT: child leak: stopped by pkguard
// CHECK-NEXT: forked inside a gate, the child reads: 1234
// CHECK-NEXT: parent gate: 1234
// CHECK-NEXT: a scope in a forked child reads: 99
// LEAKED: child gate: 1234
// LEAKED-NEXT: {{^}}1234{{$}}
// LEAKED-NEXT: child leak: NOT stopped
// STATS: pkguard: stats: secrets in '{{.*}}fork.c': 1 secrets placed, 3 gates instrumented, 1 domains
#include <pkguard/pkguard.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

[[secret]] int pin = 1234;

[[pkguard::secret_access]] int read_pin(void) { return pin; }
[[pkguard::secret_access]] const int *pin_address(void) { return &pin; }

__attribute__((noinline)) int peek(const int *where) {
  return *(volatile const int *)where;
}

static int wait_for(pid_t child) {
  int status;
  waitpid(child, &status, 0);
  return status;
}

[[pkguard::secret_access]] void fork_inside_gate(void) {
  fflush(stdout);
  pid_t child = fork();
  if (child == 0) {
    printf("forked inside a gate, the child reads: %d\n", pin);
    fflush(stdout);
    _exit(0);
  }
  wait_for(child);
}

int main(void) {
  fflush(stdout);
  pid_t child = fork();
  if (child == 0) {
    printf("child gate: %d\n", read_pin());
    fflush(stdout);
    _exit(0);
  }
  wait_for(child);

  fflush(stdout);
  child = fork();
  if (child == 0) {
    freopen("/dev/null", "w", stderr);
    printf("%d\n", peek(pin_address()));
    fflush(stdout);
    _exit(0);
  }
  int status = wait_for(child);
  printf("child leak: %s\n", WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT
                                 ? "stopped by pkguard"
                                 : "NOT stopped");
  fork_inside_gate();
  printf("parent gate: %d\n", read_pin());

  int *heap_pin = pkguard_secret_alloc("pins", sizeof *heap_pin);
  pkguard_secret_scope writing = pkguard_secret_open("pins");
  *heap_pin = 99;
  pkguard_secret_close(writing);
  fflush(stdout);
  child = fork();
  if (child == 0) {
    pkguard_secret_scope reading = pkguard_secret_open("pins");
    printf("a scope in a forked child reads: %d\n", *(volatile int *)heap_pin);
    pkguard_secret_close(reading);
    fflush(stdout);
    _exit(0);
  }
  wait_for(child);
  return 0;
}
