; Running the secrets pass twice changes nothing the second time: the output
; is the same as after one run, and it holds the instrumentation of one run,
; not of two: the secret placed once, one table, one constructor and one
; destructor, one gate entry and one restore in the gate, each a checked
; window with its own failure blocks.
; RUN: %opt_pkguard -passes=pkguard-secrets -S %s -o %t.once.ll
; RUN: %opt_pkguard -passes=pkguard-secrets,pkguard-secrets -S %s -o %t.twice.ll
; RUN: diff %t.once.ll %t.twice.ll
; RUN: FileCheck %s < %t.twice.ll

target datalayout = "e-m:e-p270:32:32-p271:32:32-p272:64:64-i64:64-i128:128-f80:128-n8:16:32:64-S128"
target triple = "x86_64-pc-linux-gnu"

@key = global i32 42
@.pkey = private constant [5 x i8] c"pkey\00", section "llvm.metadata"
@.gate = private constant [22 x i8] c"pkguard.secret_access\00", section "llvm.metadata"
@.file = private constant [2 x i8] c"f\00", section "llvm.metadata"
@llvm.global.annotations = appending global [2 x { ptr, ptr, ptr, i32, ptr }] [
  { ptr, ptr, ptr, i32, ptr } { ptr @key, ptr @.pkey, ptr @.file, i32 1, ptr null },
  { ptr, ptr, ptr, i32, ptr } { ptr @read_key, ptr @.gate, ptr @.file, i32 2, ptr null }], section "llvm.metadata"

; The secret fills one page, not a page padded again to two.
; CHECK:     @key = externally_initialized global { i32, [4092 x i8] } { i32 42, [4092 x i8] zeroinitializer }, section "pkguard_secrets", align 4096
; One entry for it, in the one table: one domain, one secret, one gate's words.
; CHECK:     @pkguard.secrets = private constant [1 x { ptr, i64, ptr, i32, i32 }] [{ ptr, i64, ptr, i32, i32 } { ptr @key, i64 4096,
; CHECK-NOT: @pkguard.secrets{{[.0-9]+}} =
; CHECK:     @pkguard.secret_table = internal global {{.*}} { i32 1397181264, i32 2, i32 1, i32 1, ptr @pkguard.domain_names, ptr @pkguard.secrets, [1 x
; CHECK-NOT: @pkguard.secret_table{{[.0-9]+}} =
; CHECK:     @llvm.global_ctors = appending global [1 x { i32, ptr, ptr }] [{ i32, ptr, ptr } { i32 1, ptr @pkguard.secrets_ctor, ptr null }]
; CHECK:     @llvm.global_dtors = appending global [1 x { i32, ptr, ptr }] [{ i32, ptr, ptr } { i32 1, ptr @pkguard.secrets_dtor, ptr null }]

define i32 @read_key() {
  %v = load i32, ptr @key
  ret i32 %v
}

; The gate: one entry asm, which opens the domain and whose failure edges
; report bad words (against the table), forged rights and too deep a
; nesting; the body; one restore asm, whose failure edge reports a failed
; restore; one return check. Nothing more.
; CHECK-LABEL: define i32 @read_key()
; CHECK-SAME:  #[[GATE:[0-9]+]]
; CHECK-NOT:   asm
; CHECK:       callbr void asm sideeffect "jecxz 1f\0A\09movq $1, $0\0A\09jmp 2f\0A1:\0A\09cmpq $1, $0\0A\09jne 5f\0A\09
; CHECK-SAME:  ptr elementtype(i32) getelementptr inbounds (i8, ptr @pkguard.secret_table, i64 32)
; CHECK-NEXT:  to label %[[BODY:pkguard.checked[0-9]*]] [label %[[WORDS:pkguard.forged[0-9]*]], label %[[RIGHTS:pkguard.forged[0-9]*]], label %[[DEEP:pkguard.forged[0-9]*]]]
; CHECK-NOT:   asm
; CHECK:       [[BODY]]:
; CHECK-NEXT:    %v = load i32, ptr @key
; CHECK-NOT:   asm
; CHECK:       callbr void asm sideeffect "jecxz 1f\0A\09jmp 2f\0A1:\0A\09.byte 0x0f, 0x01, 0xee\0A\09cmpl %gs:0, %eax\0A\09sete %dl\0A\09
; CHECK-NEXT:  to label %pkguard.checked{{[0-9]*}} [label %[[UNRESTORED:pkguard.forged[0-9]*]]]
; CHECK-NOT:   asm
; CHECK:       call void @__pkguard_report_return_mismatch(ptr @pkguard.function_name,
; CHECK-NOT:   asm
; CHECK:       pkguard.return:
; CHECK-NEXT:    ret i32 %v
; CHECK-EMPTY:
; CHECK-NEXT:  [[UNRESTORED]]:
; CHECK-NEXT:    call void @__pkguard_report_gate_restore(ptr @pkguard.function_name)
; CHECK-NEXT:    unreachable
; CHECK-EMPTY:
; CHECK-NEXT:  [[WORDS]]:
; CHECK-NEXT:    call void @__pkguard_gate_check_failed(ptr @pkguard.secret_table, i32 0, ptr @pkguard.function_name)
; CHECK-NEXT:    unreachable
; CHECK-EMPTY:
; CHECK-NEXT:  [[RIGHTS]]:
; CHECK-NEXT:    call void @__pkguard_report_forged_rights(ptr @pkguard.function_name)
; CHECK-NEXT:    unreachable
; CHECK-EMPTY:
; CHECK-NEXT:  [[DEEP]]:
; CHECK-NEXT:    call void @__pkguard_report_gate_too_deep(ptr @pkguard.function_name)
; CHECK-NEXT:    unreachable
; CHECK-NEXT:  }

; One constructor registers the table, one destructor takes it back.
; CHECK-LABEL: define internal void @pkguard.secrets_ctor()
; CHECK-NEXT:    call void @__pkguard_register_secrets(ptr @pkguard.secret_table)
; CHECK-NEXT:    call void @__pkguard_version_mismatch_check_v3()
; CHECK-NEXT:    ret void
; CHECK-LABEL: define internal void @pkguard.secrets_dtor()
; CHECK-NEXT:    call void @__pkguard_unregister_secrets(ptr @pkguard.secret_table)
; CHECK-NEXT:    ret void
; CHECK-NOT:   define {{.*}}@pkguard.secrets_{{ctor|dtor}}
; CHECK-NOT:   define {{.*}}@read_key
; CHECK:       attributes #[[GATE]] = { noinline "pkguard-shadow-stack" }
