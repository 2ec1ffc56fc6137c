// The runtime scans the code the process loads for WRPKRU and XRSTOR bytes
// outside pkguard's sequences: at start-up, after each dlopen, and whatever
// mmap or mprotect makes executable. By default it warns; scan=abort
// refuses such code before anything can jump into it. The twin, scan=off,
// lets the planted gadget open every key, and the secret leaks.
//
// REQUIRES: pku
// RUN: %clang -O2 -shared -fPIC %S/Inputs/planted-gadget.c -o %t.planted.so
// RUN: %pkguard_cc --pkguard-stats -O2 %s -o %t -ldl 2>&1 | FileCheck %s --check-prefix=STATS
// RUN: %pkrun %t %t.planted.so clean 2>&1 | FileCheck %s --check-prefix=CLEAN
// RUN: %pkrun %t %t.planted.so dlopen 2>&1 | FileCheck %s --check-prefix=WARN
// RUN: env PKGUARD_OPTIONS=scan=abort not --crash %pkrun %t %t.planted.so dlopen 2>&1 | FileCheck %s --check-prefix=REFUSED
// RUN: env PKGUARD_OPTIONS=scan=abort not --crash %pkrun %t %t.planted.so mprotect 2>&1 | FileCheck %s --check-prefix=JIT
// RUN: env PKGUARD_OPTIONS=scan=off %pkrun %t %t.planted.so dlopen 2>&1 | FileCheck %s --check-prefix=TWIN
// STATS: pkguard: stats: secrets in '{{.*}}self-scan.c': 1 secrets placed, 1 gates instrumented, 1 domains
// CLEAN-NOT: WARNING
// CLEAN: started clean
// WARN-DAG: pkguard: WARNING: WRPKRU outside pkguard's sequences at open_every_key+0x{{[0-9a-f]+}} in {{.*}}planted.so ({{.*}}planted.so): code that jumps there can change protection-key rights until the next pkguard sequence (PKGUARD_OPTIONS=scan=abort refuses it)
// WARN-DAG: loaded
// REFUSED: pkguard: ERROR: WRPKRU outside pkguard's sequences at open_every_key+0x{{[0-9a-f]+}} in {{.*}}planted.so ({{.*}}planted.so), refused by PKGUARD_OPTIONS=scan=abort
// REFUSED-NEXT: SUMMARY: pkguard: unsanctioned-code in open_every_key
// REFUSED-NOT: loaded
// JIT: pkguard: ERROR: WRPKRU outside pkguard's sequences at {{.*}} (mprotect), refused by PKGUARD_OPTIONS=scan=abort
// JIT-NOT: made executable
// TWIN: loaded
// TWIN-NEXT: the planted WRPKRU gave the secret away: 4711
#include <dlfcn.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

[[secret]] int pin = 4711;
[[pkguard::secret_access]] const int *pin_address(void) { return &pin; }

int main(int argc, char **argv) {
  const int *where = pin_address();
  if (!strcmp(argv[2], "clean")) {
    puts("started clean");
    return 0;
  }
  if (!strcmp(argv[2], "mprotect")) {
    // What a JIT does: write code, then make it executable.
    unsigned char *page = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
                               MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    static const unsigned char code[] = {0x31, 0xc0, 0x31, 0xc9, 0x31,
                                         0xd2, 0x0f, 0x01, 0xef, 0xc3};
    memcpy(page, code, sizeof code);
    mprotect(page, 4096, PROT_READ | PROT_EXEC);
    puts("made executable");
    return 0;
  }
  void *library = dlopen(argv[1], RTLD_NOW);
  if (!library)
    return 2;
  puts("loaded");
  fflush(stdout);
  void (*open_every_key)(void) = (void (*)(void))dlsym(library, "open_every_key");
  open_every_key();
  printf("the planted WRPKRU gave the secret away: %d\n", *(volatile const int *)where);
  return 0;
}
