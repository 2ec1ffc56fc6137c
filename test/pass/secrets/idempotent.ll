; Running the secrets pass twice changes nothing the second time.
; RUN: %opt_pkguard -passes=pkguard-secrets -S %s -o %t.once.ll
; RUN: %opt_pkguard -passes=pkguard-secrets,pkguard-secrets -S %s -o %t.twice.ll
; RUN: diff %t.once.ll %t.twice.ll

target datalayout = "e-m:e-p270:32:32-p271:32:32-p272:64:64-i64:64-i128:128-f80:128-n8:16:32:64-S128"
target triple = "x86_64-pc-linux-gnu"

@key = global i32 42
@.pkey = private constant [5 x i8] c"pkey\00", section "llvm.metadata"
@.gate = private constant [22 x i8] c"pkguard.secret_access\00", section "llvm.metadata"
@.file = private constant [2 x i8] c"f\00", section "llvm.metadata"
@llvm.global.annotations = appending global [2 x { ptr, ptr, ptr, i32, ptr }] [
  { ptr, ptr, ptr, i32, ptr } { ptr @key, ptr @.pkey, ptr @.file, i32 1, ptr null },
  { ptr, ptr, ptr, i32, ptr } { ptr @read_key, ptr @.gate, ptr @.file, i32 2, ptr null }], section "llvm.metadata"

define i32 @read_key() {
  %v = load i32, ptr @key
  ret i32 %v
}
