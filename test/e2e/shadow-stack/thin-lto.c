// With -flto=thin the pass runs in the pre-link pipeline of each object,
// and the link-time optimiser keeps the instrumentation: the attack is
// still stopped, and the benign run is unchanged.
//
// REQUIRES: pku
// RUN: %pkguard_cc -O2 -flto=thin -fuse-ld=lld -c %s -o %t.o
// RUN: %pkguard_cc -O2 -flto=thin -fuse-ld=lld %t.o -o %t
// RUN: %pkrun %t | FileCheck %s --check-prefix=BENIGN
// RUN: not --crash %pkrun %t attack 2>&1 | FileCheck %s --check-prefix=STOPPED
// With the shadow stack off the same attack reaches win().
// RUN: %pkguard_cc --pkguard-shadow-stack=none -O2 -flto=thin -fuse-ld=lld %s -o %t.unprotected
// RUN: %pkrun %t.unprotected attack > /dev/null; test $? -eq 42
// BENIGN: returned normally
// STOPPED: pkguard: ERROR: return address mismatch in vulnerable
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

int main(int argc, char **argv) {
  (void)argv;
  uintptr_t payload[12];
  for (int i = 0; i < 12; ++i)
    payload[i] = (uintptr_t)&win;
  vulnerable(payload, argc > 1 ? sizeof payload : 16);
  printf("returned normally\n");
  return 0;
}
