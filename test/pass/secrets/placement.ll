; Each secret moves into a page-aligned global padded to whole pages: in
; pkguard_secrets when initialised, .bss.pkguard_secrets when zero; const or
; not, it becomes writable and externally initialised, so that no
; optimisation folds its value. Comdats and linkage are kept. A secret
; already aligned to a page is placed like any other, and a larger
; alignment is kept.
; RUN: %opt_pkguard -passes=pkguard-secrets -S %s | FileCheck %s
; A constant secret is placed too, with a warning: the front end may have
; folded its value already (the Clang plugin refuses const secrets).
; RUN: %opt_pkguard -passes=pkguard-secrets -disable-output %s 2>&1 | FileCheck %s --check-prefix=WARN
; WARN: warning: pkguard: secret 'constant_array' is constant: the front end may already have copied its value into the code; declare it without const
; WARN-NOT: warning

target datalayout = "e-m:e-p270:32:32-p271:32:32-p272:64:64-i64:64-i128:128-f80:128-n8:16:32:64-S128"
target triple = "x86_64-pc-linux-gnu"

$inline_secret = comdat any

@key = global [32 x i8] c"0123456789abcdef0123456789abcdef"
@zeroed = internal global i64 0
@constant_array = constant [4 x i8] c"abcd"
@page_sized = global [4096 x i8] zeroinitializer
@inline_secret = linkonce_odr global i32 5, comdat
@page_aligned = global [16 x i8] c"0123456789abcdef", align 4096
@over_aligned = global i32 7, align 8192
@not_secret = global i32 1

@.pkey = private constant [5 x i8] c"pkey\00", section "llvm.metadata"
@.file = private constant [2 x i8] c"f\00", section "llvm.metadata"
@llvm.global.annotations = appending global [7 x { ptr, ptr, ptr, i32, ptr }] [
  { ptr, ptr, ptr, i32, ptr } { ptr @key, ptr @.pkey, ptr @.file, i32 1, ptr null },
  { ptr, ptr, ptr, i32, ptr } { ptr @zeroed, ptr @.pkey, ptr @.file, i32 2, ptr null },
  { ptr, ptr, ptr, i32, ptr } { ptr @constant_array, ptr @.pkey, ptr @.file, i32 3, ptr null },
  { ptr, ptr, ptr, i32, ptr } { ptr @page_sized, ptr @.pkey, ptr @.file, i32 4, ptr null },
  { ptr, ptr, ptr, i32, ptr } { ptr @inline_secret, ptr @.pkey, ptr @.file, i32 5, ptr null },
  { ptr, ptr, ptr, i32, ptr } { ptr @page_aligned, ptr @.pkey, ptr @.file, i32 6, ptr null },
  { ptr, ptr, ptr, i32, ptr } { ptr @over_aligned, ptr @.pkey, ptr @.file, i32 7, ptr null }], section "llvm.metadata"

; CHECK-DAG: @key = externally_initialized global { [32 x i8], [4064 x i8] } { [32 x i8] c"0123456789abcdef0123456789abcdef", [4064 x i8] zeroinitializer }, section "pkguard_secrets", align 4096
; CHECK-DAG: @zeroed = internal externally_initialized global { i64, [4088 x i8] } zeroinitializer, section ".bss.pkguard_secrets", align 4096
; CHECK-DAG: @constant_array = externally_initialized global { [4 x i8], [4092 x i8] } { [4 x i8] c"abcd", [4092 x i8] zeroinitializer }, section "pkguard_secrets", align 4096
; CHECK-DAG: @page_sized = externally_initialized global [4096 x i8] zeroinitializer, section ".bss.pkguard_secrets", align 4096
; CHECK-DAG: @inline_secret = linkonce_odr externally_initialized global { i32, [4092 x i8] } { i32 5, [4092 x i8] zeroinitializer }, section "pkguard_secrets", comdat, align 4096
; CHECK-DAG: @page_aligned = externally_initialized global { [16 x i8], [4080 x i8] } { [16 x i8] c"0123456789abcdef", [4080 x i8] zeroinitializer }, section "pkguard_secrets", align 4096
; CHECK-DAG: @over_aligned = externally_initialized global { i32, [4092 x i8] } { i32 7, [4092 x i8] zeroinitializer }, section "pkguard_secrets", align 8192
; CHECK-DAG: @not_secret = global i32 1{{$}}
