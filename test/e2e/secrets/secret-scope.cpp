// C++'s pkguard::secret_scope opens a domain for a block and closes it on
// every way out, an exception included: after the block, reading the heap
// secret faults again. Without the keys the same read leaks.
//
// REQUIRES: pku
// RUN: %pkguard_cxx -O2 %s -o %t
// RUN: %pkrun %t | FileCheck %s
// RUN: not --crash %pkrun %t read-after-throw 2>&1 | FileCheck %s --check-prefix=CLOSED
// RUN: env PKGUARD_OPTIONS=use_pku=0 %pkrun %t read-after-throw | FileCheck %s --check-prefix=LEAKED
// CHECK: in the scope: pin-1234
// CHECK-NEXT: caught: thrown inside the scope
// CLOSED: pkguard: ERROR: read of a heap secret of 16 bytes outside a gate at 0x{{[0-9a-f]+}} (domain 'pins', SEGV_PKUERR, protection key {{[0-9]+}}) in {{.*}}peek
// LEAKED: after the scope: pin-1234
#include <pkguard/pkguard.h>
#include <cstdio>
#include <cstring>
#include <stdexcept>

__attribute__((noinline)) static char peek(const char *where) {
  return *(volatile const char *)where;
}

__attribute__((noinline)) static void use_and_throw(char *pin) {
  pkguard::secret_scope scope("pins");
  std::printf("in the scope: %s\n", pin);
  throw std::runtime_error("thrown inside the scope");
}

int main(int argc, char **argv) {
  char *pin = static_cast<char *>(pkguard_secret_alloc("pins", 16));
  if (!pin)
    return 1;
  {
    pkguard::secret_scope scope("pins");
    std::strcpy(pin, "pin-1234");
  }
  try {
    use_and_throw(pin);
  } catch (const std::exception &e) {
    std::printf("caught: %s\n", e.what());
  }
  std::fflush(stdout);
  if (argc > 1) {
    peek(pin);
    std::printf("after the scope: %s\n", pin);
  }
  pkguard_secret_free(pin);
  return 0;
}
