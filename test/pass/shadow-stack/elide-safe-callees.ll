; Rule 'safe-callees': a function whose writes are proven as for 'leaf' and
; whose calls go only to functions of this module that are proven too,
; transitively, cannot have its return address overwritten by anything it
; runs. Recursion among proven functions stays proven. The callee's
; definition here must be the one that runs, and a callee's memory
; attributes prove nothing: they leave out its own stack objects.
; RUN: %opt_pkguard -passes='pkguard-shadow-stack<all>' -S %s | FileCheck %s
; RUN: %opt_pkguard -passes='pkguard-shadow-stack<all>' -pkguard-stats -disable-output %s 2>&1 | FileCheck %s --check-prefix=STATS
; STATS: pkguard: stats: shadow stack (all) in '{{.*}}elide-safe-callees.ll': 10 instrumented, 0 elided by policy, 8 proven safe (3 leaf, 5 safe-callees), 0 skipped

target datalayout = "e-m:e-p270:32:32-p271:32:32-p272:64:64-i64:64-i128:128-f80:128-n8:16:32:64-S128"
target triple = "x86_64-pc-linux-gnu"

@counter = dso_local global i64 0

declare i32 @elsewhere(i32)
declare i32 @says_it_is_pure(i32) memory(none)
declare i32 @__gxx_personality_v0(...)

define dso_local i32 @leaf(i32 %x) {
  %y = mul i32 %x, 3
  ret i32 %y
}

define dso_local i32 @calls_leaf(i32 %x) {
  %y = call i32 @leaf(i32 %x)
  store i64 1, ptr @counter
  ret i32 %y
}

define dso_local i32 @fib(i32 %n) {
entry:
  %small = icmp slt i32 %n, 2
  br i1 %small, label %done, label %recurse
recurse:
  %n1 = sub i32 %n, 1
  %a = call i32 @fib(i32 %n1)
  %n2 = sub i32 %n, 2
  %b = call i32 @fib(i32 %n2)
  %sum = add i32 %a, %b
  ret i32 %sum
done:
  ret i32 %n
}

define internal i32 @even(i32 %n) {
  %zero = icmp eq i32 %n, 0
  br i1 %zero, label %yes, label %next
yes:
  ret i32 1
next:
  %m = sub i32 %n, 1
  %r = call i32 @odd(i32 %m)
  ret i32 %r
}

define internal i32 @odd(i32 %n) {
  %zero = icmp eq i32 %n, 0
  br i1 %zero, label %no, label %next
no:
  ret i32 0
next:
  %m = sub i32 %n, 1
  %r = call i32 @even(i32 %m)
  ret i32 %r
}

define dso_local i32 @invokes_leaf(i32 %x) personality ptr @__gxx_personality_v0 {
entry:
  %y = invoke i32 @leaf(i32 %x) to label %ok unwind label %failed
ok:
  ret i32 %y
failed:
  %lp = landingpad { ptr, i32 } cleanup
  resume { ptr, i32 } %lp
}

define dso_local i32 @calls_declaration(i32 %x) {
  %y = call i32 @elsewhere(i32 %x)
  ret i32 %y
}

define dso_local i32 @calls_pure_declaration(i32 %x) {
  %y = call i32 @says_it_is_pure(i32 %x)
  ret i32 %y
}

define dso_local void @writes_argument(ptr %p) {
  store i32 1, ptr %p
  ret void
}

define dso_local void @calls_unsafe(ptr %p) {
  call void @writes_argument(ptr %p)
  ret void
}

define dso_local void @calls_unsafe_transitively(ptr %p) {
  call void @calls_unsafe(ptr %p)
  ret void
}

; Optimisations infer memory(none) though the body writes past its own
; array: accesses to its own stack are left out of the attribute.
define dso_local i32 @pure_but_overflows(i64 %i) memory(none) {
  %a = alloca [4 x i32]
  %p = getelementptr [4 x i32], ptr %a, i64 0, i64 %i
  store volatile i32 1, ptr %p
  ret i32 0
}

define dso_local i32 @calls_pure_but_overflows(i64 %i) {
  %r = call i32 @pure_but_overflows(i64 %i)
  ret i32 %r
}

define linkonce_odr i32 @inline_elsewhere(i32 %x) {
  ret i32 %x
}

define dso_local i32 @calls_linkonce_odr(i32 %x) {
  %y = call i32 @inline_elsewhere(i32 %x)
  ret i32 %y
}

define i32 @preemptible(i32 %x) {
  ret i32 %x
}

define dso_local i32 @calls_preemptible(i32 %x) {
  %y = call i32 @preemptible(i32 %x)
  ret i32 %y
}

define dso_local i32 @calls_indirectly(ptr %f) {
  %y = call i32 %f(i32 1)
  ret i32 %y
}

; CHECK-LABEL: define dso_local i32 @leaf(
; CHECK-NOT:   addressofreturnaddress
; CHECK-LABEL: define dso_local i32 @calls_leaf(
; CHECK-NOT:   addressofreturnaddress
; CHECK-LABEL: define dso_local i32 @fib(
; CHECK-NOT:   addressofreturnaddress
; CHECK-LABEL: define internal i32 @even(
; CHECK-NOT:   addressofreturnaddress
; CHECK-LABEL: define internal i32 @odd(
; CHECK-NOT:   addressofreturnaddress
; CHECK-LABEL: define dso_local i32 @invokes_leaf(
; CHECK-NOT:   addressofreturnaddress
; CHECK-LABEL: define dso_local i32 @calls_declaration(
; CHECK:       addressofreturnaddress
; CHECK-LABEL: define dso_local i32 @calls_pure_declaration(
; CHECK:       addressofreturnaddress
; CHECK-LABEL: define dso_local void @writes_argument(
; CHECK:       addressofreturnaddress
; CHECK-LABEL: define dso_local void @calls_unsafe(
; CHECK:       addressofreturnaddress
; CHECK-LABEL: define dso_local void @calls_unsafe_transitively(
; CHECK:       addressofreturnaddress
; CHECK-LABEL: define dso_local i32 @pure_but_overflows(
; CHECK:       addressofreturnaddress
; CHECK-LABEL: define dso_local i32 @calls_pure_but_overflows(
; CHECK:       addressofreturnaddress
; CHECK-LABEL: define linkonce_odr i32 @inline_elsewhere(
; CHECK-NOT:   addressofreturnaddress
; CHECK-LABEL: define dso_local i32 @calls_linkonce_odr(
; CHECK:       addressofreturnaddress
; CHECK-LABEL: define i32 @preemptible(
; CHECK-NOT:   addressofreturnaddress
; CHECK-LABEL: define dso_local i32 @calls_preemptible(
; CHECK:       addressofreturnaddress
; CHECK-LABEL: define dso_local i32 @calls_indirectly(
; CHECK:       addressofreturnaddress
