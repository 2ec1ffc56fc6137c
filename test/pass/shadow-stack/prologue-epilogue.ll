; The prologue copies the return address into its shadow slot inside a
; checked window (docs/sequences.md), as a callbr whose failure edge reports
; forged rights; the epilogue compares the two and reports a mismatch.
; The elision rules would prove these small functions safe; the point here is
; the instrumentation itself, so they are off.
; RUN: %opt_pkguard -pkguard-shadow-stack-elide=none -passes='pkguard-shadow-stack<all>' -S %s | FileCheck %s

target datalayout = "e-m:e-p270:32:32-p271:32:32-p272:64:64-i64:64-i128:128-f80:128-n8:16:32:64-S128"
target triple = "x86_64-pc-linux-gnu"

define i32 @add(i32 %a, i32 %b) {
entry:
  %sum = add i32 %a, %b
  ret i32 %sum
}

; CHECK: @__pkguard_shadow_abi = external dso_local global { i32, i32, i64, i32, i32 }
; CHECK: @pkguard.function_name = private unnamed_addr constant [4 x i8] c"add\00"
; CHECK: @llvm.global_ctors = appending global {{.*}} { i32 1, ptr @pkguard.module_ctor, ptr @pkguard.module_ctor }

; CHECK-LABEL: define i32 @add(
; CHECK-SAME:  i32 %a, i32 %b) #[[ATTRS:[0-9]+]] {
; CHECK-NEXT:  entry:
; CHECK-NEXT:    [[SLOT:%.*]] = call ptr @llvm.addressofreturnaddress.p0()
; CHECK-NEXT:    [[RA:%.*]] = load volatile i64, ptr [[SLOT]], align 8
; CHECK-NEXT:    [[DELTA:%.*]] = load i64, ptr getelementptr inbounds (i8, ptr @__pkguard_shadow_abi, i64 8), align 8
; CHECK-NEXT:    [[UNSKEWED:%.*]] = getelementptr i8, ptr [[SLOT]], i64 [[DELTA]]
; CHECK-NEXT:    [[SHADOW:%.*]] = getelementptr i8, ptr [[UNSKEWED]], i64 2048
; CHECK-NEXT:    callbr void asm sideeffect "jecxz 1f\0A\09cmpq $1, $0\0A\09je 2f\0A\09movq $1, $0\0A\09jmp 2f\0A1:\0A\09cmpq $1, $0\0A\09jne 3f\0A\09.byte 0x0f, 0x01, 0xee\0A\09cmpl %gs:0, %eax\0A\09je 2f\0A3:\0A\09movl $2, %eax\0A\09xorl %edx, %edx\0A\09.byte 0x0f, 0x01, 0xef\0A\09movq $1, $0\0A\09xorl %gs:4, %eax\0A\09.byte 0x0f, 0x01, 0xef\0A\09cmpl %gs:0, %eax\0A\09jne ${4:l}\0A\092:", "=*m,r,*m,{rcx},!i,~{eax},~{edx},~{dirflag},~{fpsr},~{flags}"(ptr elementtype(i64) [[SHADOW]], i64 [[RA]], ptr elementtype(i32) getelementptr inbounds (i8, ptr @__pkguard_shadow_abi, i64 20), i64 [[DELTA]])
; CHECK-NEXT:    to label %pkguard.checked [label %pkguard.forged]
; CHECK-EMPTY:
; CHECK-NEXT:  pkguard.checked:
; CHECK-NEXT:    %sum = add i32 %a, %b
; CHECK-NEXT:    [[SLOT2:%.*]] = call ptr @llvm.addressofreturnaddress.p0()
; CHECK-NEXT:    [[FOUND:%.*]] = load volatile i64, ptr [[SLOT2]], align 8
; CHECK-NEXT:    [[DELTA2:%.*]] = load i64, ptr getelementptr inbounds (i8, ptr @__pkguard_shadow_abi, i64 8), align 8
; CHECK-NEXT:    [[UNSKEWED2:%.*]] = getelementptr i8, ptr [[SLOT2]], i64 [[DELTA2]]
; CHECK-NEXT:    [[SHADOW2:%.*]] = getelementptr i8, ptr [[UNSKEWED2]], i64 2048
; CHECK-NEXT:    [[EXPECTED:%.*]] = load i64, ptr [[SHADOW2]], align 8
; CHECK-NEXT:    [[MISMATCH:%.*]] = icmp ne i64 [[FOUND]], [[EXPECTED]]
; CHECK-NEXT:    br i1 [[MISMATCH]], label %pkguard.report, label %pkguard.return, !prof [[UNLIKELY:![0-9]+]]
; CHECK-EMPTY:
; CHECK-NEXT:  pkguard.report:
; CHECK-NEXT:    [[SLOT3:%.*]] = call ptr @llvm.addressofreturnaddress.p0()
; CHECK-NEXT:    [[FOUND_AGAIN:%.*]] = load i64, ptr [[SLOT3]], align 8
; CHECK-NEXT:    [[DELTA3:%.*]] = load i64, ptr getelementptr inbounds (i8, ptr @__pkguard_shadow_abi, i64 8), align 8
; CHECK-NEXT:    [[UNSKEWED3:%.*]] = getelementptr i8, ptr [[SLOT3]], i64 [[DELTA3]]
; CHECK-NEXT:    [[SHADOW3:%.*]] = getelementptr i8, ptr [[UNSKEWED3]], i64 2048
; CHECK-NEXT:    [[EXPECTED_AGAIN:%.*]] = load i64, ptr [[SHADOW3]], align 8
; CHECK-NEXT:    call void @__pkguard_report_return_mismatch(ptr @pkguard.function_name, i64 [[EXPECTED_AGAIN]], i64 [[FOUND_AGAIN]], ptr [[SLOT3]]) #[[NORETURN:[0-9]+]]
; CHECK-NEXT:    unreachable
; CHECK-EMPTY:
; CHECK-NEXT:  pkguard.return:
; CHECK-NEXT:    ret i32 %sum
; CHECK-EMPTY:
; CHECK-NEXT:  pkguard.forged:
; CHECK-NEXT:    call void @__pkguard_report_forged_rights(ptr @pkguard.function_name) #[[NORETURN]]
; CHECK-NEXT:    unreachable
; CHECK-NEXT:  }

; CHECK: declare void @__pkguard_report_forged_rights(ptr) #[[REPORT:[0-9]+]]
; CHECK: declare void @__pkguard_report_return_mismatch(ptr, i64, i64, ptr) #[[REPORT]]
; CHECK-LABEL: define internal void @pkguard.module_ctor()
; CHECK-NEXT:    call void @__pkguard_init()
; CHECK-NEXT:    call void @__pkguard_version_mismatch_check_v3()
; CHECK-NEXT:    ret void
; CHECK: attributes #[[ATTRS]] = { noinline "pkguard-shadow-stack" }
; CHECK: attributes #[[REPORT]] = { cold noreturn nounwind }
; CHECK: [[UNLIKELY]] = !{!"branch_weights", i32 1, i32 1048575}
