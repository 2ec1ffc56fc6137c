; The skip list: declarations, available_externally, naked and
; disable_sanitizer_instrumentation functions, pkguard's own runtime, and
; functions annotated pkguard.no_shadow_stack are never instrumented.
; The elision rules would prove these small functions safe; the point here is
; the instrumentation itself, so they are off.
; RUN: %opt_pkguard -pkguard-shadow-stack-elide=none -passes='pkguard-shadow-stack<all>' -S %s | FileCheck %s

target triple = "x86_64-pc-linux-gnu"

@.no = private constant [24 x i8] c"pkguard.no_shadow_stack\00", section "llvm.metadata"
@.file = private constant [2 x i8] c"f\00", section "llvm.metadata"
@llvm.global.annotations = appending global [1 x { ptr, ptr, ptr, i32, ptr }] [{ ptr, ptr, ptr, i32, ptr } { ptr @opted_out, ptr @.no, ptr @.file, i32 1, ptr null }], section "llvm.metadata"

declare i32 @external(i32)

define available_externally i32 @inline_copy(i32 %x) {
  ret i32 %x
}

define void @naked() naked {
  call void asm sideeffect "ret", ""()
  unreachable
}

define i32 @no_sanitize(i32 %x) disable_sanitizer_instrumentation {
  ret i32 %x
}

define i32 @__pkguard_helper(i32 %x) {
  ret i32 %x
}

define i32 @opted_out(i32 %x) {
  ret i32 %x
}

define i32 @instrumented(i32 %x) {
  ret i32 %x
}

; CHECK-LABEL: define available_externally i32 @inline_copy(
; CHECK-NEXT:    ret i32 %x
; CHECK-LABEL: define void @naked()
; CHECK-NEXT:    call void asm sideeffect "ret", ""()
; CHECK-LABEL: define i32 @no_sanitize(
; CHECK-NEXT:    ret i32 %x
; CHECK-LABEL: define i32 @__pkguard_helper(
; CHECK-NEXT:    ret i32 %x
; CHECK-LABEL: define i32 @opted_out(
; CHECK-NEXT:    ret i32 %x
; CHECK-LABEL: define i32 @instrumented(
; CHECK-NEXT:    call ptr @llvm.addressofreturnaddress.p0()
