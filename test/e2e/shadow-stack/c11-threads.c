// C11 threads get a shadow stack too: glibc's thrd_create starts its
// thread past the interposed pthread_create, so pkguard interposes
// thrd_create as well. Instrumented code runs on the new thread, its
// result comes back through thrd_join, and an overflow there is caught.
//
// REQUIRES: pku
// RUN: %pkguard_cc --pkguard-stats -O2 %s -o %t 2>&1 | FileCheck %s --check-prefix=STATS
// RUN: %pkrun %t | FileCheck %s
// RUN: not --crash %pkrun %t attack 2>&1 | FileCheck %s --check-prefix=ATTACK
// RUN: %if host-no-pku %{ %t | FileCheck %s %}
// With the shadow stack off the same attack reaches win().
// RUN: %pkguard_cc --pkguard-shadow-stack=none -O2 %s -o %t.unprotected
// RUN: %pkrun %t.unprotected attack > /dev/null; test $? -eq 42
// CHECK: thread returned 42: in a C11 thread
// ATTACK: pkguard: ERROR: return address mismatch in vulnerable
// ATTACK: SUMMARY: pkguard: return-address-mismatch in vulnerable
// STATS: pkguard: stats: shadow stack (strong) in '{{.*}}c11-threads.c': 1 instrumented,
#include "../Inputs/attack.h"
#include <threads.h>

static const char *message = "in a C11 thread";
static int attack;

static int work(void *argument) {
  (void)argument;
  vulnerable(hijack_payload(), attack ? PAYLOAD_SIZE : 16);
  return 42;
}

int main(int argc, char **argv) {
  (void)argv;
  attack = argc > 1;
  thrd_t thread;
  if (thrd_create(&thread, work, NULL) != thrd_success)
    return 1;
  int result = 0;
  thrd_join(thread, &result);
  printf("thread returned %d: %s\n", result, message);
  return 0;
}
