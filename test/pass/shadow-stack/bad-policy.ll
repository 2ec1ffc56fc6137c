; An unknown policy is refused, in the pipeline text and on the command line
; (opt's and clang's), with pkguard's message and no crash dump.
; RUN: not %opt_pkguard -passes='pkguard-shadow-stack<most>' -S %s 2>&1 | FileCheck %s --check-prefix=PIPELINE
; RUN: not %opt_pkguard -pkguard-shadow-stack=most -passes=pkguard -S %s 2>&1 | FileCheck %s --check-prefix=OPTION
; PIPELINE: unknown pass name 'pkguard-shadow-stack<most>'
; RUN: not %clang -fpass-plugin=%pass_plugin -Xclang -load -Xclang %pass_plugin -mllvm -pkguard-shadow-stack=bogus -c -x ir %s -o /dev/null 2>&1 | FileCheck %s --check-prefix=CLANG
; OPTION: pkguard: unknown shadow-stack policy 'most' (expected all, strong or none)
; CLANG: for the --pkguard-shadow-stack option: pkguard: unknown shadow-stack policy 'bogus' (expected all, strong or none)
; CLANG-NOT: PLEASE submit a bug report

target triple = "x86_64-pc-linux-gnu"

define void @f() {
  ret void
}
