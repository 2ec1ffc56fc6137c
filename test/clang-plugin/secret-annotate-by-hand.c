// Without the Clang plugin, __attribute__((annotate("pkey"))) makes a
// secret all the same, and the pass enforces the same rules.
// RUN: %clang -S -emit-llvm -O2 -fpass-plugin=%pass_plugin -o - %s | FileCheck %s
// RUN: not %clang -S -emit-llvm -O2 -fpass-plugin=%pass_plugin -DLEAK -o /dev/null %s 2>&1 | FileCheck %s --check-prefix=LEAK
// CHECK: @hand_written = {{.*}}externally_initialized global {{.*}} section "pkguard_secrets", align 4096
// CHECK: define {{.*}} @gate(
// CHECK: call i32 asm sideeffect "jecxz 1f
// Without debug information the error points at the function.
// LEAK: secret-annotate-by-hand.c:[[@LINE+8]]:5: error: secret 'hand_written' is used in 'leak', which is not a gate for its domain 'default'

__attribute__((annotate("pkey"))) int hand_written = 7;

__attribute__((annotate("pkguard.secret_access"))) int gate(void) {
  return hand_written;
}
#ifdef LEAK
int leak(void) { return hand_written; }
#endif
