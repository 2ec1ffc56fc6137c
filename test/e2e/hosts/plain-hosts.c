// A library hardened with pkguard in programs built without it: plain
// clang and gcc programs that link it or dlopen it from a thread of their
// own, with threads they started before the library's first use and a
// SIGALRM handler of their own that calls into it. The library depends on
// the shared runtime (libpkguard_rt.so), which starts with it. No false
// alarm, and the overflow inside the library is stopped with a report that
// names the function and its line. The twin, the same library built with
// plain clang, is hijacked by the same attack. Two hardened libraries in a
// plain program share one runtime and key; a program hardened itself
// shares its runtime and key with the library.
//
// REQUIRES: pku
// RUN: %pkguard_cc --pkguard-stats -g -O2 -fPIC -shared %S/Inputs/hardened-library.c -o %t.so 2>&1 | FileCheck %s --check-prefix=STATS
// RUN: %clang -g -O2 -fPIC -shared -fno-stack-protector %S/Inputs/hardened-library.c -o %t.twin.so
// RUN: %clang -O2 -pthread %S/Inputs/host.c -o %t.clang-dlopen
// RUN: gcc -O2 -pthread %S/Inputs/host.c -o %t.gcc-dlopen
// RUN: gcc -O2 -pthread -DLINKED %S/Inputs/host.c %t.so -o %t.gcc-linked
// RUN: %clang -O2 -pthread -DLINKED %S/Inputs/host.c %t.so -o %t.clang-linked
// RUN: %pkguard_cc -O2 -pthread -DLINKED %S/Inputs/host.c %t.so -o %t.pkguard-linked
// RUN: readelf -d %t.so | FileCheck %s --check-prefix=NEEDED
// RUN: %pkrun %t.clang-dlopen %t.so | FileCheck %s
// RUN: %pkguard_cc -g -O2 -fPIC -shared %S/Inputs/hardened-library.c -o %t.second.so
// RUN: env SECOND_LIBRARY=%t.second.so %pkrun %t.gcc-dlopen %t.so | FileCheck %s --check-prefixes=CHECK,TWO
// RUN: %pkrun %t.gcc-dlopen %t.so | FileCheck %s
// RUN: %pkrun %t.gcc-linked %t.so | FileCheck %s
// RUN: %pkrun %t.clang-linked %t.so | FileCheck %s
// RUN: %pkrun %t.pkguard-linked %t.so | FileCheck %s --check-prefixes=CHECK,SHARED
// RUN: not --crash %pkrun %t.gcc-dlopen %t.so attack 2>&1 | FileCheck %s --check-prefix=STOPPED
// RUN: not --crash %pkrun %t.clang-linked %t.so attack 2>&1 | FileCheck %s --check-prefix=STOPPED
// RUN: %pkrun %t.gcc-dlopen %t.twin.so attack > %t.twin.out; test $? -eq 42
// RUN: FileCheck %s --check-prefix=TWIN < %t.twin.out
//
// STATS: pkguard: stats: secrets in '{{.*}}hardened-library.c': 1 secrets placed, 1 gates instrumented, 1 domains
// STATS: pkguard: stats: shadow stack (strong) in '{{.*}}hardened-library.c': {{[1-9][0-9]*}} instrumented
// NEEDED: (NEEDED) Shared library: [libpkguard_rt.so]
// CHECK: host: the library says: mode: protected (shadow stack under protection key {{[0-9]+}})
// SHARED: host: shadow-stack key [[KEY:[0-9]+]] in the program, [[KEY]] in the library
// TWO: host: shadow-stack key [[KEY:[0-9]+]] in the first library, [[KEY]] in the second, whose work is right
// CHECK: host: 4 threads and main, 300 calls each or more, right; alarms handled
// CHECK: host: returned normally
// STOPPED: pkguard: ERROR: return address mismatch in vulnerable
// STOPPED: #0 0x{{[0-9a-f]+}} in vulnerable+0x{{[0-9a-f]+}} in {{.*}}.so {{.*}}attack.h:[[#]]
// STOPPED: SUMMARY: pkguard: return-address-mismatch in vulnerable {{.*}}attack.h:[[#]]
// STOPPED-NOT: hijacked
// TWIN: host: the library says: (no pkguard)
// TWIN: hijacked: control reached win()
