// A return-address report reads like a sanitizer's: the frames of the
// call stack, taken from the shadow stack (the smashed frame's own return
// address points at win()), with file:line when the program has debug
// info, and one SUMMARY line naming the kind, the function and its line.
// Without -g the frames and the summary keep the function names.
//
// REQUIRES: pku
// RUN: %clang -g -O0 -fno-stack-protector %s -o %t.unprotected
// RUN: %pkrun %t.unprotected > /dev/null; test $? -eq 42
//
// RUN: %pkguard_cc --pkguard-stats --pkguard-shadow-stack=all -g -O0 -fno-stack-protector %s -o %t.g 2>&1 | FileCheck %s --check-prefix=STATS
// RUN: %pkguard_cc --pkguard-shadow-stack=all -g -O2 -fno-stack-protector %s -o %t.gO2
// RUN: %pkguard_cc --pkguard-shadow-stack=all -O2 -fno-stack-protector %s -o %t.nodebug
// RUN: not --crash %pkrun %t.g 2>&1 | FileCheck %s --check-prefixes=CHECK,DEBUG --implicit-check-not=hijacked
// RUN: not --crash %pkrun %t.gO2 2>&1 | FileCheck %s --check-prefixes=CHECK,DEBUG --implicit-check-not=hijacked
// RUN: not --crash %pkrun %t.nodebug 2>&1 | FileCheck %s --check-prefixes=CHECK,NODEBUG --implicit-check-not=hijacked
//
// STATS: pkguard: stats: shadow stack (all) in '{{.*}}return-address.c': 4 instrumented,
// CHECK: pkguard: ERROR: return address mismatch in vulnerable
// CHECK: pkguard:   found    0x{{[0-9a-f]+}} (win+0x0 in {{.*}})
// DEBUG-NEXT: pkguard:   expected 0x{{[0-9a-f]+}} (handle_request+0x{{[0-9a-f]+}} in {{.*}})
// DEBUG-NEXT: pkguard:   return address slot
// DEBUG-NEXT: pkguard:   #0 0x{{[0-9a-f]+}} in vulnerable+0x{{[0-9a-f]+}} in {{.*}} {{.*}}Inputs/attack.h:{{[0-9]+}}:1
// DEBUG-NEXT: pkguard:   #1 0x{{[0-9a-f]+}} in handle_request+0x{{[0-9a-f]+}} in {{.*}} {{.*}}return-address.c:[[@LINE+13]]:3
// DEBUG-NEXT: pkguard:   #2 0x{{[0-9a-f]+}} in main+0x{{[0-9a-f]+}} in {{.*}} {{.*}}return-address.c:[[@LINE+17]]:3
// DEBUG:      SUMMARY: pkguard: return-address-mismatch in vulnerable {{.*}}Inputs/attack.h:{{[0-9]+}}:1{{$}}
// NODEBUG:      pkguard:   #0 0x{{[0-9a-f]+}} in vulnerable+0x{{[0-9a-f]+}} in {{[^ ]*}}{{$}}
// NODEBUG-NEXT: pkguard:   #1 0x{{[0-9a-f]+}} in {{handle_request|main}}+0x{{[0-9a-f]+}} in {{[^ ]*}}{{$}}
// NODEBUG:      SUMMARY: pkguard: return-address-mismatch in vulnerable{{$}}
// CHECK-NOT: SUMMARY
#include "../Inputs/attack.h"

// Keeps a caller between main() and the bug, so that the stack has a
// frame the shadow stack alone vouches for.
__attribute__((noinline)) static void handle_request(const void *request,
                                                     size_t length) {
  vulnerable(request, length);
  __asm__ volatile("" ::: "memory");
}

int main(void) {
  handle_request(hijack_payload(), PAYLOAD_SIZE);
  printf("returned normally\n");
  return 0;
}
