; The module's table lists its secrets and domains for the runtime, and a
; constructor (not in a comdat: one per module) registers it before any
; other constructor; a destructor takes it back.
; RUN: %opt_pkguard -passes=pkguard-secrets -S %s | FileCheck %s

target datalayout = "e-m:e-p270:32:32-p271:32:32-p272:64:64-i64:64-i128:128-f80:128-n8:16:32:64-S128"
target triple = "x86_64-pc-linux-gnu"

@a = global i32 1
@b = global i32 2

@.pkey = private constant [5 x i8] c"pkey\00", section "llvm.metadata"
@.pkey.tls = private constant [9 x i8] c"pkey:tls\00", section "llvm.metadata"
@.file = private constant [2 x i8] c"f\00", section "llvm.metadata"
@llvm.global.annotations = appending global [2 x { ptr, ptr, ptr, i32, ptr }] [
  { ptr, ptr, ptr, i32, ptr } { ptr @a, ptr @.pkey, ptr @.file, i32 1, ptr null },
  { ptr, ptr, ptr, i32, ptr } { ptr @b, ptr @.pkey.tls, ptr @.file, i32 2, ptr null }], section "llvm.metadata"

; CHECK: @pkguard.secret_name = private unnamed_addr constant [2 x i8] c"a\00"
; CHECK: @pkguard.secret_name.1 = private unnamed_addr constant [2 x i8] c"b\00"
; CHECK: @pkguard.domain_name = private unnamed_addr constant [8 x i8] c"default\00"
; CHECK: @pkguard.domain_name.2 = private unnamed_addr constant [4 x i8] c"tls\00"
; CHECK: @pkguard.domain_names = private constant [2 x ptr] [ptr @pkguard.domain_name, ptr @pkguard.domain_name.2]
; CHECK: @pkguard.secrets = private constant [2 x { ptr, i64, ptr, i32, i32 }] [{ ptr, i64, ptr, i32, i32 } { ptr @a, i64 4096, ptr @pkguard.secret_name, i32 0, i32 0 }, { ptr, i64, ptr, i32, i32 } { ptr @b, i64 4096, ptr @pkguard.secret_name.1, i32 1, i32 0 }]
; The header: "PKGS", version 2, 2 domains, 2 secrets, then the gate words
; (clear, open_bits, open_expect, 5 reserved), which start closed: clear
; all ones, every other word zero.
; CHECK: @pkguard.secret_table = internal global {{.*}} { i32 1397181264, i32 2, i32 2, i32 2, ptr @pkguard.domain_names, ptr @pkguard.secrets, [2 x { i32, i32, i32, [5 x i32] }] {{\[}}{ i32, i32, i32, [5 x i32] } { i32 -1, i32 0, i32 0, [5 x i32] zeroinitializer }, { i32, i32, i32, [5 x i32] } { i32 -1, i32 0, i32 0, [5 x i32] zeroinitializer }] }, [{{[0-9]+}} x i8] zeroinitializer }, section "pkguard_tables", align 4096
; CHECK: @llvm.global_ctors = appending global [1 x { i32, ptr, ptr }] [{ i32, ptr, ptr } { i32 1, ptr @pkguard.secrets_ctor, ptr null }]
; CHECK: @llvm.global_dtors = appending global [1 x { i32, ptr, ptr }] [{ i32, ptr, ptr } { i32 1, ptr @pkguard.secrets_dtor, ptr null }]

; CHECK-LABEL: define internal void @pkguard.secrets_ctor()
; CHECK-NEXT:    call void @__pkguard_register_secrets(ptr @pkguard.secret_table)
; CHECK-NEXT:    call void @__pkguard_version_mismatch_check_v3()
; CHECK-LABEL: define internal void @pkguard.secrets_dtor()
; CHECK-NEXT:    call void @__pkguard_unregister_secrets(ptr @pkguard.secret_table)
