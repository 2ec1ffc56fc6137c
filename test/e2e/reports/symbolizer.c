// Line tables the runtime cannot read itself (here compressed debug
// sections) are left to llvm-symbolizer from PATH, started from the
// report; symbolize=0 never starts it, and without it on PATH the report
// says so. Runs on this host, with or without protection keys: the
// return-address check works either way.
//
// RUN: %clang -O0 -fno-stack-protector %s -o %t.unprotected
// RUN: %t.unprotected > /dev/null; test $? -eq 42
// RUN: %pkguard_cc --pkguard-stats -g -O0 -fno-stack-protector %s -o %t 2>&1 | FileCheck %s --check-prefix=STATS
// RUN: llvm-objcopy --compress-debug-sections=zlib %t %t.compressed
// RUN: llvm-readelf -S %t.compressed | FileCheck %s --check-prefix=COMPRESSED
// RUN: not --crash %t 2>&1 | FileCheck %s --check-prefixes=CHECK,LINES
// RUN: not --crash %t.compressed 2>&1 | FileCheck %s --check-prefixes=CHECK,LINES
// RUN: env PKGUARD_OPTIONS=symbolize=0 not --crash %t.compressed 2>&1 | FileCheck %s --check-prefixes=CHECK,NAMES --implicit-check-not='no symbolizer'
// RUN: not --crash env PATH=/nonexistent %t.compressed 2>&1 | FileCheck %s --check-prefixes=CHECK,NAMES,MISSING
//
// STATS: pkguard: stats: shadow stack (strong) in '{{.*}}symbolizer.c': 1 instrumented,
// COMPRESSED: .debug_line {{.*}} C
// CHECK: pkguard: ERROR: return address mismatch in vulnerable
// LINES: pkguard:   #0 0x{{[0-9a-f]+}} in vulnerable+0x{{[0-9a-f]+}} in {{.*}} {{.*}}Inputs/attack.h:{{[0-9]+}}:1
// LINES-NEXT: pkguard:   #1 0x{{[0-9a-f]+}} in main+0x{{[0-9a-f]+}} in {{.*}} {{.*}}symbolizer.c:[[@LINE+9]]:3
// LINES-NEXT: SUMMARY: pkguard: return-address-mismatch in vulnerable {{.*}}Inputs/attack.h:{{[0-9]+}}:1{{$}}
// NAMES: pkguard:   #0 0x{{[0-9a-f]+}} in vulnerable+0x{{[0-9a-f]+}} in {{[^ ]*}}{{$}}
// NAMES-NEXT: pkguard:   #1 0x{{[0-9a-f]+}} in main+0x{{[0-9a-f]+}} in {{[^ ]*}}{{$}}
// MISSING-NEXT: pkguard:   (no symbolizer: these line tables need llvm-symbolizer, which is not on PATH)
// NAMES-NEXT: SUMMARY: pkguard: return-address-mismatch in vulnerable{{$}}
#include "../Inputs/attack.h"

int main(void) {
  vulnerable(hijack_payload(), PAYLOAD_SIZE);
  return 0;
}
