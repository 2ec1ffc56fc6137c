// dlopen of a shared library built with pkguard: its functions are checked
// through the loading program's runtime, and an overflow inside the library
// is stopped with a report naming the library's function.
//
// REQUIRES: pku
// RUN: %pkguard_cc --pkguard-stats --pkguard-shadow-stack=all -O2 -fPIC -shared %S/Inputs/instrumented-library.c -o %t.so 2>&1 | FileCheck %s --check-prefix=STATS
// RUN: %pkguard_cc --pkguard-shadow-stack=all -O0 %s -o %t.O0
// RUN: %pkguard_cc --pkguard-shadow-stack=all -O2 %s -o %t.O2
// RUN: %pkrun %t.O0 %t.so | FileCheck %s
// RUN: %pkrun %t.O2 %t.so | FileCheck %s
// RUN: not --crash %pkrun %t.O2 %t.so attack 2>&1 | FileCheck %s --check-prefix=ATTACK
// With the shadow stack off the same attack reaches win().
// RUN: %pkguard_cc --pkguard-shadow-stack=none -O2 -fPIC -shared %S/Inputs/instrumented-library.c -o %t.unprotected.so
// RUN: %pkguard_cc --pkguard-shadow-stack=none -O2 %s -o %t.unprotected
// RUN: %pkrun %t.unprotected %t.unprotected.so attack > /dev/null; test $? -eq 42
// CHECK: sum of digits: 45
// ATTACK: pkguard: ERROR: return address mismatch in library_overflow
// ATTACK-NEXT: found {{.*}}(win+0x0 in
// ATTACK: SUMMARY: pkguard: return-address-mismatch in library_overflow
// STATS: pkguard: stats: shadow stack (all) in '{{.*}}instrumented-library.c': 3 instrumented,
#include "../Inputs/attack.h"
#include <dlfcn.h>

int main(int argc, char **argv) {
  void *library = dlopen(argv[1], RTLD_NOW);
  if (!library) {
    fprintf(stderr, "%s\n", dlerror());
    return 1;
  }
  int (*sum)(long) = (int (*)(long))dlsym(library, "library_sum_digits");
  void (*overflow)(const void *, size_t) =
      (void (*)(const void *, size_t))dlsym(library, "library_overflow");
  printf("sum of digits: %d\n", sum(1234567890));
  if (argc > 2)
    overflow(hijack_payload(), PAYLOAD_SIZE);
  return 0;
}
