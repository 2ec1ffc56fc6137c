// Heap secrets: pkguard_secret_alloc gives zeroed pages of their own,
// between guard pages, under the domain's key. They can be used between
// pkguard_secret_open and pkguard_secret_close (or a C++ secret_scope),
// reading one outside faults, and pkguard_secret_free zeroes the memory
// before returning it; freeing anything else, or freeing twice, is an
// error. With the keys turned off, the same read leaks.
//
// REQUIRES: pku
// RUN: %pkguard_cc -O0 %s -o %t.O0
// RUN: %pkguard_cc -O2 %s -o %t.O2
// RUN: %pkrun %t.O0 | FileCheck %s
// RUN: %pkrun %t.O2 | FileCheck %s
// RUN: not --crash %pkrun %t.O2 read-outside 2>&1 | FileCheck %s --check-prefix=OUTSIDE
// RUN: env PKGUARD_OPTIONS=use_pku=0 %pkrun %t.O2 read-outside 2>&1 | FileCheck %s --check-prefix=LEAKED
// RUN: %pkrun %t.O2 overrun 2>&1 | FileCheck %s --check-prefix=GUARD
// RUN: not --crash %pkrun %t.O2 bad-free 2>&1 | FileCheck %s --check-prefix=BADFREE
// RUN: not --crash %pkrun %t.O2 double-free 2>&1 | FileCheck %s --check-prefix=BADFREE
// CHECK: zeroed at first: yes
// CHECK-NEXT: inside the scope: token-abc
// CHECK-NEXT: nested scopes and another domain: token-abc / other
// CHECK-NEXT: freed
// OUTSIDE: pkguard: ERROR: read of a heap secret of 64 bytes outside a gate at 0x{{[0-9a-f]+}} (domain 'default', SEGV_PKUERR, protection key {{[0-9]+}}) in {{.*}}peek
// LEAKED: outside the scope: token-abc
// GUARD: guard page hit: yes
// BADFREE: pkguard: ERROR: pkguard_secret_free of 0x{{[0-9a-f]+}}, which pkguard_secret_alloc did not return
#include <pkguard/pkguard.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

__attribute__((noinline)) char peek(const char *where) {
  return *(volatile const char *)where;
}

static void on_segv(int sig) {
  (void)sig;
  static const char message[] = "guard page hit: yes\n";
  write(1, message, sizeof message - 1);
  _exit(0);
}

int main(int argc, char **argv) {
  const char *mode = argc > 1 ? argv[1] : "";
  char *token = pkguard_secret_alloc(NULL, 64);
  char *other = pkguard_secret_alloc("other", 16);
  if (!token || !other)
    return 1;
  pkguard_secret_scope scope = pkguard_secret_open(NULL);
  int zeroed = 1;
  for (int i = 0; i < 64; ++i)
    zeroed &= token[i] == 0;
  strcpy(token, "token-abc");
  pkguard_secret_close(scope);
  printf("zeroed at first: %s\n", zeroed ? "yes" : "no");

  if (!strcmp(mode, "read-outside")) {
    fflush(stdout);
    char copy[16];
    for (int i = 0; i < 10; ++i)
      copy[i] = peek(token + i);
    printf("outside the scope: %s\n", copy);
    return 0;
  }
  if (!strcmp(mode, "overrun")) {
    signal(SIGSEGV, on_segv);
    scope = pkguard_secret_open(NULL);
    peek(token + 4096); // one past the secret's page: the guard page
    return 1;
  }
  if (!strcmp(mode, "bad-free")) {
    pkguard_secret_free(token + 8);
    return 1;
  }
  if (!strcmp(mode, "double-free")) {
    pkguard_secret_free(token);
    pkguard_secret_free(token);
    return 1;
  }

  scope = pkguard_secret_open(NULL);
  printf("inside the scope: %s\n", token);
  pkguard_secret_scope inner = pkguard_secret_open(NULL);
  pkguard_secret_scope another = pkguard_secret_open("other");
  strcpy(other, "other");
  printf("nested scopes and another domain: %s / %s\n", token, other);
  pkguard_secret_close(another);
  pkguard_secret_close(inner);
  pkguard_secret_close(scope);
  pkguard_secret_free(token);
  pkguard_secret_free(other);
  pkguard_secret_free(NULL);
  printf("freed\n");
  return 0;
}
