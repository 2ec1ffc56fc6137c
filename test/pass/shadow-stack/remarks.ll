; Each function's outcome is an optimization remark naming it: instrumented
; and proven safe (with the rule) as passed remarks, elided by the policy and
; skipped (with the reason) as missed ones; in opt with -pass-remarks and in
; clang with -Rpass, and none without them. Decisions come in the module's
; order, the instrumented functions after them.
; RUN: %opt_pkguard -passes='pkguard-shadow-stack<all>' -pass-remarks=pkguard-shadow-stack -pass-remarks-missed=pkguard-shadow-stack -disable-output %s 2>&1 | FileCheck %s --check-prefix=ALL
; RUN: %opt_pkguard -passes='pkguard-shadow-stack<strong>' -pass-remarks=pkguard-shadow-stack -pass-remarks-missed=pkguard-shadow-stack -disable-output %s 2>&1 | FileCheck %s --check-prefix=STRONG
; RUN: %clang -fpass-plugin=%pass_plugin -Xclang -load -Xclang %pass_plugin -mllvm -pkguard-shadow-stack=all -Rpass=pkguard-shadow-stack -c -x ir %s -o /dev/null 2>&1 | FileCheck %s --check-prefix=PASSED
; RUN: %opt_pkguard -passes='pkguard-shadow-stack<all>' -disable-output %s 2>&1 | count 0

; ALL: remark: {{.*}}'leaf' needs no shadow stack: proven safe by elision rule 'leaf'
; ALL-NEXT: remark: {{.*}}'calls_leaf' needs no shadow stack: proven safe by elision rule 'safe-callees'
; ALL-NEXT: remark: {{.*}}'naked' has no shadow stack: naked
; ALL-NEXT: remark: {{.*}}'stops' has no shadow stack: never returns
; ALL-NEXT: remark: {{.*}}'calls_out' has a shadow stack
; ALL-NOT: remark

; STRONG: remark: {{.*}}'leaf' has no shadow stack: policy 'strong' does not select it
; STRONG-NEXT: remark: {{.*}}'calls_leaf' has no shadow stack: policy 'strong' does not select it
; STRONG-NEXT: remark: {{.*}}'calls_out' has no shadow stack: policy 'strong' does not select it
; STRONG-NEXT: remark: {{.*}}'naked' has no shadow stack: naked
; STRONG-NEXT: remark: {{.*}}'stops' has no shadow stack: never returns
; STRONG-NOT: remark

; PASSED: remark: {{.*}}'leaf' needs no shadow stack: proven safe by elision rule 'leaf' [-Rpass=pkguard-shadow-stack]
; PASSED-NEXT: remark: {{.*}}'calls_leaf' needs no shadow stack: proven safe by elision rule 'safe-callees' [-Rpass=pkguard-shadow-stack]
; PASSED-NEXT: remark: {{.*}}'calls_out' has a shadow stack [-Rpass=pkguard-shadow-stack]
; PASSED-NOT: remark

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
