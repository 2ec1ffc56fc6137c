// A hardened library brings the shared runtime into a program that carries
// a pkguard runtime of another, older version: the program's definitions
// come first, so the library would call a runtime with another ABI. The
// shared runtime stops the program with a clear report instead. Stands for
// the older runtime: a program that exports __pkguard_shadow_abi but not
// this version's check. The twin, a program of the same pkguard, loads the
// library (plain-hosts.c, pkguard-linked).
//
// RUN: %pkguard_cc -O2 -fPIC -shared %S/Inputs/hardened-library.c -o %t.so
// RUN: %clang -O2 -rdynamic %s -o %t
// RUN: not --crash %t %t.so 2>&1 | FileCheck %s --implicit-check-not=loaded
// CHECK: pkguard: ERROR: a hardened library brought pkguard's shared runtime into a program whose own pkguard runtime is of another version (it lacks __pkguard_version_mismatch_check_v3): rebuild the program or the library with the same pkguard
// CHECK: SUMMARY: pkguard: runtime-version-mismatch
#include <dlfcn.h>
#include <stdio.h>

// The older runtime's exported block.
char __pkguard_shadow_abi[4096] __attribute__((aligned(4096)));

int main(int argc, char **argv) {
  (void)argc;
  void *library = dlopen(argv[1], RTLD_NOW);
  printf("%s\n", library ? "loaded" : dlerror());
  return 0;
}
