// Under Valgrind, which hides PKU and places the stacks low in the address
// space, instrumented programs still run, threads included, in the
// unprotected mode with their shadow stacks above the stacks, and an
// overwritten return address is still stopped.
//
// REQUIRES: valgrind
// RUN: %pkguard_cc --pkguard-shadow-stack=all -O2 %s -o %t
// RUN: env PKGUARD_OPTIONS=verbose=1 valgrind -q --error-exitcode=9 %t 2>&1 | FileCheck %s
// RUN: not --crash valgrind -q %t attack 2>&1 | FileCheck %s --check-prefix=ATTACK
// CHECK: pkguard: mode: unprotected
// CHECK: 4 threads: 40
// ATTACK: pkguard: ERROR: return address mismatch in vulnerable
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

void win(void) { _exit(42); }

__attribute__((noinline)) void vulnerable(const void *input, size_t length) {
  char buffer[16];
  memcpy(buffer, input, length);
  __asm__ volatile("" : : "r"(buffer) : "memory");
  printf("%d\n", buffer[0]);
}

__attribute__((noinline)) static int depth(int n) {
  return n == 0 ? 0 : 1 + depth(n - 1);
}

static void *work(void *unused) {
  (void)unused;
  return (void *)(intptr_t)depth(10);
}

int main(int argc, char **argv) {
  (void)argv;
  if (argc > 1) {
    uintptr_t payload[12];
    for (int i = 0; i < 12; ++i)
      payload[i] = (uintptr_t)&win;
    vulnerable(payload, sizeof payload);
  }
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
