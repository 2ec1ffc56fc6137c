// A linear stack-buffer overflow overwrites vulnerable()'s return address
// with the address of win(). Without pkguard the attack reaches win();
// with pkguard the return is stopped before it happens, with a report.
//
// REQUIRES: pku
// RUN: %clang -O2 -fno-stack-protector %s -o %t.unprotected
// RUN: not %pkrun %t.unprotected attack | FileCheck %s --check-prefix=HIJACKED
// RUN: %pkrun %t.unprotected attack > /dev/null; test $? -eq 42
//
// RUN: %pkguard_cc --pkguard-stats -O0 -fno-stack-protector %s -o %t.O0 2>&1 | FileCheck %s --check-prefix=STATS
// RUN: %pkguard_cc --pkguard-stats -O2 -fno-stack-protector %s -o %t.O2 2>&1 | FileCheck %s --check-prefix=STATS
// RUN: %pkrun %t.O0 | FileCheck %s --check-prefix=BENIGN
// RUN: %pkrun %t.O2 | FileCheck %s --check-prefix=BENIGN
// RUN: not --crash %pkrun %t.O0 attack 2>&1 | FileCheck %s --check-prefix=STOPPED
// RUN: not --crash %pkrun %t.O2 attack 2>&1 | FileCheck %s --check-prefix=STOPPED
//
// HIJACKED: hijacked: control reached win()
// BENIGN: returned normally
// STOPPED: pkguard: ERROR: return address mismatch in vulnerable
// STOPPED-NEXT: pkguard:   found    0x{{[0-9a-f]+}} (win+0x0 in {{.*}})
// STOPPED-NEXT: pkguard:   expected 0x{{[0-9a-f]+}} (main+0x{{[0-9a-f]+}} in {{.*}})
// STOPPED-NEXT: pkguard:   return address slot 0x{{[0-9a-f]+}}, shadow 0x{{[0-9a-f]+}}, thread {{[0-9]+}}
// STOPPED-NOT: hijacked
// STOPPED: SUMMARY: pkguard: return-address-mismatch in vulnerable
// The default policy instruments vulnerable(), for its buffer, and only it.
// STATS: pkguard: stats: shadow stack (strong) in '{{.*}}stack-overflow-attack.c': 1 instrumented,
#include "../Inputs/attack.h"

int main(int argc, char **argv) {
  (void)argv;
  vulnerable(hijack_payload(), argc > 1 ? PAYLOAD_SIZE : 16);
  printf("returned normally\n");
  return 0;
}
