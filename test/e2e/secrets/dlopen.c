// A library loaded with dlopen brings a secret in a new domain: its pages
// are protected when its constructor runs, its gates work, and a read from
// outside them faults with a report naming the library's secret.
//
// REQUIRES: pku
// RUN: %pkguard_cc -O2 -fPIC -shared %S/Inputs/secret-library.c -o %t.so
// RUN: %pkguard_cc -O0 %s -o %t.O0
// RUN: %pkguard_cc -O2 %s -o %t.O2
// RUN: %pkrun %t.O0 %t.so | FileCheck %s
// RUN: %pkrun %t.O2 %t.so | FileCheck %s
// RUN: not --crash %pkrun %t.O2 %t.so leak 2>&1 | FileCheck %s --check-prefix=LEAK
// With the keys turned off the same read leaks.
// RUN: env PKGUARD_OPTIONS=use_pku=0 %pkrun %t.O2 %t.so leak | FileCheck %s --check-prefix=LEAKED
// CHECK: main's gate: 99
// CHECK-NEXT: library's gate: 15
// LEAK: pkguard: ERROR: read of secret 'plugin_token' outside a gate at {{.*}} (domain 'plugin', SEGV_PKUERR
// LEAKED: library's gate: 15
// LEAKED-NEXT: {{^}}p{{$}}
#include <dlfcn.h>
#include <stdio.h>

[[secret]] int main_secret = 99;
[[pkguard::secret_access]] int read_main_secret(void) { return main_secret; }

int main(int argc, char **argv) {
  void *library = dlopen(argv[1], RTLD_NOW);
  if (!library) {
    fprintf(stderr, "%s\n", dlerror());
    return 1;
  }
  int (*length)(void) = (int (*)(void))dlsym(library, "plugin_token_length");
  const char *(*address)(void) =
      (const char *(*)(void))dlsym(library, "plugin_token_address");
  printf("main's gate: %d\n", read_main_secret());
  printf("library's gate: %d\n", length());
  fflush(stdout);
  if (argc > 2)
    printf("%c\n", *(volatile const char *)address());
  return 0;
}
