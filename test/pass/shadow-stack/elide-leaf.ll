; Rule 'leaf': a function that calls nothing but intrinsics, and whose
; every write is proven to stay inside one of its own stack objects or one
; global, cannot overwrite its own return address, so 'all' leaves it
; without a shadow stack. Writes through any other address (an argument, a
; loaded pointer, a variable index the analyses cannot bound) keep it.
; RUN: %opt_pkguard -passes='pkguard-shadow-stack<all>' -S %s | FileCheck %s
; RUN: %opt_pkguard -passes='pkguard-shadow-stack<all>' -pkguard-stats -disable-output %s 2>&1 | FileCheck %s --check-prefix=STATS
; STATS: pkguard: stats: shadow stack (all) in '{{.*}}elide-leaf.ll': 12 instrumented, 0 elided by policy, 6 proven safe (6 leaf), 0 skipped

target datalayout = "e-m:e-p270:32:32-p271:32:32-p272:64:64-i64:64-i128:128-f80:128-n8:16:32:64-S128"
target triple = "x86_64-pc-linux-gnu"

@table = global [4 x i32] zeroinitializer
@pointer = global ptr null

declare void @llvm.memset.p0.i64(ptr, i8, i64, i1)
declare i32 @llvm.umax.i32(i32, i32)
declare void @llvm.va_start.p0(ptr)
declare void @llvm.stackrestore.p0(ptr)

define i32 @no_writes(i32 %x, ptr %p) {
  %v = load i32, ptr %p
  %m = call i32 @llvm.umax.i32(i32 %x, i32 %v)
  ret i32 %m
}

define i32 @own_object_constant_offset(i32 %x) {
  %a = alloca [4 x i32]
  %last = getelementptr [4 x i32], ptr %a, i64 0, i64 3
  store volatile i32 %x, ptr %last
  %r = load volatile i32, ptr %last
  ret i32 %r
}

define void @global_constant_offset(i32 %x) {
  store i32 %x, ptr getelementptr ([4 x i32], ptr @table, i64 0, i64 3)
  atomicrmw add ptr @table, i32 1 seq_cst
  ret void
}

define void @memset_own_object() {
  %a = alloca [16 x i8]
  call void @llvm.memset.p0.i64(ptr %a, i8 0, i64 16, i1 true)
  ret void
}

; Stack safety bounds the index: i & 7 stays inside 8 bytes.
define i8 @own_object_bounded_index(i64 %i) {
  %a = alloca [8 x i8]
  %masked = and i64 %i, 7
  %p = getelementptr [8 x i8], ptr %a, i64 0, i64 %masked
  store volatile i8 1, ptr %p
  %r = load volatile i8, ptr %a
  ret i8 %r
}

define void @fence_only() {
  fence seq_cst
  ret void
}

define void @through_argument(ptr %p) {
  store i32 1, ptr %p
  ret void
}

define void @through_loaded_pointer() {
  %p = load ptr, ptr @pointer
  store i32 1, ptr %p
  ret void
}

define void @global_variable_index(i64 %i) {
  %p = getelementptr [4 x i32], ptr @table, i64 0, i64 %i
  store i32 1, ptr %p
  ret void
}

define void @global_past_its_end() {
  store i32 1, ptr getelementptr ([4 x i32], ptr @table, i64 0, i64 4)
  ret void
}

define void @own_object_unbounded_index(i64 %i) {
  %a = alloca [4 x i32]
  %p = getelementptr [4 x i32], ptr %a, i64 0, i64 %i
  store volatile i32 1, ptr %p
  ret void
}

define void @memset_variable_length(i64 %n) {
  %a = alloca [16 x i8]
  call void @llvm.memset.p0.i64(ptr %a, i8 0, i64 %n, i1 true)
  ret void
}

; Each object is in bounds, but the address reaches them through a phi,
; which no rule follows.
define void @either_object(i1 %c) {
entry:
  %a = alloca i32
  %b = alloca i32
  br i1 %c, label %left, label %join
left:
  br label %join
join:
  %p = phi ptr [ %a, %left ], [ %b, %entry ]
  store volatile i32 1, ptr %p
  ret void
}

define void @cmpxchg_through_argument(ptr %p) {
  cmpxchg ptr %p, i32 0, i32 1 seq_cst seq_cst
  ret void
}

define void @inline_assembly() {
  call void asm sideeffect "", "~{memory}"()
  ret void
}

define void @dynamic_object(i64 %n) {
  %a = alloca i8, i64 %n
  store volatile i8 0, ptr %a
  ret void
}

; Intrinsics that write memory or move the stack pointer.
define void @variadic(...) {
  %list = alloca [24 x i8]
  call void @llvm.va_start.p0(ptr %list)
  ret void
}

define void @restores_the_stack(ptr %sp) {
  call void @llvm.stackrestore.p0(ptr %sp)
  ret void
}

; CHECK-LABEL: define i32 @no_writes(
; CHECK-NOT:   addressofreturnaddress
; CHECK-LABEL: define i32 @own_object_constant_offset(
; CHECK-NOT:   addressofreturnaddress
; CHECK-LABEL: define void @global_constant_offset(
; CHECK-NOT:   addressofreturnaddress
; CHECK-LABEL: define void @memset_own_object(
; CHECK-NOT:   addressofreturnaddress
; CHECK-LABEL: define i8 @own_object_bounded_index(
; CHECK-NOT:   addressofreturnaddress
; CHECK-LABEL: define void @fence_only(
; CHECK-NOT:   addressofreturnaddress
; CHECK-LABEL: define void @through_argument(
; CHECK:       addressofreturnaddress
; CHECK-LABEL: define void @through_loaded_pointer(
; CHECK:       addressofreturnaddress
; CHECK-LABEL: define void @global_variable_index(
; CHECK:       addressofreturnaddress
; CHECK-LABEL: define void @global_past_its_end(
; CHECK:       addressofreturnaddress
; CHECK-LABEL: define void @own_object_unbounded_index(
; CHECK:       addressofreturnaddress
; CHECK-LABEL: define void @memset_variable_length(
; CHECK:       addressofreturnaddress
; CHECK-LABEL: define void @either_object(
; CHECK:       addressofreturnaddress
; CHECK-LABEL: define void @cmpxchg_through_argument(
; CHECK:       addressofreturnaddress
; CHECK-LABEL: define void @inline_assembly(
; CHECK:       addressofreturnaddress
; CHECK-LABEL: define void @dynamic_object(
; CHECK:       addressofreturnaddress
; CHECK-LABEL: define void @variadic(
; CHECK:       addressofreturnaddress
; CHECK-LABEL: define void @restores_the_stack(
; CHECK:       addressofreturnaddress
