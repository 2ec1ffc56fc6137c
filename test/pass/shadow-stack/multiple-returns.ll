; Every return gets its own check; the prologue runs once.
; The elision rules would prove these small functions safe; the point here is
; the instrumentation itself, so they are off.
; RUN: %opt_pkguard -pkguard-shadow-stack-elide=none -passes='pkguard-shadow-stack<all>' -S %s | FileCheck %s

target triple = "x86_64-pc-linux-gnu"

define i32 @sign(i32 %x) {
entry:
  %positive = icmp sgt i32 %x, 0
  br i1 %positive, label %pos, label %rest
rest:
  %zero = icmp eq i32 %x, 0
  br i1 %zero, label %zer, label %neg
pos:
  ret i32 1
zer:
  ret i32 0
neg:
  ret i32 -1
}

; CHECK-LABEL: define i32 @sign(
; CHECK-COUNT-1: callbr void asm sideeffect "jecxz 1f
; CHECK-NEXT: to label %pkguard.checked [label %pkguard.forged]
; CHECK-NOT: asm sideeffect
; CHECK-LABEL: pos:
; CHECK: icmp ne i64
; CHECK: call void @__pkguard_report_return_mismatch
; CHECK: ret i32 1
; CHECK-LABEL: zer:
; CHECK: icmp ne i64
; CHECK: call void @__pkguard_report_return_mismatch
; CHECK: ret i32 0
; CHECK-LABEL: neg:
; CHECK: icmp ne i64
; CHECK: call void @__pkguard_report_return_mismatch
; CHECK: ret i32 -1
; CHECK-NOT: asm sideeffect
; CHECK-LABEL: pkguard.forged:
; CHECK-NEXT: call void @__pkguard_report_forged_rights(ptr @pkguard.function_name)
; CHECK-NEXT: unreachable
