; An instrumented function becomes noinline (an always_inline one too): the
; link-time inliner of -flto would otherwise paste its prologue into a
; caller, over that caller's shadow.
; The elision rules would prove these small functions safe; the point here is
; the instrumentation itself, so they are off.
; RUN: %opt_pkguard -pkguard-shadow-stack-elide=none -passes='pkguard-shadow-stack<all>' -S %s | FileCheck %s
target datalayout = "e-m:e-p270:32:32-p271:32:32-p272:64:64-i64:64-i128:128-f80:128-n8:16:32:64-S128"
target triple = "x86_64-pc-linux-gnu"

; CHECK-LABEL: define i32 @small(
; CHECK-SAME:  #[[INSTRUMENTED:[0-9]+]]
define i32 @small(i32 %x) {
  %y = add i32 %x, 1
  ret i32 %y
}

; CHECK-LABEL: define i32 @forced_inline(
; CHECK-SAME:  #[[INSTRUMENTED]]
define i32 @forced_inline(i32 %x) alwaysinline {
  ret i32 %x
}

; CHECK: attributes #[[INSTRUMENTED]] = { noinline "pkguard-shadow-stack" }
