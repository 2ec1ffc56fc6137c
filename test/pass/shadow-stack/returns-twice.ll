; A function that calls setjmp is instrumented like any other: after a
; longjmp back into it, its return address and its shadow slot are both
; untouched, because the shadow lives at a fixed offset from the stack. A
; function that itself returns twice is left alone.
; RUN: %opt_pkguard -passes='pkguard-shadow-stack<all>' -S %s | FileCheck %s

target triple = "x86_64-pc-linux-gnu"

declare i32 @setjmp(ptr) returns_twice

define i32 @calls_setjmp(ptr %env) {
entry:
  %r = call i32 @setjmp(ptr %env) returns_twice
  ret i32 %r
}

define i32 @my_setjmp(ptr %env) returns_twice {
entry:
  ret i32 0
}

; CHECK-LABEL: define i32 @calls_setjmp(
; CHECK-NEXT:  entry:
; CHECK-NEXT:    call ptr @llvm.addressofreturnaddress.p0()
; CHECK:         callbr void asm sideeffect "jecxz 1f
; CHECK-NEXT:    to label %pkguard.checked [label %pkguard.forged]
; CHECK-EMPTY:
; CHECK-NEXT:  pkguard.checked:
; CHECK-NEXT:    %r = call i32 @setjmp(ptr %env)
; CHECK:         call void @__pkguard_report_return_mismatch
; CHECK:       pkguard.forged:
; CHECK-NEXT:    call void @__pkguard_report_forged_rights(ptr @pkguard.function_name)
; CHECK-LABEL: define i32 @my_setjmp(
; CHECK-NEXT:  entry:
; CHECK-NEXT:    ret i32 0
