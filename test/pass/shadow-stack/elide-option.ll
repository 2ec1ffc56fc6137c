; -pkguard-shadow-stack-elide chooses the rules: all (the default), none,
; or a list of rule names. A rule left out keeps what only it proves; the
; other rules still see the functions it would have elided as proven, since
; a proof is about the code, not about the shadow stack. An unknown rule is
; refused while the command line is parsed, in opt and in clang, naming it.
; RUN: %opt_pkguard -passes='pkguard-shadow-stack<all>' -pkguard-stats -S %s 2>&1 | FileCheck %s --check-prefixes=STATS-ALL,BOTH
; RUN: %opt_pkguard -pkguard-shadow-stack-elide=all -passes='pkguard-shadow-stack<all>' -pkguard-stats -S %s 2>&1 | FileCheck %s --check-prefixes=STATS-ALL,BOTH
; RUN: %opt_pkguard -pkguard-shadow-stack-elide=leaf,safe-callees -passes='pkguard-shadow-stack<all>' -pkguard-stats -S %s 2>&1 | FileCheck %s --check-prefixes=STATS-ALL,BOTH
; RUN: %opt_pkguard -pkguard-shadow-stack-elide=leaf -passes='pkguard-shadow-stack<all>' -pkguard-stats -S %s 2>&1 | FileCheck %s --check-prefixes=STATS-LEAF,LEAF
; RUN: %opt_pkguard -pkguard-shadow-stack-elide=safe-callees -passes='pkguard-shadow-stack<all>' -pkguard-stats -S %s 2>&1 | FileCheck %s --check-prefixes=STATS-CALLEES,CALLEES
; RUN: %opt_pkguard -pkguard-shadow-stack-elide=none -pkguard-shadow-stack=all -passes=pkguard -pkguard-stats -S %s 2>&1 | FileCheck %s --check-prefixes=STATS-NONE,NONE
; RUN: not %opt_pkguard -pkguard-shadow-stack-elide=leaf,tail -passes=pkguard -S %s 2>&1 | FileCheck %s --check-prefix=BAD
; RUN: not %opt_pkguard -pkguard-shadow-stack-elide= -passes=pkguard -S %s 2>&1 | FileCheck %s --check-prefix=EMPTY
; RUN: not %clang -fpass-plugin=%pass_plugin -Xclang -load -Xclang %pass_plugin -mllvm -pkguard-shadow-stack-elide=bogus -c -x ir %s -o /dev/null 2>&1 | FileCheck %s --check-prefix=CLANG
; STATS-ALL: pkguard: stats: shadow stack (all) in '{{.*}}elide-option.ll': 1 instrumented, 0 elided by policy, 2 proven safe (1 leaf, 1 safe-callees), 0 skipped
; STATS-LEAF: pkguard: stats: shadow stack (all) in '{{.*}}elide-option.ll': 2 instrumented, 0 elided by policy, 1 proven safe (1 leaf), 0 skipped
; STATS-CALLEES: pkguard: stats: shadow stack (all) in '{{.*}}elide-option.ll': 2 instrumented, 0 elided by policy, 1 proven safe (1 safe-callees), 0 skipped
; STATS-NONE: pkguard: stats: shadow stack (all) in '{{.*}}elide-option.ll': 3 instrumented, 0 elided by policy, 0 proven safe, 0 skipped
; BAD: pkguard: unknown shadow-stack elision rule 'tail' (expected all, none, or a comma-separated list of leaf and safe-callees)
; EMPTY: pkguard: unknown shadow-stack elision rule '' (expected
; CLANG: for the --pkguard-shadow-stack-elide option: pkguard: unknown shadow-stack elision rule 'bogus'
; CLANG-NOT: PLEASE submit a bug report

target triple = "x86_64-pc-linux-gnu"

declare void @elsewhere()

define dso_local i32 @leaf(i32 %x) {
  ret i32 %x
}

define dso_local i32 @calls_leaf(i32 %x) {
  %y = call i32 @leaf(i32 %x)
  ret i32 %y
}

define dso_local void @calls_elsewhere() {
  call void @elsewhere()
  ret void
}

; BOTH-LABEL: define dso_local i32 @leaf(
; BOTH-NOT:   addressofreturnaddress
; BOTH-LABEL: define dso_local i32 @calls_leaf(
; BOTH-NOT:   addressofreturnaddress
; BOTH-LABEL: define dso_local void @calls_elsewhere(
; BOTH:       addressofreturnaddress

; LEAF-LABEL: define dso_local i32 @leaf(
; LEAF-NOT:   addressofreturnaddress
; LEAF-LABEL: define dso_local i32 @calls_leaf(
; LEAF:       addressofreturnaddress
; LEAF-LABEL: define dso_local void @calls_elsewhere(
; LEAF:       addressofreturnaddress

; CALLEES-LABEL: define dso_local i32 @leaf(
; CALLEES:       addressofreturnaddress
; CALLEES-LABEL: define dso_local i32 @calls_leaf(
; CALLEES-NOT:   addressofreturnaddress
; CALLEES-LABEL: define dso_local void @calls_elsewhere(
; CALLEES:       addressofreturnaddress

; NONE-LABEL: define dso_local i32 @leaf(
; NONE:       addressofreturnaddress
; NONE-LABEL: define dso_local i32 @calls_leaf(
; NONE:       addressofreturnaddress
; NONE-LABEL: define dso_local void @calls_elsewhere(
; NONE:       addressofreturnaddress
