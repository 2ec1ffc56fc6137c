// A gate leaks a pointer to its secret (a bug), and ordinary code later
// writes through it. Without pkguard the key is silently replaced; with
// pkguard the write faults and is reported, naming the secret and the
// writer.
//
// REQUIRES: pku
// RUN: %clang -O2 -Wno-unknown-attributes %s -o %t.unprotected
// RUN: %pkrun %t.unprotected | FileCheck %s --check-prefix=CORRUPTED
// RUN: %pkguard_cc -O0 %s -o %t.O0
// RUN: %pkguard_cc -O2 %s -o %t.O2
// RUN: not --crash %pkrun %t.O0 2>&1 | FileCheck %s --check-prefix=STOPPED
// RUN: not --crash %pkrun %t.O2 2>&1 | FileCheck %s --check-prefix=STOPPED
//
// CORRUPTED: key before: s3cr3t
// CORRUPTED-NEXT: key after: ATTACKER
// STOPPED: key before: s3cr3t
// STOPPED-NEXT: pkguard: ERROR: write to secret 'session_key' outside a gate at 0x{{[0-9a-f]+}} (domain 'default', SEGV_PKUERR, protection key {{[0-9]+}}) in {{.*}}overwrite+0x{{[0-9a-f]+}}
// STOPPED-NOT: key after
#include <stdio.h>
#include <string.h>

[[secret]] char session_key[32] = "s3cr3t";

[[pkguard::secret_access]] char *key_for_logging(void) {
  return session_key; // the bug: the address outlives the gate
}

[[pkguard::secret_access]] void show_key(const char *label) {
  printf("%s: %s\n", label, session_key);
  fflush(stdout);
}

__attribute__((noinline)) void overwrite(char *where) {
  strcpy(where, "ATTACKER");
}

int main(void) {
  show_key("key before");
  overwrite(key_for_logging());
  show_key("key after");
  return 0;
}
