// The twin of remote-access.c: booted without secretmem.enable=1, as Debian
// 12 boots by default, the kernel has no memfd_secret, the secret stays in
// ordinary pages, the mode says so, and every remote-access path reads it
// although the protection key denies the program's own loads.
//
// REQUIRES: pku-emulated
// RUN: %pkguard_cc -O2 %S/remote-access.c -o %t
// RUN: env PKGUARD_OPTIONS=verbose=1 %pkguard_run --vm --no-secretmem --timeout 300 %t 2> %t.err | FileCheck %s
// RUN: FileCheck %s --check-prefix=MODE < %t.err
// MODE: pkguard: mode: protected (shadow stack under protection key {{[0-9]+}}); secrets in ordinary pages, which /proc/self/mem and process_vm_readv can read
// CHECK: a gate reads 4711; secrets in ordinary memory
// CHECK-NEXT: /proc/self/mem: read 4711
// CHECK-NEXT: process_vm_readv: read 4711
// CHECK-NEXT: ptrace: read 4711
