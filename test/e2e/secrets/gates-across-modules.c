// A gate closes every domain but its own, those of the libraries linked
// with the program included, although the program's gate words are first
// filled in before those libraries exist: a program gate called from
// inside a library gate cannot read the library's secret. Without the keys
// the same read succeeds.
//
// REQUIRES: pku
// RUN: %pkguard_cc -O2 -fPIC -shared %S/Inputs/library-gate.c -o %t.so
// RUN: %pkguard_cc -O2 %s %t.so -o %t
// RUN: %pkrun %t | FileCheck %s
// RUN: not --crash %pkrun %t peek 2>&1 | FileCheck %s --check-prefix=PEEK
// RUN: env PKGUARD_OPTIONS=use_pku=0 %pkrun %t peek | FileCheck %s --check-prefix=LEAKED
// CHECK: library gate around a program gate: 1107
// PEEK: pkguard: ERROR: read of secret 'library_secret' outside a gate at 0x{{[0-9a-f]+}} (domain 'library', SEGV_PKUERR, protection key {{[0-9]+}}) in peek_at_library
// LEAKED: library gate around a program gate: 1118
#include <stdio.h>

int call_with_library_open(int (*callback)(void));
// The library's secret, which this program does not declare as one.
extern int library_secret;

[[secret]] int program_secret = 7;

[[pkguard::secret_access]] int read_program_secret(void) {
  return program_secret;
}

[[pkguard::secret_access]] int peek_at_library(void) {
  return program_secret + library_secret;
}

int main(int argc, char **argv) {
  (void)argv;
  int result =
      call_with_library_open(argc > 1 ? peek_at_library : read_program_secret);
  printf("library gate around a program gate: %d\n", result);
  return 0;
}
