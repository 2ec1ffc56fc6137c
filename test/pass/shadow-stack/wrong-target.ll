; The shadow stack exists for x86-64 only; another target is an error, not a
; silently unprotected build.
; The elision rules would prove these small functions safe; the point here is
; the instrumentation itself, so they are off.
; RUN: not %opt_pkguard -pkguard-shadow-stack-elide=none -passes='pkguard-shadow-stack<all>' -S %s 2>&1 | FileCheck %s
; CHECK: error: pkguard: the shadow stack needs an x86-64 target, not 'aarch64-unknown-linux-gnu'

target triple = "aarch64-unknown-linux-gnu"

define void @f() {
  ret void
}
