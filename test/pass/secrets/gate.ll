; A gate opens its domain on entry with the checked WRPKRU sequence, and on
; every exit restores the PKRU it saved in the shadow, checks that the
; shadow stack stays write-disabled, and checks its return address. It
; becomes noinline, and the shadow-stack pass leaves it alone afterwards.
; RUN: %opt_pkguard -passes=pkguard -S %s | FileCheck %s

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
entry:
  %v = load i32, ptr @key
  ret i32 %v
}

; CHECK-LABEL: define i32 @read_key()
; CHECK-SAME:  #[[GATE:[0-9]+]]
; CHECK-NEXT:  entry:
; CHECK-NEXT:    [[SLOT:%.*]] = call ptr @llvm.addressofreturnaddress.p0()
; CHECK-NEXT:    [[RA:%.*]] = load volatile i64, ptr [[SLOT]], align 8
; CHECK-NEXT:    [[DELTA:%.*]] = load i64, ptr getelementptr inbounds (i8, ptr @__pkguard_shadow_abi, i64 8), align 8
; CHECK-NEXT:    [[BASE:%.*]] = getelementptr i8, ptr [[SLOT]], i64 [[DELTA]]
; CHECK-NEXT:    [[SHADOW:%.*]] = getelementptr i8, ptr [[BASE]], i64 2048
; CHECK-NEXT:    [[BASE2:%.*]] = getelementptr i8, ptr [[SLOT]], i64 [[DELTA]]
; CHECK-NEXT:    [[SAVED:%.*]] = getelementptr i8, ptr [[BASE2]], i64 2040
; CHECK-NEXT:    [[CHECK:%.*]] = call i32 asm sideeffect "jecxz 1f{{.*}}.byte 0x0f, 0x01, 0xee{{.*}}orl $7, %eax\0A\09.byte 0x0f, 0x01, 0xef\0A\09movl %eax, %r11d\0A\09orl $4, %r11d\0A\09xorl $8, %r11d\0A\09jnz 2f{{.*}}orl $5, %eax\0A\09.byte 0x0f, 0x01, 0xef\0A\09movl %eax, %r11d\0A\09orl $4, %r11d\0A\09xorl $6, %r11d\0A2:", "=&{r11},=*m,=*m,r,*m,*m,*m,*m,*m,{rcx},~{eax},~{edx},~{r10},~{memory},~{dirflag},~{fpsr},~{flags}"(ptr elementtype(i64) [[SHADOW]], ptr elementtype(i64) [[SAVED]], i64 [[RA]], ptr elementtype(i32) getelementptr inbounds (i8, ptr @pkguard.secret_table, i64 32), ptr elementtype(i32) getelementptr inbounds (i8, ptr @pkguard.secret_table, i64 44), ptr elementtype(i32) getelementptr inbounds (i8, ptr @pkguard.secret_table, i64 48), ptr elementtype(i32) getelementptr inbounds (i8, ptr @pkguard.secret_table, i64 36), ptr elementtype(i32) getelementptr inbounds (i8, ptr @pkguard.secret_table, i64 40), i64 [[DELTA]])
; CHECK-NEXT:    [[FAILED:%.*]] = icmp ne i32 [[CHECK]], 0
; CHECK-NEXT:    br i1 [[FAILED]], label %pkguard.gate_check_failed, label %{{.*}}, !prof
; CHECK:       pkguard.gate_check_failed:
; CHECK-NEXT:    call void @__pkguard_gate_check_failed(ptr @pkguard.secret_table, i32 0, ptr @pkguard.function_name)
; CHECK-NEXT:    unreachable
; CHECK:         %v = load i32, ptr @key
; CHECK:         [[RCHECK:%.*]] = call i32 asm sideeffect "xorl %r11d, %r11d\0A\09jecxz 1f\0A\09jmp 2f\0A1:\0A\09movl $1, %eax\0A\09xorl %edx, %edx\0A\09.byte 0x0f, 0x01, 0xef\0A\09movl %eax, %r11d\0A\09orl $2, %r11d\0A\09xorl $3, %r11d\0A2:", "=&{r11},*m,*m,*m,{rcx},~{eax},~{edx},~{memory},~{dirflag},~{fpsr},~{flags}"
; CHECK-SAME:    ptr elementtype(i32) @__pkguard_shadow_abi, ptr elementtype(i32) getelementptr inbounds (i8, ptr @__pkguard_shadow_abi, i64 16)
; CHECK-NEXT:    [[RFAILED:%.*]] = icmp ne i32 [[RCHECK]], 0
; CHECK-NEXT:    br i1 [[RFAILED]], label %pkguard.restore_failed, label %{{.*}}, !prof
; CHECK:       pkguard.restore_failed:
; CHECK-NEXT:    call void @__pkguard_report_gate_restore(ptr @pkguard.function_name)
; CHECK-NEXT:    unreachable
; CHECK:         call void @__pkguard_report_return_mismatch(
; CHECK:       pkguard.return:
; CHECK-NEXT:    ret i32 %v
; Only one gate prologue: the shadow-stack pass did not add its own.
; CHECK-NOT:     call void asm sideeffect "jecxz 1f
; CHECK: attributes #[[GATE]] = { noinline "pkguard-shadow-stack" }
