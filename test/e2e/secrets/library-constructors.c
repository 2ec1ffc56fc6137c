// The program's secrets are protected before any user code runs, library
// constructors included (those run before the program's own): a library
// constructor can call the program's gates, and dies when it reads a
// program secret outside them, as the same read leaks without the keys.
// A library's secrets are registered by its own constructor, so a gate of
// a library whose constructor has not run yet fails closed: it opens
// nothing and stops with a report.
//
// The program needs both libraries; the loader runs the constructor of the
// one named last first, so the caller's runs before the gate library's.
//
// REQUIRES: pku
// RUN: %pkguard_cc -O2 -fPIC -shared %S/Inputs/library-gate.c -o %t.gate.so
// RUN: %pkguard_cc -O2 -fPIC -shared %S/Inputs/early-gate-caller.c -o %t.caller.so
// RUN: %pkguard_cc -O2 -rdynamic %s %t.gate.so %t.caller.so -o %t
// RUN: %pkrun %t | FileCheck %s --check-prefix=MAIN
// RUN: env PKGUARD_TEST_EARLY=program-gate %pkrun %t | FileCheck %s --check-prefix=PROGRAM-GATE
// RUN: env PKGUARD_TEST_EARLY=read-program-secret not --crash %pkrun %t 2>&1 | FileCheck %s --check-prefix=READ
// RUN: env PKGUARD_TEST_EARLY=read-program-secret PKGUARD_OPTIONS=use_pku=0 %pkrun %t | FileCheck %s --check-prefix=LEAKED
// RUN: env PKGUARD_TEST_EARLY=library-gate not --crash %pkrun %t 2>&1 | FileCheck %s --check-prefix=LIBRARY-GATE
// MAIN: main: 7, library: 11
// PROGRAM-GATE: program gate from a library constructor: 7
// PROGRAM-GATE-NEXT: main: 7, library: 11
// READ: pkguard: ERROR: read of secret 'program_key' outside a gate at 0x{{[0-9a-f]+}} (domain 'default', SEGV_PKUERR, protection key {{[0-9]+}}) in
// READ: #{{[0-9]+}} 0x{{[0-9a-f]+}} in run_early+0x{{[0-9a-f]+}} in {{.*}}caller.so
// READ-NOT: main:
// LEAKED: program secret read by a library constructor: program-key-123
// LIBRARY-GATE: pkguard: ERROR: gate read_library_secret of domain 'library' ran before its module registered its secrets
// LIBRARY-GATE-NOT: library gate before its library:
#include <stdio.h>

int read_library_secret(void);

[[secret]] char program_key[16] = "program-key-123";
[[secret]] int program_secret = 7;
[[pkguard::secret_access]] int read_program_secret(void) {
  return program_secret;
}

int main(void) {
  printf("main: %d, library: %d\n", read_program_secret(),
         read_library_secret());
  return 0;
}
