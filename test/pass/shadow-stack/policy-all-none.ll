; 'all' instruments every function that returns; 'none' only those that
; opt in with pkguard.shadow_stack. The command-line option sets the policy
; of the default pipeline.
; The elision rules would prove these small functions safe; the point here is
; the instrumentation itself, so they are off.
; RUN: %opt_pkguard -pkguard-shadow-stack-elide=none -passes='pkguard-shadow-stack<all>' -S %s | FileCheck %s --check-prefix=ALL
; RUN: %opt_pkguard -pkguard-shadow-stack-elide=none -pkguard-shadow-stack=all -passes=pkguard-shadow-stack -S %s | FileCheck %s --check-prefix=ALL
; RUN: %opt_pkguard -passes='pkguard-shadow-stack<none>' -S %s | FileCheck %s --check-prefix=NONE
; RUN: %opt_pkguard -pkguard-shadow-stack=none -passes=pkguard -S %s | FileCheck %s --check-prefix=NONE

target triple = "x86_64-pc-linux-gnu"

@.yes = private constant [21 x i8] c"pkguard.shadow_stack\00", section "llvm.metadata"
@.file = private constant [2 x i8] c"f\00", section "llvm.metadata"
@llvm.global.annotations = appending global [1 x { ptr, ptr, ptr, i32, ptr }] [{ ptr, ptr, ptr, i32, ptr } { ptr @opted_in, ptr @.yes, ptr @.file, i32 1, ptr null }], section "llvm.metadata"

define i32 @plain(i32 %x) {
  ret i32 %x
}

define i32 @opted_in(i32 %x) {
  ret i32 %x
}

; ALL-LABEL: define i32 @plain(
; ALL-NEXT:    call ptr @llvm.addressofreturnaddress.p0()
; ALL-LABEL: define i32 @opted_in(
; ALL-NEXT:    call ptr @llvm.addressofreturnaddress.p0()

; NONE-LABEL: define i32 @plain(
; NONE-NEXT:    ret i32 %x
; NONE-LABEL: define i32 @opted_in(
; NONE-NEXT:    call ptr @llvm.addressofreturnaddress.p0()
