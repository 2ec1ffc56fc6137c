// PKGUARD_OPTIONS at run time, on this host (with or without protection
// keys): help=1 lists every option and runs on; garbage stops the program
// before main with an error that quotes the bad item; log_path=PATH sends
// reports to PATH.<pid>; require_pku=1 on a host without protection keys
// refuses to start, saying why.
//
// RUN: %clang -O0 -fno-stack-protector %s -o %t.unprotected
// RUN: %t.unprotected attack > /dev/null; test $? -eq 42
// RUN: %pkguard_cc --pkguard-stats -g -O0 -fno-stack-protector %s -o %t 2>&1 | FileCheck %s --check-prefix=STATS
//
// RUN: env PKGUARD_OPTIONS=help=1 %t 2>&1 | FileCheck %s --check-prefix=HELP
// RUN: env PKGUARD_OPTIONS=verbose=1:colour=1 not --crash %t 2>&1 | FileCheck %s --check-prefix=UNKNOWN --implicit-check-not=started
// RUN: env PKGUARD_OPTIONS=symbolize=maybe not --crash %t 2>&1 | FileCheck %s --check-prefix=BAD-BOOL --implicit-check-not=started
// RUN: env PKGUARD_OPTIONS=scan=loud not --crash %t 2>&1 | FileCheck %s --check-prefix=BAD-SCAN --implicit-check-not=started
// RUN: env PKGUARD_OPTIONS=verbose=1,log_path not --crash %t 2>&1 | FileCheck %s --check-prefix=NO-EQUALS --implicit-check-not=started
// RUN: env PKGUARD_OPTIONS=log_path= not --crash %t 2>&1 | FileCheck %s --check-prefix=EMPTY-PATH --implicit-check-not=started
//
// RUN: rm -rf %t.logs && mkdir %t.logs
// RUN: env PKGUARD_OPTIONS=log_path=%t.logs/report not --crash %t attack 2> %t.stderr
// RUN: FileCheck %s --check-prefix=STDERR --allow-empty < %t.stderr
// RUN: ls %t.logs | FileCheck %s --check-prefix=LOG-NAME
// RUN: cat %t.logs/report.* | FileCheck %s --check-prefix=LOGGED
//
// RUN: %if host-no-pku %{ env PKGUARD_OPTIONS=require_pku=1 not --crash %t 2>&1 | FileCheck %s --check-prefix=REQUIRED --implicit-check-not=started %}
//
// STATS: pkguard: stats: shadow stack (strong) in '{{.*}}options.c': 1 instrumented,
// HELP:      pkguard: PKGUARD_OPTIONS, 'name=value' separated by ':' or ','; an unknown name or bad value stops the program:
// HELP-NEXT: pkguard:   use_pku (default '1'): use protection keys
// HELP-NEXT: pkguard:   require_pku (default '0'): refuse to start
// HELP-NEXT: pkguard:   verbose (default '0'): print the mode
// HELP-NEXT: pkguard:   scan (default 'warn'): off|warn|abort
// HELP-NEXT: pkguard:   symbolize (default '1'): 0: never start llvm-symbolizer
// HELP-NEXT: pkguard:   log_path (default ''): write reports to PATH.<pid>
// HELP-NEXT: pkguard:   help (default '0'): print these options
// HELP-NEXT: started
// UNKNOWN: pkguard: ERROR: unknown option 'colour' in PKGUARD_OPTIONS
// UNKNOWN-NEXT: SUMMARY: pkguard: bad-options{{$}}
// BAD-BOOL: pkguard: ERROR: expected 0 or 1 in 'symbolize=maybe' in PKGUARD_OPTIONS
// BAD-SCAN: pkguard: ERROR: expected off, warn or abort in 'scan=loud' in PKGUARD_OPTIONS
// NO-EQUALS: pkguard: ERROR: missing '=' in 'log_path' in PKGUARD_OPTIONS
// EMPTY-PATH: pkguard: ERROR: expected a path of 1 to 200 characters in 'log_path=' in PKGUARD_OPTIONS
// STDERR-NOT: pkguard
// LOG-NAME: {{^}}report.{{[0-9]+$}}
// LOGGED: pkguard: ERROR: return address mismatch in vulnerable
// LOGGED: pkguard:   #0 0x{{[0-9a-f]+}} in vulnerable+0x{{[0-9a-f]+}} in {{.*}} {{.*}}Inputs/attack.h:{{[0-9]+}}:1
// LOGGED: SUMMARY: pkguard: return-address-mismatch in vulnerable {{.*}}Inputs/attack.h:{{[0-9]+}}:1
// REQUIRED: pkguard: ERROR: protection keys are required (PKGUARD_OPTIONS=require_pku=1) but unavailable: {{.+}}
// REQUIRED-NEXT: SUMMARY: pkguard: pku-required{{$}}
#include "../Inputs/attack.h"

int main(int argc, char **argv) {
  (void)argv;
  printf("started\n");
  fflush(stdout);
  if (argc > 1)
    vulnerable(hijack_payload(), PAYLOAD_SIZE);
  return 0;
}
