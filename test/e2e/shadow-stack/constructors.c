// The runtime starts before any constructor, so instrumented constructors
// (and destructors) have their shadow stack, and an attack inside a
// constructor is stopped before main ever runs.
//
// REQUIRES: pku
// RUN: %pkguard_cc --pkguard-shadow-stack=all -O0 %s -o %t.O0
// RUN: %pkguard_cc --pkguard-shadow-stack=all -O2 %s -o %t.O2
// RUN: %pkrun %t.O0 | FileCheck %s
// RUN: %pkrun %t.O2 | FileCheck %s
// RUN: env PKGUARD_TEST_ATTACK=1 not --crash %pkrun %t.O2 2>&1 | FileCheck %s --check-prefix=ATTACK
// With the shadow stack off the same attack reaches win().
// RUN: %pkguard_cc --pkguard-shadow-stack=none -O2 %s -o %t.unprotected
// RUN: env PKGUARD_TEST_ATTACK=1 %pkrun %t.unprotected > /dev/null; test $? -eq 42
// CHECK: constructor: protected
// CHECK-NEXT: main
// CHECK-NEXT: destructor
// ATTACK: pkguard: ERROR: return address mismatch in early_overflow
// ATTACK-NOT: {{^}}main{{$}}
#include <pkguard/pkguard.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void win(void) { _exit(42); }

__attribute__((noinline)) static void early_overflow(const void *in, size_t n) {
  char buffer[16];
  memcpy(buffer, in, n);
  // Keeps the optimiser from shrinking the copy to the bytes read below.
  __asm__ volatile("" : : "r"(buffer) : "memory");
  printf("%d\n", buffer[0]);
}

__attribute__((constructor)) static void before_main(void) {
  char frame[16];
  memset(frame, 0, sizeof frame);
  printf("constructor: %s\n", pkguard_get_mode() == PKGUARD_MODE_PROTECTED
                                  ? "protected"
                                  : "not protected");
  if (getenv("PKGUARD_TEST_ATTACK")) {
    uintptr_t payload[12];
    for (int i = 0; i < 12; ++i)
      payload[i] = (uintptr_t)&win;
    early_overflow(payload, sizeof payload);
  }
}

__attribute__((destructor)) static void after_main(void) {
  char frame[16];
  memset(frame, 0, sizeof frame);
  printf("destructor%s\n", frame);
}

int main(void) {
  printf("main\n");
  return 0;
}
