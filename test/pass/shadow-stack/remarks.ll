; Each function's outcome is an optimization remark naming it: instrumented
; and proven safe (with the rule) as passed remarks, elided by the policy and
; skipped (with the reason) as missed ones; in opt with -pass-remarks and in
; clang with -Rpass, and none without them.
; RUN: %opt_pkguard -passes='pkguard-shadow-stack<all>' -pass-remarks=pkguard-shadow-stack -pass-remarks-missed=pkguard-shadow-stack -disable-output %s 2>&1 | FileCheck %s --check-prefixes=ALL,MISSED
; RUN: %opt_pkguard -passes='pkguard-shadow-stack<strong>' -pass-remarks-missed=pkguard-shadow-stack -disable-output %s 2>&1 | FileCheck %s --check-prefix=STRONG
; RUN: %clang -fpass-plugin=%pass_plugin -Xclang -load -Xclang %pass_plugin -mllvm -pkguard-shadow-stack=all -Rpass=pkguard-shadow-stack -c -x ir %s -o /dev/null 2>&1 | FileCheck %s --check-prefixes=ALL,PASSED-ONLY
; RUN: %opt_pkguard -passes='pkguard-shadow-stack<all>' -disable-output %s 2>&1 | FileCheck %s --allow-empty --check-prefix=QUIET

; ALL-DAG: remark: {{.*}}'calls_out' has a shadow stack
; ALL-DAG: remark: {{.*}}'leaf' needs no shadow stack: proven safe by elision rule 'leaf'
; ALL-DAG: remark: {{.*}}'calls_leaf' needs no shadow stack: proven safe by elision rule 'safe-callees'
; MISSED-DAG: remark: {{.*}}'naked' has no shadow stack: naked
; MISSED-DAG: remark: {{.*}}'stops' has no shadow stack: never returns
; PASSED-ONLY-NOT: has no shadow stack
; STRONG-DAG: remark: {{.*}}'calls_out' has no shadow stack: policy 'strong' does not select it
; STRONG-DAG: remark: {{.*}}'naked' has no shadow stack: naked
; STRONG-NOT: has a shadow stack
; QUIET-NOT: remark

target triple = "x86_64-pc-linux-gnu"

declare void @elsewhere()
declare void @abort() noreturn

define dso_local i32 @leaf(i32 %x) {
  ret i32 %x
}

define dso_local i32 @calls_leaf(i32 %x) {
  %y = call i32 @leaf(i32 %x)
  ret i32 %y
}

define dso_local void @calls_out() {
  call void @elsewhere()
  ret void
}

define void @naked() naked {
  call void asm sideeffect "ret", ""()
  unreachable
}

define void @stops() {
  call void @abort()
  unreachable
}
