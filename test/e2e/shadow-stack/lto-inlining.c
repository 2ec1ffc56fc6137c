// Under -flto the shadow stack is added at the link, after link-time
// inlining (docs/shadow-stack.md): each object only stamps its functions
// before the link, and the link's LTO backend, which pkguard's linker gives
// the pass plugin, instruments the frames that remain. Here sum_bytes,
// another file's instrumented function, is inlined into copy_then_sum, and
// copy_then_sum, whose buffer the attack overflows, has the shadow stack:
// the link's remarks say so. The attack is stopped with thin and full LTO,
// linked with lld and with the default linker (pkguard's linker then runs
// Clang's own ld.lld: GNU ld's LLVM plugin loads no pass plugin); a link
// that does not run the pass fails. With -pkguard-shadow-stack-at-link=false
// (the default outside pkguard-clang) each object is instrumented before
// the link instead, and sum_bytes is kept from being inlined: inlined into
// copy_then_sum after the overflow, its prologue would copy the corrupted
// return address into copy_then_sum's shadow, and the check would pass.
//
// REQUIRES: pku
// RUN: %pkguard_cc --pkguard-stats -O2 -flto=thin -c %s -o %t.thin.o 2>&1 | FileCheck %s --check-prefix=STATS
// RUN: %pkguard_cc -O2 -flto=thin -c %S/Inputs/lto-inlined-helper.c -o %t.thin-helper.o
// RUN: %pkguard_cc -O2 -flto=thin -fuse-ld=lld %t.thin.o %t.thin-helper.o -o %t.thin
// RUN: %pkguard_cc -O2 -flto -c %s -o %t.full.o
// RUN: %pkguard_cc -O2 -flto -c %S/Inputs/lto-inlined-helper.c -o %t.full-helper.o
// RUN: %pkguard_cc -O2 -flto -fuse-ld=lld %t.full.o %t.full-helper.o -o %t.full -Wl,--opt-remarks-filename,%t.full.yaml -Wl,--opt-remarks-passes,pkguard-shadow-stack
// RUN: FileCheck %s --check-prefix=REMARKS < %t.full.yaml
// RUN: llvm-objdump -d --no-show-raw-insn --disassemble-symbols=copy_then_sum %t.full | FileCheck %s --check-prefix=INLINED
// RUN: %pkguard_cc -O2 -flto %t.full.o %t.full-helper.o -o %t.default-linker -Wl,-v 2>&1 | FileCheck %s --check-prefix=LLD -DVERSION=%llvm_version
// RUN: %pkrun %t.thin | FileCheck %s --check-prefix=BENIGN
// RUN: not --crash %pkrun %t.thin attack 2>&1 | FileCheck %s --check-prefix=STOPPED
// RUN: not --crash %pkrun %t.full attack 2>&1 | FileCheck %s --check-prefix=STOPPED
// RUN: not --crash %pkrun %t.default-linker attack 2>&1 | FileCheck %s --check-prefix=STOPPED
// A link that does not run the pass fails instead of making a program
// without the shadow stack: a ThinLTO backend at -O0 runs no extension
// point, and a plain clang links without the plugin.
// RUN: not %pkguard_cc -O0 -flto=thin -fuse-ld=lld %t.thin.o %t.thin-helper.o -o %t.thin-O0 2>&1 | FileCheck %s --check-prefix=UNLINKED
// RUN: not %clang -O2 -flto -fuse-ld=lld %t.full.o %t.full-helper.o -o %t.plain-link 2>&1 | FileCheck %s --check-prefix=UNLINKED
// Instrumented before the link: sum_bytes stays a call.
// RUN: %pkguard_cc --pkguard-stats -mllvm -pkguard-shadow-stack-at-link=false -O2 -flto -c %s -o %t.before.o 2>&1 | FileCheck %s --check-prefix=STATS-BEFORE
// RUN: %pkguard_cc -mllvm -pkguard-shadow-stack-at-link=false -O2 -flto -c %S/Inputs/lto-inlined-helper.c -o %t.before-helper.o
// RUN: %pkguard_cc -O2 -flto -fuse-ld=lld %t.before.o %t.before-helper.o -o %t.before
// RUN: llvm-objdump -d --no-show-raw-insn --disassemble-symbols=copy_then_sum %t.before | FileCheck %s --check-prefix=CALLED
// RUN: not --crash %pkrun %t.before attack 2>&1 | FileCheck %s --check-prefix=STOPPED
// With the shadow stack off the same attack reaches win().
// RUN: %pkguard_cc --pkguard-shadow-stack=none -O2 -flto -fuse-ld=lld %s %S/Inputs/lto-inlined-helper.c -o %t.unprotected
// RUN: %pkrun %t.unprotected attack > /dev/null; test $? -eq 42
// LLD: LLD [[VERSION]].{{[0-9.]+}}
// UNLINKED: undefined symbol: __pkguard_lto_objects_need_the_link_through_pkguard
// BENIGN: returned normally
// STOPPED: pkguard: ERROR: return address mismatch in copy_then_sum
// STATS: pkguard: stats: shadow stack (strong) in '{{.*}}lto-inlining.c': 0 instrumented, {{.*}}, {{[1-9][0-9]*}} left to the link
// STATS-BEFORE: pkguard: stats: shadow stack (strong) in '{{.*}}lto-inlining.c': 1 instrumented,
// STATS-BEFORE-NOT: left to the link
// REMARKS: --- !Passed
// REMARKS-NEXT: Pass: pkguard-shadow-stack
// REMARKS-NEXT: Name: Instrumented
// REMARKS-NEXT: Function: copy_then_sum
// INLINED: <copy_then_sum>:
// INLINED: jecxz
// INLINED-NOT: sum_bytes
// CALLED: <copy_then_sum>:
// CALLED: jecxz
// CALLED: call{{.*}}<sum_bytes>
#include "../Inputs/attack.h"

int sum_bytes(const char *bytes);

// The bug of vulnerable(), then a call that the optimiser would inline.
__attribute__((noinline)) int copy_then_sum(const void *input, size_t length) {
  char buffer[16];
  memcpy(buffer, input, length);
  __asm__ volatile("" : : "r"(buffer) : "memory");
  return sum_bytes(buffer);
}

int main(int argc, char **argv) {
  (void)argv;
  printf("%d\n", copy_then_sum(hijack_payload(), argc > 1 ? PAYLOAD_SIZE : 16));
  printf("returned normally\n");
  return 0;
}
