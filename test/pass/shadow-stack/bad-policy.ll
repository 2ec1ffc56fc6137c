; An unknown policy is refused, in the pipeline text and on the command line
; (opt's and clang's), with pkguard's message and no crash dump.
; RUN: not %opt_pkguard -passes='pkguard-shadow-stack<most>' -S %s 2>&1 | FileCheck %s --check-prefix=PIPELINE
; RUN: not %opt_pkguard -pkguard-shadow-stack=most -passes=pkguard -S %s 2>&1 | FileCheck %s --check-prefix=OPTION
; PIPELINE: pkguard: unknown pass 'pkguard-shadow-stack<most>' (expected pkguard, pkguard-secrets or pkguard-shadow-stack<all|strong|none>)
; PIPELINE-NEXT: unknown pass name 'pkguard-shadow-stack<most>'
; PIPELINE-NOT: PLEASE submit a bug report
; Malformed parameters and parameters on a pass that takes none, too.
; RUN: not %opt_pkguard -passes='pkguard-shadow-stack<all' -S %s 2>&1 | FileCheck %s --check-prefix=UNCLOSED
; UNCLOSED: pkguard: unknown pass 'pkguard-shadow-stack<all' (expected
; RUN: not %opt_pkguard -passes='pkguard-secrets<all>' -S %s 2>&1 | FileCheck %s --check-prefix=SECRETS
; SECRETS: pkguard: unknown pass 'pkguard-secrets<all>' (expected
; RUN: not %opt_pkguard -passes='verify,pkguard-shadwo-stack' -S %s 2>&1 | FileCheck %s --check-prefix=MISSPELT
; MISSPELT: pkguard: unknown pass 'pkguard-shadwo-stack' (expected
; RUN: not %clang -fpass-plugin=%pass_plugin -Xclang -load -Xclang %pass_plugin -mllvm -pkguard-shadow-stack=bogus -c -x ir %s -o /dev/null 2>&1 | FileCheck %s --check-prefix=CLANG
; OPTION: pkguard: unknown shadow-stack policy 'most' (expected all, strong or none)
; CLANG: for the --pkguard-shadow-stack option: pkguard: unknown shadow-stack policy 'bogus' (expected all, strong or none)
; CLANG-NOT: PLEASE submit a bug report

target triple = "x86_64-pc-linux-gnu"

define void @f() {
  ret void
}
