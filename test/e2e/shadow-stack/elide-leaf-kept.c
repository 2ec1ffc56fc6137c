// Rule 'leaf' keeps a leaf whose writes it cannot bound. fill() calls
// nothing, but writes `count` words into its own two-word array; with the
// count from the input, stack safety cannot prove the writes in bounds, so
// 'all' keeps fill()'s shadow stack with elision on, and the overflow that
// reaches its return address is stopped. checksum(), a leaf whose writes
// all stay in its array, is proven safe in the same build, which shows that
// elision is on. Without pkguard the same overflow reaches win().
//
// REQUIRES: pku
// RUN: %clang -O2 -fno-stack-protector %s -o %t.unprotected
// RUN: not %pkrun %t.unprotected attack | FileCheck %s --check-prefix=HIJACKED
// RUN: %pkrun %t.unprotected attack > /dev/null; test $? -eq 42
//
// RUN: %pkguard_cc --pkguard-stats --pkguard-shadow-stack=all -O2 -fno-stack-protector %s -o %t 2>&1 | FileCheck %s --check-prefix=STATS
// RUN: %pkrun %t | FileCheck %s --check-prefix=BENIGN
// RUN: not --crash %pkrun %t attack 2>&1 | FileCheck %s --check-prefix=STOPPED
//
// HIJACKED: hijacked: control reached win()
// BENIGN: returned normally, checksum
// STOPPED: pkguard: ERROR: return address mismatch in fill
// STOPPED-NEXT: pkguard:   found    0x{{[0-9a-f]+}} (win+0x0 in {{.*}})
// STOPPED-NOT: hijacked
// STOPPED: SUMMARY: pkguard: return-address-mismatch in fill
// fill() and main() (which calls printf) keep their shadow stacks.
// STATS: pkguard: stats: shadow stack (all) in '{{.*}}elide-leaf-kept.c': 2 instrumented, 0 elided by policy, 1 proven safe (1 leaf), 1 skipped (1 never returns)
#include "../Inputs/attack.h"

__attribute__((noinline)) static void fill(long count, uintptr_t what) {
  volatile uintptr_t words[2];
  for (long i = 0; i < count; ++i)
    words[i] = what;
}

__attribute__((noinline)) static unsigned checksum(unsigned seed) {
  volatile unsigned scratch[4];
  for (int i = 0; i < 4; ++i)
    scratch[i] = seed + i;
  return scratch[0] ^ scratch[3];
}

int main(int argc, char **argv) {
  (void)argv;
  fill(argc > 1 ? PAYLOAD_WORDS : 2, (uintptr_t)&win);
  printf("returned normally, checksum %u\n", checksum(argc));
  return 0;
}
