// A linear stack-buffer overflow overwrites vulnerable()'s return address
// with the address of win(). Without pkguard the attack reaches win();
// with pkguard the return is stopped before it happens, with a report.
//
// REQUIRES: pku
// RUN: %clang -O2 -fno-stack-protector %s -o %t.unprotected
// RUN: not %pkrun %t.unprotected attack | FileCheck %s --check-prefix=HIJACKED
// RUN: %pkrun %t.unprotected attack > /dev/null; test $? -eq 42
//
// RUN: %pkguard_cc -O0 -fno-stack-protector %s -o %t.O0
// RUN: %pkguard_cc -O2 -fno-stack-protector %s -o %t.O2
// RUN: %pkrun %t.O0 | FileCheck %s --check-prefix=BENIGN
// RUN: %pkrun %t.O2 | FileCheck %s --check-prefix=BENIGN
// RUN: not --crash %pkrun %t.O0 attack 2>&1 | FileCheck %s --check-prefix=STOPPED
// RUN: not --crash %pkrun %t.O2 attack 2>&1 | FileCheck %s --check-prefix=STOPPED
//
// HIJACKED: hijacked: control reached win()
// BENIGN: returned normally
// STOPPED: pkguard: ERROR: return address mismatch in vulnerable
// STOPPED-NEXT: pkguard:   found    0x{{[0-9a-f]+}} (win+0x0 in {{.*}})
// STOPPED-NEXT: pkguard:   expected 0x{{[0-9a-f]+}} (main+0x{{[0-9a-f]+}} in {{.*}})
// STOPPED-NEXT: pkguard:   return address slot 0x{{[0-9a-f]+}}, shadow 0x{{[0-9a-f]+}}, thread {{[0-9]+}}
// STOPPED-NOT: hijacked
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

void win(void) {
  static const char message[] = "hijacked: control reached win()\n";
  write(1, message, sizeof message - 1);
  _exit(42);
}

__attribute__((noinline)) void vulnerable(const void *input, size_t length) {
  char buffer[16];
  memcpy(buffer, input, length); // the bug: length is never checked
  // Keeps the optimiser from shrinking the copy to the bytes read below.
  __asm__ volatile("" : : "r"(buffer) : "memory");
  printf("copied %zu bytes starting with %d\n", length, buffer[0]);
}

int main(int argc, char **argv) {
  // The attacker does not know the frame layout, so the payload repeats
  // the target address over the buffer and well beyond it.
  uintptr_t payload[12];
  for (int i = 0; i < 12; ++i)
    payload[i] = (uintptr_t)&win;
  vulnerable(payload, argc > 1 ? sizeof payload : 16);
  printf("returned normally\n");
  return 0;
}
