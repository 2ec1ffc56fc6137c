// Under Valgrind, which hides PKU and places the stacks low in the address
// space, instrumented programs still run, threads included, in the
// unprotected mode with their shadow stacks above the stacks, and an
// overwritten return address is still stopped.
//
// REQUIRES: valgrind
// Elision is off: the point is how instrumented functions behave here, and
// the rules would prove some of these small functions safe.
// RUN: %pkguard_cc --pkguard-stats --pkguard-shadow-stack=all -mllvm -pkguard-shadow-stack-elide=none -O2 %s -o %t 2>&1 | FileCheck %s --check-prefix=STATS
// RUN: env PKGUARD_OPTIONS=verbose=1 valgrind -q --error-exitcode=9 %t 2>&1 | FileCheck %s
// RUN: not --crash valgrind -q %t attack 2>&1 | FileCheck %s --check-prefix=ATTACK
// CHECK: pkguard: mode: unprotected
// CHECK: 4 threads: 40
// ATTACK: pkguard: ERROR: return address mismatch in vulnerable
// STATS: pkguard: stats: shadow stack (all) in '{{.*}}valgrind.c': 3 instrumented,
#include "../Inputs/attack.h"
#include <pthread.h>

__attribute__((noinline)) static int depth(int n) {
  return n == 0 ? 0 : 1 + depth(n - 1);
}

static void *work(void *unused) {
  (void)unused;
  return (void *)(intptr_t)depth(10);
}

int main(int argc, char **argv) {
  (void)argv;
  if (argc > 1)
    vulnerable(hijack_payload(), PAYLOAD_SIZE);
  pthread_t threads[4];
  intptr_t total = 0;
  for (int i = 0; i < 4; ++i)
    pthread_create(&threads[i], NULL, work, NULL);
  for (int i = 0; i < 4; ++i) {
    void *result;
    pthread_join(threads[i], &result);
    total += (intptr_t)result;
  }
  printf("4 threads: %d\n", (int)total);
  return 0;
}
