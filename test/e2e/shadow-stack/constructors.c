// The runtime starts before any constructor, so instrumented constructors
// (and destructors) have their shadow stack, and an attack inside a
// constructor is stopped before main ever runs.
//
// REQUIRES: pku
// RUN: %pkguard_cc --pkguard-stats --pkguard-shadow-stack=all -O0 %s -o %t.O0 2>&1 | FileCheck %s --check-prefix=STATS
// RUN: %pkguard_cc --pkguard-stats --pkguard-shadow-stack=all -O2 %s -o %t.O2 2>&1 | FileCheck %s --check-prefix=STATS
// RUN: %pkrun %t.O0 | FileCheck %s
// RUN: %pkrun %t.O2 | FileCheck %s
// RUN: env PKGUARD_TEST_ATTACK=1 not --crash %pkrun %t.O2 2>&1 | FileCheck %s --check-prefix=ATTACK
// With the shadow stack off the same attack reaches win().
// RUN: %pkguard_cc --pkguard-shadow-stack=none -O2 %s -o %t.unprotected
// RUN: env PKGUARD_TEST_ATTACK=1 %pkrun %t.unprotected > /dev/null; test $? -eq 42
// CHECK: constructor: protected
// CHECK-NEXT: main
// CHECK-NEXT: destructor
// ATTACK: pkguard: ERROR: return address mismatch in vulnerable
// ATTACK-NOT: {{^}}main{{$}}
// STATS: pkguard: stats: shadow stack (all) in '{{.*}}constructors.c': {{[1-9][0-9]*}} instrumented,
#include "../Inputs/attack.h"
#include <stdlib.h>

__attribute__((constructor)) static void before_main(void) {
  char frame[16];
  memset(frame, 0, sizeof frame);
  printf("constructor: %s\n", pkguard_get_mode() == PKGUARD_MODE_PROTECTED
                                  ? "protected"
                                  : "not protected");
  if (getenv("PKGUARD_TEST_ATTACK"))
    vulnerable(hijack_payload(), PAYLOAD_SIZE);
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
