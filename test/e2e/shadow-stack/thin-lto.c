// With -flto=thin each object leaves its shadow stack to the link, whose
// ThinLTO backends instrument it after link-time inlining: the attack is
// still stopped, and the benign run is unchanged.
//
// REQUIRES: pku
// RUN: %pkguard_cc --pkguard-stats -O2 -flto=thin -fuse-ld=lld -c %s -o %t.o 2>&1 | FileCheck %s --check-prefix=STATS
// RUN: %pkguard_cc -O2 -flto=thin -fuse-ld=lld %t.o -o %t
// RUN: %pkrun %t | FileCheck %s --check-prefix=BENIGN
// RUN: not --crash %pkrun %t attack 2>&1 | FileCheck %s --check-prefix=STOPPED
// With the shadow stack off the same attack reaches win().
// RUN: %pkguard_cc --pkguard-shadow-stack=none -O2 -flto=thin -fuse-ld=lld %s -o %t.unprotected
// RUN: %pkrun %t.unprotected attack > /dev/null; test $? -eq 42
// BENIGN: returned normally
// STOPPED: pkguard: ERROR: return address mismatch in vulnerable
// STATS: pkguard: stats: shadow stack (strong) in '{{.*}}thin-lto.c': 0 instrumented, {{.*}}, {{[1-9][0-9]*}} left to the link
#include "../Inputs/attack.h"

int main(int argc, char **argv) {
  (void)argv;
  vulnerable(hijack_payload(), argc > 1 ? PAYLOAD_SIZE : 16);
  printf("returned normally\n");
  return 0;
}
