; An unknown policy is refused, in the pipeline text and on the command line.
; RUN: not %opt_pkguard -passes='pkguard-shadow-stack<most>' -S %s 2>&1 | FileCheck %s --check-prefix=PIPELINE
; RUN: not %opt_pkguard -pkguard-shadow-stack=most -passes=pkguard -S %s 2>&1 | FileCheck %s --check-prefix=OPTION
; PIPELINE: unknown pass name 'pkguard-shadow-stack<most>'
; OPTION: pkguard: unknown shadow-stack policy 'most' (expected all, strong or none)

target triple = "x86_64-pc-linux-gnu"

define void @f() {
  ret void
}
