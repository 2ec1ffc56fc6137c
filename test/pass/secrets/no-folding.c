// At -O2 nothing folds a secret's value into the code or moves it off its
// pages: a secret that is never written is still loaded from memory, even
// at a constant index and in a condition, and a static secret used by a
// single function is not turned into a local of it.
// RUN: %pkguard_cc -O2 -S -emit-llvm -o - %s | FileCheck %s
// CHECK: @never_written = {{.*}}externally_initialized global {{.*}} section "pkguard_secrets", align 4096
// CHECK: @only_in_main = internal externally_initialized global {{.*}} section "pkguard_secrets", align 4096
// CHECK-LABEL: define {{.*}} @read_constant(
// CHECK:       load i32, ptr @never_written
// CHECK-LABEL: define {{.*}} @compare_at_constant_index(
// CHECK:       load i8, ptr getelementptr {{.*}}@key_bytes
// CHECK-LABEL: define {{.*}} @main(
// CHECK:       @only_in_main

[[secret]] static int never_written = 1234;
[[secret]] static int only_in_main = 5;

[[pkguard::secret_access]] int read_constant(void) { return never_written; }

[[secret]] static unsigned char key_bytes[4] = {9, 8, 7, 6};
[[pkguard::secret_access]] int compare_at_constant_index(void) {
  return key_bytes[1] == 8 ? 7 : 3;
}

[[pkguard::secret_access]] int main(void) {
  only_in_main += 1;
  return only_in_main + read_constant();
}
