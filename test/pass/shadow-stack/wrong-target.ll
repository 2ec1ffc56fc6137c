; The shadow stack exists for x86-64 only; another target is an error, not a
; silently unprotected build.
; RUN: not %opt_pkguard -passes='pkguard-shadow-stack<all>' -S %s 2>&1 | FileCheck %s
; CHECK: error: pkguard: the shadow stack needs an x86-64 target, not 'aarch64-unknown-linux-gnu'

target triple = "aarch64-unknown-linux-gnu"

define void @f() {
  ret void
}
