// The kernel's remote-access paths ignore PKRU: pread of /proc/self/mem,
// process_vm_readv on the process itself and ptrace from a forked child
// read ordinary pages whatever their protection key. pkguard places
// secrets in memfd_secret pages, outside the kernel's direct map, where the
// emulated machine's kernel offers it (it boots with secretmem.enable=1),
// and every one of those paths is refused, while the program's gates still
// read them. The twin, remote-access-twin.c, boots without memfd_secret.
//
// REQUIRES: pku
// RUN: %pkguard_cc --pkguard-stats -O2 %s -o %t 2>&1 | FileCheck %s --check-prefix=STATS
// RUN: env PKGUARD_OPTIONS=verbose=1 %pkrun %t 2> %t.err | FileCheck %s
// RUN: FileCheck %s --check-prefix=MODE < %t.err
// STATS: pkguard: stats: secrets in '{{.*}}remote-access.c': 1 secrets placed, 2 gates instrumented, 1 domains
// MODE: pkguard: mode: protected (shadow stack under protection key {{[0-9]+}}); secrets outside the kernel's direct map (memfd_secret)
// CHECK: a gate reads 4711; secrets outside the direct map
// CHECK-NEXT: /proc/self/mem: refused ({{Input/output error|Bad address}})
// CHECK-NEXT: process_vm_readv: refused (Bad address)
// CHECK-NEXT: ptrace: refused ({{Input/output error|Bad address}})
// CHECK-NOT: 4711
#define _GNU_SOURCE
#include <pkguard/pkguard.h>
#include <stdint.h>

#include "Inputs/remote-access.h"

[[secret]] int pin = 4711;
[[pkguard::secret_access]] int read_pin(void) { return pin; }
[[pkguard::secret_access]] const int *pin_address(void) { return &pin; }

int main(void) {
  printf("a gate reads %d; %s\n", read_pin(),
         pkguard_get_secret_memory() == PKGUARD_SECRETS_OUTSIDE_DIRECT_MAP
             ? "secrets outside the direct map"
             : "secrets in ordinary memory");
  const int *where = pin_address();
  through_proc_self_mem(where);
  through_process_vm_readv(where);
  through_ptrace_from_a_child(where);
  return 0;
}
