; An exception that leaves a gate passes through a cleanup that restores the
; PKRU the gate found; calls that may throw become invokes for it. A musttail
; call is an exit too: the restore comes before it.
; RUN: %opt_pkguard -passes=pkguard-secrets -S %s | FileCheck %s

target datalayout = "e-m:e-p270:32:32-p271:32:32-p272:64:64-i64:64-i128:128-f80:128-n8:16:32:64-S128"
target triple = "x86_64-pc-linux-gnu"

@.gate = private constant [22 x i8] c"pkguard.secret_access\00", section "llvm.metadata"
@.file = private constant [2 x i8] c"f\00", section "llvm.metadata"
@llvm.global.annotations = appending global [2 x { ptr, ptr, ptr, i32, ptr }] [
  { ptr, ptr, ptr, i32, ptr } { ptr @may_throw_through, ptr @.gate, ptr @.file, i32 1, ptr null },
  { ptr, ptr, ptr, i32, ptr } { ptr @forwards, ptr @.gate, ptr @.file, i32 2, ptr null }], section "llvm.metadata"

declare void @may_throw()
declare i32 @__gxx_personality_v0(...)
declare i32 @callee(i32)

define void @may_throw_through() personality ptr @__gxx_personality_v0 {
entry:
  call void @may_throw()
  ret void
}

define i32 @forwards(i32 %x) {
entry:
  %r = musttail call i32 @callee(i32 %x)
  ret i32 %r
}

; CHECK-LABEL: define void @may_throw_through()
; CHECK:         invoke void @may_throw()
; CHECK-NEXT:            to label %{{.*}} unwind label %pkguard.gate_cleanup
; CHECK:       pkguard.gate_cleanup:
; CHECK-NEXT:    [[LP:%.*]] = landingpad { ptr, i32 }
; CHECK-NEXT:            cleanup
; CHECK:         call i32 asm sideeffect "xorl %r11d, %r11d
; CHECK:         call void @__pkguard_report_gate_restore(
; CHECK:         resume { ptr, i32 } [[LP]]

; CHECK-LABEL: define i32 @forwards(
; CHECK:         call i32 asm sideeffect "xorl %r11d, %r11d
; CHECK:         call void @__pkguard_report_return_mismatch(
; CHECK:         %r = musttail call i32 @callee(i32 %x)
; CHECK-NEXT:    ret i32 %r
