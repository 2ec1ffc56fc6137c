; 'strong' instruments the functions whose frame has a buffer that can
; overflow: an array, an aggregate holding one, or an allocation of several
; objects, that stack-safety analysis cannot prove accessed in bounds, or a
; dynamic alloca, or any object indexed at a variable offset (Clang gives a
; union the type of its most aligned member, which can hide an array). Scalars, array-free structures (even with their address
; passed to an unknown function), in-bounds constant indexing and buffers
; that no call can see are not enough. 'strong' is the default.
; RUN: %opt_pkguard -passes='pkguard-shadow-stack<strong>' -S %s | FileCheck %s
; RUN: %opt_pkguard -passes=pkguard-shadow-stack -S %s | FileCheck %s

target triple = "x86_64-pc-linux-gnu"

declare void @use(ptr)

define i32 @scalar_only(i32 %x) {
  %v = alloca i32
  store i32 %x, ptr %v
  %r = load i32, ptr %v
  ret i32 %r
}

define i32 @array_constant_index() {
  %a = alloca [4 x i32]
  %p = getelementptr [4 x i32], ptr %a, i64 0, i64 3
  store i32 7, ptr %p
  %r = load i32, ptr %p
  ret i32 %r
}

define i32 @array_variable_index(i64 %i) {
  %a = alloca [4 x i32]
  %p = getelementptr [4 x i32], ptr %a, i64 0, i64 %i
  store i32 7, ptr %p
  ret i32 0
}

define void @address_escapes() {
  %a = alloca [16 x i8]
  call void @use(ptr %a)
  ret void
}

%struct.with_array = type { i32, [8 x i8] }
%struct.nested = type { i64, %struct.with_array }
%struct.pair = type { i64, i64 }
%union.bytes_or_word = type { i64 }

define void @array_in_struct_escapes() {
  %a = alloca %struct.nested
  call void @use(ptr %a)
  ret void
}

define void @several_objects_escape() {
  %a = alloca i64, i32 4
  call void @use(ptr %a)
  ret void
}

define void @union_indexed_as_bytes(i64 %i) {
  %a = alloca %union.bytes_or_word
  %byte = getelementptr i8, ptr %a, i64 %i
  store i8 0, ptr %byte
  call void @use(ptr %a)
  ret void
}

define void @struct_indexed_through_phi(i1 %c, i64 %i) {
entry:
  %a = alloca %struct.pair
  br i1 %c, label %then, label %join
then:
  %second = getelementptr %struct.pair, ptr %a, i64 0, i32 1
  br label %join
join:
  %field = phi ptr [ %a, %entry ], [ %second, %then ]
  %byte = getelementptr i8, ptr %field, i64 %i
  store i8 0, ptr %byte
  ret void
}

define void @union_escapes() {
  %a = alloca %union.bytes_or_word
  call void @use(ptr %a)
  ret void
}

define void @scalar_address_escapes() {
  %v = alloca i64
  call void @use(ptr %v)
  ret void
}

define void @struct_address_escapes() {
  %v = alloca %struct.pair
  call void @use(ptr %v)
  ret void
}

define void @dynamic_alloca(i64 %n) {
  %a = alloca i8, i64 %n
  store i8 0, ptr %a
  ret void
}

define i32 @no_locals(i32 %x) {
  %y = add i32 %x, 1
  ret i32 %y
}

; CHECK-LABEL: define i32 @scalar_only(
; CHECK-NOT:   addressofreturnaddress
; CHECK-LABEL: define i32 @array_constant_index(
; CHECK-NOT:   addressofreturnaddress
; CHECK-LABEL: define i32 @array_variable_index(
; CHECK:       addressofreturnaddress
; CHECK-LABEL: define void @address_escapes(
; CHECK:       addressofreturnaddress
; CHECK-LABEL: define void @array_in_struct_escapes(
; CHECK:       addressofreturnaddress
; CHECK-LABEL: define void @several_objects_escape(
; CHECK:       addressofreturnaddress
; CHECK-LABEL: define void @union_indexed_as_bytes(
; CHECK:       addressofreturnaddress
; CHECK-LABEL: define void @struct_indexed_through_phi(
; CHECK:       addressofreturnaddress
; CHECK-LABEL: define void @union_escapes(
; CHECK-NOT:   addressofreturnaddress
; CHECK-LABEL: define void @scalar_address_escapes(
; CHECK-NOT:   addressofreturnaddress
; CHECK-LABEL: define void @struct_address_escapes(
; CHECK-NOT:   addressofreturnaddress
; CHECK-LABEL: define void @dynamic_alloca(
; CHECK:       addressofreturnaddress
; CHECK-LABEL: define i32 @no_locals(
; CHECK-NOT:   addressofreturnaddress
; CHECK:       }
