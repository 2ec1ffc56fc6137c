// Gates nest and recurse: each restores the PKRU it found, so an inner
// gate of the same domain leaves it open for the outer one, and a gate of
// another domain closes the outer one's while it runs (a gate opens one
// domain) and reopens it on return. After the outermost gate, everything is
// closed again, which a read outside any gate proves by faulting.
//
// REQUIRES: pku
// RUN: %pkguard_cc -O0 %s -o %t.O0
// RUN: %pkguard_cc -O2 %s -o %t.O2
// RUN: %pkrun %t.O0 | FileCheck %s
// RUN: %pkrun %t.O2 | FileCheck %s
// RUN: not --crash %pkrun %t.O2 read-after 2>&1 | FileCheck %s --check-prefix=AFTER
// RUN: not --crash %pkrun %t.O2 other-domain 2>&1 | FileCheck %s --check-prefix=OTHER
// With the keys turned off the same reads leak.
// RUN: env PKGUARD_OPTIONS=use_pku=0 %pkrun %t.O2 read-after | FileCheck %s --check-prefix=AFTER-LEAKED
// RUN: env PKGUARD_OPTIONS=use_pku=0 %pkrun %t.O2 other-domain | FileCheck %s --check-prefix=OTHER-LEAKED
// CHECK: recursion: 55
// CHECK-NEXT: nested same domain: 7 then 7
// CHECK-NEXT: inner gate of another domain: 9, outer still reads 7
// AFTER: pkguard: ERROR: read of secret 'counter' outside a gate
// OTHER: pkguard: ERROR: read of secret 'counter' outside a gate at {{.*}} (domain 'default', {{.*}} in {{.*}}peek_from_tls_gate
// AFTER-LEAKED: outer still reads 7
// AFTER-LEAKED-NEXT: {{^}}7{{$}}
// OTHER-LEAKED: outer still reads 7
// OTHER-LEAKED-NEXT: {{^}}16{{$}}
#include <stdio.h>
#include <string.h>

[[secret]] int counter = 7;
[[pkguard::secret("tls")]] int tls_value = 9;

[[pkguard::secret_access]] int fib_with_secret(int n) {
  if (n < 2)
    return n + counter - counter;
  return fib_with_secret(n - 1) + fib_with_secret(n - 2);
}

[[pkguard::secret_access]] int inner(void) { return counter; }

[[pkguard::secret_access]] int outer(int *after) {
  int before = inner();
  *after = counter;
  return before;
}

[[pkguard::secret_access("tls")]] int tls_gate(void) { return tls_value; }

[[pkguard::secret_access]] int outer_calls_tls(int *still) {
  int value = tls_gate();
  *still = counter;
  return value;
}

__attribute__((noinline)) int peek(const int *where) { return *where; }

[[pkguard::secret_access]] const int *counter_address(void) { return &counter; }

// Inside a gate of domain 'tls', the default domain is closed.
[[pkguard::secret_access("tls")]] int peek_from_tls_gate(const int *where) {
  return *(volatile const int *)where + tls_value;
}

int main(int argc, char **argv) {
  printf("recursion: %d\n", fib_with_secret(10));
  int after;
  int before = outer(&after);
  printf("nested same domain: %d then %d\n", before, after);
  int still;
  int value = outer_calls_tls(&still);
  printf("inner gate of another domain: %d, outer still reads %d\n", value,
         still);
  fflush(stdout);
  if (argc > 1 && !strcmp(argv[1], "read-after"))
    printf("%d\n", peek(counter_address()));
  if (argc > 1 && !strcmp(argv[1], "other-domain"))
    printf("%d\n", peek_from_tls_gate(counter_address()));
  return 0;
}
