; Running the pass twice does not instrument twice.
; The elision rules would prove these small functions safe; the point here is
; the instrumentation itself, so they are off.
; RUN: %opt_pkguard -pkguard-shadow-stack-elide=none -passes='pkguard-shadow-stack<all>' -S %s -o %t.once.ll
; RUN: %opt_pkguard -pkguard-shadow-stack-elide=none -passes='pkguard-shadow-stack<all>,pkguard-shadow-stack<all>' -S %s -o %t.twice.ll
; RUN: %opt_pkguard -pkguard-shadow-stack-elide=none -passes='pkguard-shadow-stack<all>' -S %t.once.ll -o %t.again.ll
; RUN: diff %t.once.ll %t.twice.ll
; RUN: FileCheck %s < %t.again.ll

target triple = "x86_64-pc-linux-gnu"

define i32 @f(i32 %x) {
  ret i32 %x
}

; One checked window, one check, one report of each kind: nothing added by
; the second run.
; CHECK-LABEL:   define i32 @f(
; CHECK-COUNT-1: callbr void asm sideeffect "jecxz 1f
; CHECK-NOT:     asm sideeffect "jecxz 1f
; CHECK-COUNT-1: call void @__pkguard_report_return_mismatch(
; CHECK-NOT:     call void @__pkguard_report_return_mismatch(
; CHECK-COUNT-1: call void @__pkguard_report_forged_rights(
; CHECK-NOT:     call void @__pkguard_report_forged_rights(
; CHECK-COUNT-1: define internal void @pkguard.module_ctor()
; CHECK-NOT:     define internal void @pkguard.module_ctor
