// A setuid program takes no PKGUARD_OPTIONS from the user who runs it: the
// environment is that user's, and use_pku=0 would turn the protection off.
// Run normally, the same program honours the option. (Inputs/secure-exec.c
// needs root, which the test machine's programs always are.)
//
// REQUIRES: pku
// RUN: %pkguard_cc -O2 %s -o %t
// RUN: %clang -O2 %S/Inputs/secure-exec.c -o %t.secure-exec
// RUN: env PKGUARD_OPTIONS=use_pku=0 %pkrun %t.secure-exec %t | FileCheck %s --check-prefix=SECURE
// RUN: env PKGUARD_OPTIONS=use_pku=0 %pkrun %t | FileCheck %s --check-prefix=ORDINARY
// SECURE: mode: protected
// ORDINARY: mode: unprotected
#include <pkguard/pkguard.h>
#include <stdio.h>

int main(void) {
  printf("mode: %s\n",
         pkguard_get_mode() == PKGUARD_MODE_PROTECTED ? "protected" : "unprotected");
  return 0;
}
