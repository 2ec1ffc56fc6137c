// ld.so's lazy-binding trampoline ends in "xrstor 0x40(%rsp)": an attacker
// who jumps onto it with EAX bit 9 set, over an XSAVE area of their own on
// the stack, loads any PKRU, and every dynamically linked process has one
// (docs/sequences.md). pkguard cannot remove it, but a forged PKRU does not
// outlast the next pkguard sequence: every window closes by writing the
// thread's rights from protected storage, so the first instrumented call
// puts PKRU right. Here the program plays the attacker with an XRSTOR of its
// own that opens every key. The twin reads the secret before any
// instrumented call: the forged PKRU lets it through.
//
// REQUIRES: pku
// RUN: %pkguard_cc_unscanned --pkguard-stats --pkguard-shadow-stack=all -O2 %s -o %t 2>&1 | FileCheck %s --check-prefix=STATS
// RUN: not --crash %pkrun %t repaired 2>&1 | FileCheck %s --check-prefix=REPAIRED --implicit-check-not=leaked
// RUN: %pkrun %t twin 2>&1 | FileCheck %s --check-prefix=TWIN
// STATS: pkguard: stats: shadow stack (all) in '{{.*}}xrstor-forged-pkru.c': {{[1-9][0-9]*}} instrumented
// Standard output and standard error come through separate streams, so
// their lines are checked in either order.
// REPAIRED-DAG: pkguard: WARNING: XRSTOR outside pkguard's sequences at forge_pkru+0x{{[0-9a-f]+}}
// REPAIRED-DAG: forged PKRU 0{{$}}
// REPAIRED-DAG: after one instrumented call, PKRU is the thread's rights again
// REPAIRED-DAG: pkguard: ERROR: read of secret 'pin' outside a gate
// REPAIRED-DAG: SUMMARY: pkguard: secret-read in main
// TWIN: forged PKRU 0{{$}}
// TWIN-NEXT: leaked 4711
#include <cpuid.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <pkguard/pkguard.h>

[[secret]] int pin = 4711;
[[pkguard::secret_access]] const int *pin_address(void) { return &pin; }

static uint32_t read_pkru(void) {
  uint32_t eax, edx;
  __asm__ volatile(".byte 0x0f, 0x01, 0xee" : "=a"(eax), "=d"(edx) : "c"(0));
  return eax;
}

// What the jump onto ld.so's XRSTOR does: loads PKRU = 0 from a crafted,
// standard-format XSAVE area whose header says only PKRU (bit 9) is there.
[[pkguard::no_shadow_stack]] __attribute__((noinline)) static void
forge_pkru(void) {
  static unsigned char area[4096] __attribute__((aligned(64)));
  unsigned eax, ebx, ecx, edx;
  __cpuid_count(0xd, 9, eax, ebx, ecx, edx); // PKRU: ebx = its offset
  memset(area, 0, sizeof area);
  *(uint64_t *)(area + 512) = 1ull << 9;      // XSTATE_BV
  *(uint32_t *)(area + ebx) = 0;              // the PKRU to load
  __asm__ volatile("xrstor (%0)" ::"r"(area), "a"(1u << 9), "d"(0)
                   : "memory");
}

__attribute__((noinline)) int instrumented(int x) {
  __asm__ volatile("" ::: "memory");
  return x + 1;
}

int main(int argc, char **argv) {
  const volatile int *where = pin_address();
  forge_pkru();
  printf("forged PKRU %#x\n", read_pkru());
  fflush(stdout);
  if (!strcmp(argv[1], "repaired")) {
    instrumented(1);
    printf("after one instrumented call, PKRU is the thread's rights %s\n",
           read_pkru() == 0 ? "NOT again" : "again");
    fflush(stdout);
  }
  printf("leaked %d\n", *where);
  return 0;
}
