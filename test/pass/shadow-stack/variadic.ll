; Variadic functions are instrumented; va_start still finds its arguments.
; RUN: %opt_pkguard -passes='pkguard-shadow-stack<all>' -S %s | FileCheck %s

target triple = "x86_64-pc-linux-gnu"

declare void @llvm.va_start.p0(ptr)
declare void @llvm.va_end.p0(ptr)

define i32 @first_vararg(i32 %n, ...) {
entry:
  %ap = alloca [1 x { i32, i32, ptr, ptr }], align 16
  call void @llvm.va_start.p0(ptr %ap)
  %v = va_arg ptr %ap, i32
  call void @llvm.va_end.p0(ptr %ap)
  ret i32 %v
}

; CHECK-LABEL: define i32 @first_vararg(i32 %n, ...)
; CHECK-NEXT:  entry:
; CHECK-NEXT:    %ap = alloca
; CHECK-NEXT:    call ptr @llvm.addressofreturnaddress.p0()
; CHECK:         callbr void asm sideeffect "jecxz 1f
; CHECK-NEXT:    to label %pkguard.checked [label %pkguard.forged]
; CHECK-EMPTY:
; CHECK-NEXT:  pkguard.checked:
; CHECK-NEXT:    call void @llvm.va_start.p0(ptr %ap)
; CHECK:         call void @__pkguard_report_return_mismatch
; CHECK:         ret i32 %v
; CHECK-LABEL: pkguard.forged:
; CHECK-NEXT:    call void @__pkguard_report_forged_rights(ptr @pkguard.function_name)
; CHECK-NEXT:    unreachable
