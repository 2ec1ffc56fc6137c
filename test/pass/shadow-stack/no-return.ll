; A function that never returns has no return address to check, and an
; unreachable-only function is left as it is.
; RUN: %opt_pkguard -passes='pkguard-shadow-stack<all>' -S %s | FileCheck %s
; The pass did see both, and left them alone for that reason.
; RUN: %opt_pkguard -passes='pkguard-shadow-stack<all>' -pkguard-stats -disable-output %s 2>&1 | FileCheck %s --check-prefix=STATS
; STATS: pkguard: stats: shadow stack (all) in '{{.*}}no-return.ll': 0 instrumented, 0 elided by policy, 0 proven safe, 2 skipped (2 never returns)

target triple = "x86_64-pc-linux-gnu"

declare void @exit(i32) noreturn

define void @dies() {
  call void @exit(i32 1)
  unreachable
}

define void @loops() {
entry:
  br label %loop
loop:
  br label %loop
}

; CHECK-LABEL: define void @dies()
; CHECK-NEXT:    call void @exit(i32 1)
; CHECK-NEXT:    unreachable
; CHECK-LABEL: define void @loops()
; CHECK-NEXT:  entry:
; CHECK-NEXT:    br label %loop
; CHECK-NOT:   @pkguard.module_ctor
