; The elision rules apply to 'strong' too: a function 'strong' selects for
; a stack object that stack safety cannot prove in bounds is still left
; without a shadow stack when every write is proven in bounds (here only a
; read may stray, which cannot change a return address). One whose write
; may overflow keeps it, and an explicit pkguard.shadow_stack keeps it
; whatever a rule proves.
; RUN: %opt_pkguard -passes='pkguard-shadow-stack<strong>' -S %s | FileCheck %s
; RUN: %opt_pkguard -passes='pkguard-shadow-stack<strong>' -pkguard-stats -disable-output %s 2>&1 | FileCheck %s --check-prefix=STATS
; RUN: %opt_pkguard -pkguard-shadow-stack-elide=none -passes='pkguard-shadow-stack<strong>' -pkguard-stats -disable-output %s 2>&1 | FileCheck %s --check-prefix=STATS-NONE
; STATS: pkguard: stats: shadow stack (strong) in '{{.*}}elide-strong.ll': 2 instrumented, 1 elided by policy, 1 proven safe (1 leaf), 0 skipped
; STATS-NONE: pkguard: stats: shadow stack (strong) in '{{.*}}elide-strong.ll': 3 instrumented, 1 elided by policy, 0 proven safe, 0 skipped

target triple = "x86_64-pc-linux-gnu"

@.yes = private constant [21 x i8] c"pkguard.shadow_stack\00", section "llvm.metadata"
@.file = private constant [2 x i8] c"f\00", section "llvm.metadata"
@llvm.global.annotations = appending global [1 x { ptr, ptr, ptr, i32, ptr }] [{ ptr, ptr, ptr, i32, ptr } { ptr @asked_for, ptr @.yes, ptr @.file, i32 1, ptr null }], section "llvm.metadata"

define i32 @no_locals(i32 %x) {
  ret i32 %x
}

define i32 @reads_past_its_array(i64 %i) {
  %a = alloca [4 x i32]
  store volatile i32 7, ptr %a
  %p = getelementptr [4 x i32], ptr %a, i64 0, i64 %i
  %r = load volatile i32, ptr %p
  ret i32 %r
}

define void @writes_past_its_array(i64 %i) {
  %a = alloca [4 x i32]
  %p = getelementptr [4 x i32], ptr %a, i64 0, i64 %i
  store volatile i32 7, ptr %p
  ret void
}

define i32 @asked_for(i64 %i) {
  %a = alloca [4 x i32]
  store volatile i32 7, ptr %a
  %p = getelementptr [4 x i32], ptr %a, i64 0, i64 %i
  %r = load volatile i32, ptr %p
  ret i32 %r
}

; CHECK-LABEL: define i32 @no_locals(
; CHECK-NOT:   addressofreturnaddress
; CHECK-LABEL: define i32 @reads_past_its_array(
; CHECK-NOT:   addressofreturnaddress
; CHECK-LABEL: define void @writes_past_its_array(
; CHECK:       addressofreturnaddress
; CHECK-LABEL: define i32 @asked_for(
; CHECK:       addressofreturnaddress
