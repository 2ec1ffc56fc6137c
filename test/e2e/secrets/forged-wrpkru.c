// ERIM's attack on a gate: jump straight onto its WRPKRU with a forged EAX
// (0 opens every key). A gate's window chains its value into the closing
// WRPKRU, which is checked against the thread's rights, so either jump ends
// in a report instead of access (docs/sequences.md; e2e/sequences tries
// every WRPKRU of a program).
// The twin jumps onto a WRPKRU that no check follows (one the test itself
// contains): the same forged EAX then grants access to the secret.
//
// REQUIRES: pku
// RUN: %pkguard_cc_unscanned -O2 %s -o %t
// RUN: not --crash %pkrun %t first 2>&1 | FileCheck %s --check-prefix=FORGED
// RUN: not --crash %pkrun %t second 2>&1 | FileCheck %s --check-prefix=FORGED
// RUN: %pkrun %t unchecked 2>&1 | FileCheck %s --check-prefix=UNCHECKED
// The jump leaves ECX 0, so the window's one store (the return address's
// shadow, at RSP + RCX + 0x808) goes to the stack above the frame: where
// that is mapped the gate runs on to its closing check, and where it is
// past the stack's top (it depends on the environment's size) the store
// faults inside the window. Either is the same stop.
// FORGED: jumping onto the gate's WRPKRU
// FORGED-NEXT: pkguard: ERROR: {{a protection-key sequence of check_pin wrote PKRU 0x[0-9a-f]+, not the thread's rights: it was entered other than from its start|fault at 0x[0-9a-f]+ inside a protection-key sequence, which was entered other than from its start, at check_pin\+0x[0-9a-f]+ in .*}}
// FORGED-NEXT: SUMMARY: pkguard: forged-rights in check_pin
// FORGED-NOT: secret
// UNCHECKED: an unchecked WRPKRU gave away the secret: 4711
#include <stdint.h>
#include <stdio.h>
#include <string.h>

[[secret]] int pin = 4711;

[[pkguard::secret_access]] int check_pin(int guess) { return guess == pin; }
[[pkguard::secret_access]] const int *pin_address(void) { return &pin; }

// The address of the n-th WRPKRU (0f 01 ef) in the first bytes of code.
static const unsigned char *find_wrpkru(const void *code, int n) {
  const unsigned char *p = code;
  for (int i = 0; i < 512; ++i)
    if (p[i] == 0x0f && p[i + 1] == 0x01 && p[i + 2] == 0xef && n-- == 0)
      return p + i;
  return NULL;
}

__attribute__((noinline)) static void jump_with_forged_eax(const void *to) {
  __asm__ volatile("xorl %%eax, %%eax\n\t"
                   "xorl %%ecx, %%ecx\n\t"
                   "xorl %%edx, %%edx\n\t"
                   "jmp *%0" ::"r"(to)
                   : "eax", "ecx", "edx", "memory");
}

int main(int argc, char **argv) {
  check_pin(1); // a normal call first: everything works
  const int *where = pin_address();
  if (!strcmp(argv[1], "unchecked")) {
    __asm__ volatile("xorl %%eax, %%eax\n\t"
                     "xorl %%ecx, %%ecx\n\t"
                     "xorl %%edx, %%edx\n\t"
                     ".byte 0x0f, 0x01, 0xef" ::: "eax", "ecx", "edx", "memory");
    printf("an unchecked WRPKRU gave away the secret: %d\n",
           *(volatile const int *)where);
    return 0;
  }
  const unsigned char *target =
      find_wrpkru((const void *)check_pin, !strcmp(argv[1], "first") ? 0 : 1);
  if (!target)
    return 2;
  fprintf(stderr, "jumping onto the gate's WRPKRU\n");
  jump_with_forged_eax(target);
  printf("secret: %d\n", *(volatile const int *)where);
  return 0;
}
