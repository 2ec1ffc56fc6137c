// Without usable protection keys the shadow stack is still checked, only
// not write-protected; the mode says why. require_pku=1 refuses to start
// instead, and a misspelt option is an error, not a silent default.
//
// REQUIRES: pku
// RUN: %pkguard_cc --pkguard-stats -O2 %s -o %t 2>&1 | FileCheck %s --check-prefix=STATS
// RUN: env PKGUARD_OPTIONS=verbose=1 %pkrun %t 2>&1 | FileCheck %s --check-prefix=PROTECTED
// RUN: env PKGUARD_OPTIONS=use_pku=0:verbose=1 %pkrun %t 2>&1 | FileCheck %s --check-prefix=UNPROTECTED
// RUN: env PKGUARD_OPTIONS=use_pku=0 not --crash %pkrun %t attack 2>&1 | FileCheck %s --check-prefix=STOPPED
// RUN: env PKGUARD_OPTIONS=use_pku=0:require_pku=1 not --crash %pkrun %t 2>&1 | FileCheck %s --check-prefix=REFUSED
// RUN: env PKGUARD_OPTIONS=requre_pku=1 not --crash %pkrun %t 2>&1 | FileCheck %s --check-prefix=MISSPELT
// On a host without PKU the program runs natively in the same mode.
// RUN: %if host-no-pku %{ env PKGUARD_OPTIONS=verbose=1 %t 2>&1 | FileCheck %s --check-prefix=NATIVE %}
// RUN: %if host-no-pku %{ not --crash %t attack 2>&1 | FileCheck %s --check-prefix=STOPPED %}
//
// PROTECTED: pkguard: mode: protected (shadow stack under protection key {{[0-9]+}})
// PROTECTED-NEXT: mode in the program: 1
// UNPROTECTED: pkguard: mode: unprotected (protection keys turned off by PKGUARD_OPTIONS=use_pku=0): the shadow stack is checked but writable
// UNPROTECTED-NEXT: mode in the program: 2, shadow key -1
// STOPPED: pkguard: ERROR: return address mismatch in vulnerable
// STOPPED: SUMMARY: pkguard: return-address-mismatch in vulnerable
// REFUSED: pkguard: ERROR: protection keys are required (PKGUARD_OPTIONS=require_pku=1) but unavailable: protection keys turned off by PKGUARD_OPTIONS=use_pku=0
// REFUSED-NOT: mode in the program
// MISSPELT: pkguard: ERROR: unknown option 'requre_pku' in PKGUARD_OPTIONS
// STATS: pkguard: stats: shadow stack (strong) in '{{.*}}without-pku.c': 1 instrumented,
// NATIVE: pkguard: mode: unprotected (this CPU has no protection keys (no 'pku' in CPUID)): the shadow stack is checked but writable
#include "../Inputs/attack.h"

int main(int argc, char **argv) {
  (void)argv;
  fprintf(stderr, "mode in the program: %d", (int)pkguard_get_mode());
  if (pkguard_get_mode() != PKGUARD_MODE_PROTECTED)
    fprintf(stderr, ", shadow key %d", pkguard_shadow_stack_key());
  fprintf(stderr, "\n");
  if (argc > 1)
    vulnerable(hijack_payload(), PAYLOAD_SIZE);
  return 0;
}
