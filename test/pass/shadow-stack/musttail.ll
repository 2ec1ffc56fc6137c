; A musttail call reuses the caller's return address, so the check must come
; before the call; nothing may stand between the call and its return.
; RUN: %opt_pkguard -passes='pkguard-shadow-stack<all>' -S %s | FileCheck %s

target triple = "x86_64-pc-linux-gnu"

declare i32 @callee(i32)

define i32 @forward(i32 %x) {
entry:
  %r = musttail call i32 @callee(i32 %x)
  ret i32 %r
}

; CHECK-LABEL: define i32 @forward(
; CHECK:       callbr void asm sideeffect "jecxz 1f
; CHECK-NEXT:  to label %pkguard.checked [label %pkguard.forged]
; CHECK-LABEL: pkguard.checked:
; CHECK-NEXT:    [[SLOT:%.*]] = call ptr @llvm.addressofreturnaddress.p0()
; CHECK-NEXT:    [[FOUND:%.*]] = load volatile i64, ptr [[SLOT]]
; CHECK:       icmp ne i64 [[FOUND]]
; CHECK-NEXT:  br i1 {{.*}}, label %pkguard.report, label %pkguard.return
; CHECK-LABEL: pkguard.return:
; CHECK-NEXT:    %r = musttail call i32 @callee(i32 %x)
; CHECK-NEXT:    ret i32 %r
