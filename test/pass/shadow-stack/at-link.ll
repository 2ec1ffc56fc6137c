; Under -flto the shadow stack can be added at the link (ShadowStack.cpp;
; pkguard-clang asks for it). Before the link, in a module that is to be
; linked with LTO (it has the EnableSplitLTOUnit flag Clang sets under
; -flto), each function is stamped with the policy and elision rules asked
; for, and nothing else changes: no prologue, no noinline, so that the link
; can inline it; a marker refers to a symbol nothing defines, so that a link
; that does not run the pass fails. At the link, a module that carries
; stamps has each stamped function instrumented by its own stamp, whatever
; the link's options, functions without a stamp (compiled without pkguard)
; left alone, and the marker removed. A stamp that is not what the pass
; writes is warned about and read as 'all'.
; RUN: %opt_pkguard -pkguard-shadow-stack-at-link -pkguard-stats -passes='pkguard-shadow-stack' -S %s 2>%t.before.err | FileCheck %s --check-prefix=BEFORE
; RUN: FileCheck %s --check-prefix=BEFORE-STATS < %t.before.err
; RUN: %opt_pkguard -pkguard-shadow-stack-at-link -pkguard-shadow-stack=all -pkguard-shadow-stack-elide=none -passes='pkguard-shadow-stack' -S %s | FileCheck %s --check-prefix=BEFORE-ALL
; RUN: %opt_pkguard -pkguard-shadow-stack=all -pkguard-shadow-stack-elide=none -passes='pkguard-shadow-stack' -S %s | FileCheck %s --check-prefix=INSTRUMENTED
; RUN: sed 's/; STAMP //' %s | %opt_pkguard -pkguard-shadow-stack=none -passes='pkguard-shadow-stack' -S 2>%t.link.err | FileCheck %s --check-prefix=LINK
; RUN: FileCheck %s --check-prefix=LINK-WARNING < %t.link.err
target datalayout = "e-m:e-p270:32:32-p271:32:32-p272:64:64-i64:64-i128:128-f80:128-n8:16:32:64-S128"
target triple = "x86_64-pc-linux-gnu"

define i32 @leaf(i32 %x) {
  %y = add i32 %x, 1
  ret i32 %y
}

define i32 @plain(i32 %x) {
  ret i32 %x
}

define i32 @malformed(i32 %x) {
  ret i32 %x
}

; STAMP @__pkguard_lto_objects_need_the_link_through_pkguard = external global i8
; STAMP @pkguard.link_marker = internal constant ptr @__pkguard_lto_objects_need_the_link_through_pkguard
; STAMP @llvm.used = appending global [1 x ptr] [ptr @pkguard.link_marker], section "llvm.metadata"
; STAMP attributes #0 = { "pkguard-shadow-stack-at-link"="all:0" }
; STAMP attributes #1 = { "pkguard-shadow-stack-at-link"="everything" }
; STAMP define i32 @stamped_all(i32 %x) #0 {
; STAMP   ret i32 %x
; STAMP }
; STAMP define i32 @stamped_malformed(i32 %x) #1 {
; STAMP   ret i32 %x
; STAMP }

!llvm.module.flags = !{!0}
!0 = !{i32 1, !"EnableSplitLTOUnit", i32 1}

; BEFORE:       @__pkguard_lto_objects_need_the_link_through_pkguard = external global i8
; BEFORE:       @pkguard.link_marker = internal constant ptr @__pkguard_lto_objects_need_the_link_through_pkguard
; BEFORE:       @llvm.used = appending global [1 x ptr] [ptr @pkguard.link_marker]
; BEFORE-LABEL: define i32 @leaf(
; BEFORE-SAME:  #[[STAMP:[0-9]+]]
; BEFORE-NOT:   asm
; BEFORE:       attributes #[[STAMP]] = { "pkguard-shadow-stack-at-link"="strong:{{[0-9]+}}" }
; BEFORE-STATS: pkguard: stats: shadow stack (strong) in '{{.*}}at-link.ll': 0 instrumented, 0 elided by policy, 0 proven safe, 0 skipped, 3 left to the link
; BEFORE-ALL:   attributes #{{[0-9]+}} = { "pkguard-shadow-stack-at-link"="all:0" }

; INSTRUMENTED-LABEL: define i32 @leaf(
; INSTRUMENTED:       callbr void asm sideeffect "jecxz 1f
; INSTRUMENTED-NOT:   pkguard-shadow-stack-at-link

; The link's own policy (none) does not matter to what is stamped.
; LINK-NOT:   link_marker
; LINK-NOT:   __pkguard_lto_objects_need_the_link_through_pkguard
; LINK-LABEL: define i32 @leaf(
; LINK-NOT:   asm
; LINK-LABEL: define i32 @stamped_all(
; LINK-SAME:  #[[SHADOWED:[0-9]+]]
; LINK:       callbr void asm sideeffect "jecxz 1f
; LINK-LABEL: define i32 @stamped_malformed(
; LINK:       callbr void asm sideeffect "jecxz 1f
; LINK:       attributes #[[SHADOWED]] = { noinline "pkguard-shadow-stack" "pkguard-shadow-stack-at-link"="all:0" }
; LINK-WARNING: pkguard: warning: function 'stamped_malformed' has a malformed pkguard-shadow-stack-at-link stamp 'everything'; it gets a shadow stack
