// Without the Clang plugin, __attribute__((annotate("pkey"))) makes a
// secret all the same, and the pass enforces the same rules.
// RUN: %clang -S -emit-llvm -O2 -fpass-plugin=%pass_plugin -o - %s | FileCheck %s
// RUN: not %clang -S -emit-llvm -O2 -fpass-plugin=%pass_plugin -DLEAK -o /dev/null %s 2>&1 | FileCheck %s --check-prefix=LEAK
// CHECK: @hand_written = {{.*}}externally_initialized global {{.*}} section "pkguard_secrets", align 4096
// CHECK: define {{.*}} @gate(
// The gate opens domain 0 (gate words at table offset 32) in a checked
// window, and restores the rights it found in another before returning;
// each first checks whether it would change anything.
// CHECK: callbr void asm sideeffect "jecxz 1f\0A\09movq $1, $0\0A\09jmp 2f\0A1:\0A\09cmpq $1, $0\0A\09jne 5f\0A\09
// CHECK-SAME: ptr nonnull elementtype(i32) getelementptr inbounds{{( nuw)?}} (i8, ptr @pkguard.secret_table, i64 32)
// CHECK: load i32, ptr @hand_written
// CHECK: callbr void asm sideeffect "jecxz 1f\0A\09jmp 2f\0A1:\0A\09.byte 0x0f, 0x01, 0xee\0A\09cmpl %gs:0, %eax\0A\09sete %dl\0A\09
// CHECK: ret i32
// CHECK: call void @__pkguard_report_gate_restore(
// CHECK: call void @__pkguard_gate_check_failed(ptr nonnull @pkguard.secret_table, i32 0,
// Without debug information the error points at the function.
// LEAK: secret-annotate-by-hand.c:[[@LINE+8]]:5: error: secret 'hand_written' is used in 'leak', which is not a gate for its domain 'default'

__attribute__((annotate("pkey"))) int hand_written = 7;

__attribute__((annotate("pkguard.secret_access"))) int gate(void) {
  return hand_written;
}
#ifdef LEAK
int leak(void) { return hand_written; }
#endif
