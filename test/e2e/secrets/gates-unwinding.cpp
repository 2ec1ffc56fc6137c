// Leaving a gate other than by returning: an exception thrown through it
// runs its cleanup, which restores the PKRU it found, so after the catch
// the secrets are closed again; an exception caught inside the gate leaves
// it open there. A longjmp out of a gate runs none of its code, so pkguard
// closes every secret domain on the way out.
//
// REQUIRES: pku
// RUN: %pkguard_cxx -O0 %s -o %t.O0
// RUN: %pkguard_cxx -O2 %s -o %t.O2
// RUN: %pkrun %t.O0 | FileCheck %s
// RUN: %pkrun %t.O2 | FileCheck %s
// RUN: not --crash %pkrun %t.O2 after-throw 2>&1 | FileCheck %s --check-prefix=THROWN
// RUN: not --crash %pkrun %t.O2 after-longjmp 2>&1 | FileCheck %s --check-prefix=JUMPED
// With the keys turned off the same reads leak.
// RUN: env PKGUARD_OPTIONS=use_pku=0 %pkrun %t.O2 after-throw | FileCheck %s --check-prefix=THROWN-LEAKED
// RUN: env PKGUARD_OPTIONS=use_pku=0 %pkrun %t.O2 after-longjmp | FileCheck %s --check-prefix=JUMPED-LEAKED
// CHECK: caught inside the gate, still open: 42
// CHECK-NEXT: caught outside the gate: too big
// CHECK-NEXT: left by longjmp: 1
// THROWN: caught outside the gate: too big
// THROWN-NEXT: pkguard: ERROR: read of secret 'answer' outside a gate
// JUMPED: left by longjmp: 1
// JUMPED-NEXT: pkguard: ERROR: read of secret 'answer' outside a gate
// THROWN-LEAKED: caught outside the gate: too big
// THROWN-LEAKED-NEXT: {{^}}42{{$}}
// JUMPED-LEAKED: left by longjmp: 1
// JUMPED-LEAKED-NEXT: {{^}}42{{$}}
#include <csetjmp>
#include <cstdio>
#include <cstring>
#include <stdexcept>

[[secret]] int answer = 42;
static std::jmp_buf escape;

__attribute__((noinline)) void check(int n) {
  if (n > 10)
    throw std::out_of_range("too big");
}

[[pkguard::secret_access]] int catches_inside(int n) {
  try {
    check(n);
  } catch (const std::out_of_range &) {
  }
  return answer;
}

[[pkguard::secret_access]] int throws_out(int n) {
  check(n);
  return answer;
}

[[pkguard::secret_access]] void jumps_out() {
  if (answer == 42)
    std::longjmp(escape, 1);
}

[[pkguard::secret_access]] const int *answer_address() { return &answer; }

__attribute__((noinline)) int peek(const int *where) {
  return *(volatile const int *)where;
}

int main(int argc, char **argv) {
  const char *mode = argc > 1 ? argv[1] : "";
  const int *where = answer_address();
  std::printf("caught inside the gate, still open: %d\n", catches_inside(11));
  try {
    throws_out(11);
  } catch (const std::out_of_range &e) {
    std::printf("caught outside the gate: %s\n", e.what());
  }
  std::fflush(stdout);
  if (!std::strcmp(mode, "after-throw"))
    std::printf("%d\n", peek(where));
  int jumped = setjmp(escape);
  if (!jumped)
    jumps_out();
  std::printf("left by longjmp: %d\n", jumped);
  std::fflush(stdout);
  if (!std::strcmp(mode, "after-longjmp"))
    std::printf("%d\n", peek(where));
  return 0;
}
