// A secret read outside its gate is reported with the call stack from the
// faulting instruction, file:line of each frame of a program with debug
// info, and one SUMMARY line naming the kind, the function and its line;
// without -g the frames and the summary keep the function names.
//
// REQUIRES: pku
// RUN: %clang -g -O0 -Wno-unknown-attributes %s -o %t.unprotected
// RUN: %pkrun %t.unprotected | FileCheck %s --check-prefix=LEAKED
//
// RUN: %pkguard_cc -g -O0 %s -o %t.g
// RUN: %pkguard_cc -g -O2 %s -o %t.gO2
// RUN: %pkguard_cc -O2 %s -o %t.nodebug
// RUN: not --crash %pkrun %t.g 2>&1 | FileCheck %s --check-prefixes=CHECK,DEBUG --implicit-check-not=LEAKED
// RUN: not --crash %pkrun %t.gO2 2>&1 | FileCheck %s --check-prefixes=CHECK,DEBUG --implicit-check-not=LEAKED
// RUN: not --crash %pkrun %t.nodebug 2>&1 | FileCheck %s --check-prefixes=CHECK,NODEBUG --implicit-check-not=LEAKED
//
// LEAKED: leaked: LEAKED-TOKEN
// CHECK: pkguard: ERROR: read of secret 'token' outside a gate at 0x{{[0-9a-f]+}} (domain 'default', SEGV_PKUERR, protection key {{[0-9]+}}) in leak+0x{{[0-9a-f]+}} in {{.*}}
// DEBUG-NEXT: pkguard:   #0 0x{{[0-9a-f]+}} in leak+0x{{[0-9a-f]+}} in {{.*}} {{.*}}reports{{/|/./}}secret-fault.c:[[@LINE+22]]:{{[0-9]+}}
// DEBUG-NEXT: pkguard:   #1 0x{{[0-9a-f]+}} in main+0x{{[0-9a-f]+}} in {{.*}} {{.*}}reports{{/|/./}}secret-fault.c:[[@LINE+27]]:{{[0-9]+}}
// DEBUG:      SUMMARY: pkguard: secret-read in leak {{.*}}reports{{/|/./}}secret-fault.c:[[@LINE+20]]:{{[0-9]+}}{{$}}
// NODEBUG-NEXT: pkguard:   #0 0x{{[0-9a-f]+}} in leak+0x{{[0-9a-f]+}} in {{[^ ]*}}{{$}}
// NODEBUG-NEXT: pkguard:   #1 0x{{[0-9a-f]+}} in main+0x{{[0-9a-f]+}} in {{[^ ]*}}{{$}}
// NODEBUG:      SUMMARY: pkguard: secret-read in leak{{$}}
// CHECK-NOT: SUMMARY
#include <stdio.h>
#include <string.h>

[[secret]] char token[32] = "(not loaded)";

// The bug's other half: the gate lets the token's address escape.
[[pkguard::secret_access]] static volatile char *load_token(void) {
  strcpy(token, "LEAKED-TOKEN");
  return token;
}

// The bug: prints the token outside the gate, byte by byte.
__attribute__((noinline)) static void leak(volatile char *from) {
  char copy[32];
  for (int i = 0; i < 31; ++i)
    copy[i] = from[i];
  copy[31] = '\0';
  printf("leaked: %s\n", copy);
}

int main(void) {
  leak(load_token());
  return 0;
}
