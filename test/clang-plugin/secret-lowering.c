// Every spelling of the secret and gate attributes lowers to the annotation
// the pass reads, in C (C23 and GNU spellings) and C++; domains included.
// RUN: %clang -S -emit-llvm -o - -std=c23 -fplugin=%clang_plugin %s | FileCheck %s
// RUN: %clang -S -emit-llvm -o - -x c++ -std=c++17 -fplugin=%clang_plugin %s | FileCheck %s
// RUN: %clang -fsyntax-only -std=c23 -fplugin=%clang_plugin -Xclang -ast-dump %s | FileCheck %s --check-prefix=AST

#ifdef __cplusplus
extern "C" {
#endif
[[secret]] int plain_spelling = 1;
[[pkguard::secret]] int scoped_spelling = 2;
__attribute__((secret)) int gnu_spelling = 3;
__attribute__((pkguard_secret)) int gnu_scoped_spelling = 4;
[[pkguard::secret("tls")]] int in_domain = 5;
__attribute__((secret("tls"))) int gnu_in_domain = 6;

[[pkguard::secret_access]] int gate(void) {
  return plain_spelling + scoped_spelling + gnu_spelling + gnu_scoped_spelling;
}
__attribute__((pkguard_secret_access("tls"))) int tls_gate(void) {
  return in_domain + gnu_in_domain;
}
#ifdef __cplusplus
}
#endif

// CHECK-DAG: [[PKEY:@.*]] = private unnamed_addr constant [5 x i8] c"pkey\00", section "llvm.metadata"
// CHECK-DAG: [[TLS:@.*]] = private unnamed_addr constant [9 x i8] c"pkey:tls\00", section "llvm.metadata"
// CHECK-DAG: [[GATE:@.*]] = private unnamed_addr constant [22 x i8] c"pkguard.secret_access\00", section "llvm.metadata"
// CHECK-DAG: [[TLSGATE:@.*]] = private unnamed_addr constant [26 x i8] c"pkguard.secret_access:tls\00", section "llvm.metadata"
// CHECK: @llvm.global.annotations = appending global
// CHECK-SAME: { ptr @plain_spelling, ptr [[PKEY]],
// CHECK-SAME: { ptr @scoped_spelling, ptr [[PKEY]],
// CHECK-SAME: { ptr @gnu_spelling, ptr [[PKEY]],
// CHECK-SAME: { ptr @gnu_scoped_spelling, ptr [[PKEY]],
// CHECK-SAME: { ptr @in_domain, ptr [[TLS]],
// CHECK-SAME: { ptr @gnu_in_domain, ptr [[TLS]],
// CHECK-SAME: { ptr @gate, ptr [[GATE]],
// CHECK-SAME: { ptr @tls_gate, ptr [[TLSGATE]],

// AST: VarDecl {{.*}} plain_spelling 'int'
// AST-NEXT: IntegerLiteral
// AST-NEXT: AnnotateAttr {{.*}} "pkey"
// AST: VarDecl {{.*}} in_domain 'int'
// AST: AnnotateAttr {{.*}} "pkey:tls"
// AST: FunctionDecl {{.*}} tls_gate
// AST: AnnotateAttr {{.*}} "pkguard.secret_access:tls"
