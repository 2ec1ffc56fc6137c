// An attacker who can write anywhere forges both the return address and
// its shadow copy. With protection keys the shadow write faults with
// SEGV_PKUERR and pkguard names the writer; with the keys turned off (the
// same binary, PKGUARD_OPTIONS=use_pku=0) the forged pair passes the check
// and the attack reaches win(). A write to pkguard's own state, to turn the
// gates off, hits a read-only page with or without keys.
//
// REQUIRES: pku
// RUN: %pkguard_cc --pkguard-stats -O0 -fno-omit-frame-pointer %s -o %t.O0 2>&1 | FileCheck %s --check-prefix=STATS
// RUN: %pkguard_cc --pkguard-stats -O2 -fno-omit-frame-pointer %s -o %t.O2 2>&1 | FileCheck %s --check-prefix=STATS
// RUN: env PKGUARD_OPTIONS=use_pku=0 not %pkrun %t.O2 shadow | FileCheck %s --check-prefix=HIJACKED
// RUN: env PKGUARD_OPTIONS=use_pku=0 %pkrun %t.O2 shadow > /dev/null; test $? -eq 42
// RUN: not --crash %pkrun %t.O0 shadow 2>&1 | FileCheck %s --check-prefix=FAULT
// RUN: not --crash %pkrun %t.O2 shadow 2>&1 | FileCheck %s --check-prefix=FAULT
// RUN: not --crash %pkrun %t.O2 state 2>&1 | FileCheck %s --check-prefix=STATE
// RUN: env PKGUARD_OPTIONS=use_pku=0 not --crash %pkrun %t.O2 state 2>&1 | FileCheck %s --check-prefix=STATE
//
// HIJACKED: hijacked: control reached win()
// FAULT: pkguard: ERROR: write to the shadow stack at 0x{{[0-9a-f]+}} (SEGV_PKUERR, protection key {{[0-9]+}}) in forge_return+0x{{[0-9a-f]+}} in {{.*}}
// FAULT-NOT: hijacked
// FAULT: SUMMARY: pkguard: shadow-stack-write in forge_return
// STATE: turning the gates off
// STATE-NEXT: pkguard: ERROR: write to pkguard's read-only state at 0x{{[0-9a-f]+}} (SEGV_ACCERR) in turn_gates_off+0x{{[0-9a-f]+}}
// STATE-NOT: gates are off
// STATE: SUMMARY: pkguard: state-write in turn_gates_off
// forge_return() has a return address to check, so the default policy
// instruments it.
// STATS: pkguard: stats: shadow stack (strong) in '{{.*}}shadow-write-attack.c': 1 instrumented,
#include "../Inputs/attack.h"

// The attacker knows pkguard's layout, and where its state lives.
extern uint32_t __pkguard_shadow_abi[3];

__attribute__((noinline)) void turn_gates_off(void) {
  fprintf(stderr, "turning the gates off\n");
  *(volatile uint32_t *)&__pkguard_shadow_abi[0] = 1;
  fprintf(stderr, "gates are off\n");
}

int main(int argc, char **argv) {
  if (argc > 1 && !strcmp(argv[1], "shadow"))
    forge_return();
  else if (argc > 1 && !strcmp(argv[1], "state"))
    turn_gates_off();
  printf("returned normally\n");
  return 0;
}
