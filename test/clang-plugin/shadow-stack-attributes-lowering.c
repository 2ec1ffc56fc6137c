// Every spelling of the shadow-stack attributes lowers to the annotation the
// pass reads, in C and C++.
// RUN: %clang -S -emit-llvm -o - -std=c23 -fplugin=%clang_plugin %s | FileCheck %s
// RUN: %clang -S -emit-llvm -o - -x c++ -std=c++17 -fplugin=%clang_plugin %s | FileCheck %s
// RUN: %clang -fsyntax-only -std=c23 -fplugin=%clang_plugin -Xclang -ast-dump %s | FileCheck %s --check-prefix=AST

#ifdef __cplusplus
extern "C" {
#endif
[[pkguard::shadow_stack]] int scoped_in(void) { return 1; }
[[pkguard::no_shadow_stack]] int scoped_out(void) { return 2; }
__attribute__((pkguard_shadow_stack)) int gnu_in(void) { return 3; }
__attribute__((pkguard_no_shadow_stack)) int gnu_out(void) { return 4; }
#ifdef __cplusplus
}
#endif

// CHECK-DAG: [[IN:@.*]] = private unnamed_addr constant [21 x i8] c"pkguard.shadow_stack\00", section "llvm.metadata"
// CHECK-DAG: [[OUT:@.*]] = private unnamed_addr constant [24 x i8] c"pkguard.no_shadow_stack\00", section "llvm.metadata"
// CHECK: @llvm.global.annotations = appending global
// CHECK-SAME: { ptr @scoped_in, ptr [[IN]],
// CHECK-SAME: { ptr @scoped_out, ptr [[OUT]],
// CHECK-SAME: { ptr @gnu_in, ptr [[IN]],
// CHECK-SAME: { ptr @gnu_out, ptr [[OUT]],

// AST: FunctionDecl {{.*}} scoped_in
// AST: AnnotateAttr {{.*}} "pkguard.shadow_stack"
// AST: FunctionDecl {{.*}} scoped_out
// AST: AnnotateAttr {{.*}} "pkguard.no_shadow_stack"
