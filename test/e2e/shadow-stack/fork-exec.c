// fork: the child starts with the parent's stacks, shadows and keys and
// keeps checking; exec: the new program sets its protection up afresh. An
// attack in the forked child is still stopped, where without the shadow
// stack it reaches win().
//
// REQUIRES: pku
// RUN: %pkguard_cc --pkguard-stats --pkguard-shadow-stack=all -O0 %s -o %t.O0 2>&1 | FileCheck %s --check-prefix=STATS
// RUN: %pkguard_cc --pkguard-stats --pkguard-shadow-stack=all -O2 %s -o %t.O2 2>&1 | FileCheck %s --check-prefix=STATS
// RUN: env PKGUARD_OPTIONS=verbose=1 %pkrun %t.O0 2> %t.O0.err | FileCheck %s
// RUN: FileCheck %s --check-prefix=MODE < %t.O0.err
// RUN: %pkrun %t.O2 | FileCheck %s
// RUN: %pkguard_cc --pkguard-shadow-stack=none -O2 %s -o %t.unprotected
// RUN: %pkrun %t.unprotected | FileCheck %s --check-prefix=UNPROTECTED
// CHECK: child after fork: 55
// CHECK-NEXT: exec'd program: mode protected, 55
// CHECK-NEXT: child attack: stopped by pkguard
// CHECK-NEXT: parent done
// The program starts protected, and so does the program it execs.
// MODE-COUNT-2: pkguard: mode: protected (shadow stack under protection key {{[0-9]+}})
// UNPROTECTED: child after fork: 55
// UNPROTECTED: child attack: reached win()
// UNPROTECTED-NEXT: parent done
// STATS: pkguard: stats: shadow stack (all) in '{{.*}}fork-exec.c': {{[1-9][0-9]*}} instrumented,
#include "../Inputs/attack.h"

__attribute__((noinline)) static int fib(int n) {
  char frame[8];
  memset(frame, n, sizeof frame);
  return n < 2 ? n : fib(n - 1) + fib(n - 2) + frame[0] - n;
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
  how_child_ended(child);

  child = fork();
  if (child == 0) {
    // Keep the report out of this test's output.
    freopen("/dev/null", "w", stderr);
    vulnerable(hijack_payload(), PAYLOAD_SIZE);
    _exit(0);
  }
  printf("child attack: %s\n", how_child_ended(child));
  printf("parent done\n");
  return 0;
}
