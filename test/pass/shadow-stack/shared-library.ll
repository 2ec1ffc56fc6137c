; An executable (PIE or not) reaches the runtime's block directly; a shared
; library reaches it through the GOT, since the runtime lives in the program.
; The elision rules would prove these small functions safe; the point here is
; the instrumentation itself, so they are off.
; RUN: split-file %s %t
; RUN: %opt_pkguard -pkguard-shadow-stack-elide=none -passes='pkguard-shadow-stack<all>' -S %t/pie.ll | FileCheck %s --check-prefix=DIRECT
; RUN: %opt_pkguard -pkguard-shadow-stack-elide=none -passes='pkguard-shadow-stack<all>' -S %t/pic.ll | FileCheck %s --check-prefix=GOT
; DIRECT: @__pkguard_shadow_abi = external dso_local global { i32, i32, i64, i32, i32 }
; GOT:    @__pkguard_shadow_abi = external global { i32, i32, i64, i32, i32 }

;--- pie.ll
target triple = "x86_64-pc-linux-gnu"
define void @f() {
  ret void
}
!llvm.module.flags = !{!0, !1}
!0 = !{i32 8, !"PIC Level", i32 2}
!1 = !{i32 7, !"PIE Level", i32 2}

;--- pic.ll
target triple = "x86_64-pc-linux-gnu"
define void @f() {
  ret void
}
!llvm.module.flags = !{!0}
!0 = !{i32 8, !"PIC Level", i32 2}
