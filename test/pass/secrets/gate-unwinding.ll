; An exception that leaves a gate passes through a cleanup that pops the
; rights the gate found, in a checked window whose failure edge reports a
; failed restore; calls that may throw become invokes for it. A musttail
; call is an exit too: the restore, and the return-address check, come
; before it.
; RUN: %opt_pkguard -passes=pkguard-secrets -S %s | FileCheck %s

target datalayout = "e-m:e-p270:32:32-p271:32:32-p272:64:64-i64:64-i128:128-f80:128-n8:16:32:64-S128"
target triple = "x86_64-pc-linux-gnu"

@.gate = private constant [22 x i8] c"pkguard.secret_access\00", section "llvm.metadata"
@.file = private constant [2 x i8] c"f\00", section "llvm.metadata"
@llvm.global.annotations = appending global [2 x { ptr, ptr, ptr, i32, ptr }] [
  { ptr, ptr, ptr, i32, ptr } { ptr @may_throw_through, ptr @.gate, ptr @.file, i32 1, ptr null },
  { ptr, ptr, ptr, i32, ptr } { ptr @forwards, ptr @.gate, ptr @.file, i32 2, ptr null }], section "llvm.metadata"

declare void @may_throw()
declare i32 @__gxx_personality_v0(...)
declare i32 @callee(i32)

define void @may_throw_through() personality ptr @__gxx_personality_v0 {
entry:
  call void @may_throw()
  ret void
}

define i32 @forwards(i32 %x) {
entry:
  %r = musttail call i32 @callee(i32 %x)
  ret i32 %r
}

; CHECK-LABEL: define void @may_throw_through()
; CHECK-NEXT:  entry:
; CHECK:         callbr void asm sideeffect "jecxz 1f\0A\09movq $1, $0\0A\09jmp 2f\0A1:\0A\09cmpq $1, $0\0A\09jne 5f\0A\09.byte 0x0f, 0x01, 0xee\0A\09cmpl %gs:0, %eax\0A\09jne 3f\0A\09jmp 6f\0A5:\0A\09.byte 0x0f, 0x01, 0xee\0A\09cmpl %gs:0, %eax\0A\09jne 3f\0A\09movl $$1, %edx\0A6:\0A\09movl %gs:0, %r11d\0A\09andl $3, %r11d\0A\09orl $4, %r11d\0A\09movl %r11d, %r10d\0A\09orl $3, %r10d\0A\09cmpl $5, %r10d\0A\09jne ${8:l}\0A\09cmpl %gs:0, %r11d\0A\09jne 3f\0A\09testl %edx, %edx\0A\09je 2f\0A\09movl $2, %eax\0A\09xorl %edx, %edx\0A\09.byte 0x0f, 0x01, 0xef\0A\09movq $1, $0\0A\09xorl %gs:4, %eax\0A\09.byte 0x0f, 0x01, 0xef\0A\09cmpl %gs:0, %eax\0A\09jne ${9:l}\0A\09jmp 2f\0A3:\0A\09movl $2, %eax\0A\09xorl %edx, %edx\0A\09.byte 0x0f, 0x01, 0xef\0A\09movq $1, $0\0A\09movl %gs:8, %r10d\0A\09cmpl $$250, %r10d\0A\09jae ${10:l}\0A\09incl %r10d\0A\09leaq $7, %r11\0A\09shrq $$3, %r11\0A\09orl $$1, %r11d\0A\09movl %r11d, %gs:1020(,%r10,4)\0A\09movl %r10d, %gs:8\0A\09movl %r11d, %gs:1020(,%r10,4)\0A\09movl %gs:0, %r11d\0A\09movl %r11d, %gs:16(,%r10,4)\0A\09andl $3, %r11d\0A\09orl $4, %r11d\0A\09movl %r11d, %r10d\0A\09orl $3, %r10d\0A\09cmpl $5, %r10d\0A\09jne ${8:l}\0A\09movl %r11d, %r10d\0A\09xorl $2, %r10d\0A\09shlq $$32, %r10\0A\09orq %r11, %r10\0A\09movq %r10, %gs:0\0A\09xorl %gs:4, %eax\0A\09.byte 0x0f, 0x01, 0xef\0A\09cmpl %gs:0, %eax\0A\09jne ${9:l}\0A\092:", "=*m,r,*m,*m,*m,*m,{rcx},*m,!i,!i,!i,~{eax},~{edx},~{r10},~{r11},~{memory},~{dirflag},~{fpsr},~{flags}"(ptr elementtype(i64) {{%.*}}, i64 {{%.*}}, ptr elementtype(i32) getelementptr inbounds (i8, ptr @__pkguard_shadow_abi, i64 20), ptr elementtype(i32) getelementptr inbounds (i8, ptr @pkguard.secret_table, i64 32), ptr elementtype(i32) getelementptr inbounds (i8, ptr @pkguard.secret_table, i64 36), ptr elementtype(i32) getelementptr inbounds (i8, ptr @pkguard.secret_table, i64 40), i64 {{%.*}}, ptr elementtype(i64) {{%.*}})
; CHECK-NEXT:    to label %[[BODY:pkguard.checked[0-9]*]] [label %pkguard.forged{{[0-9]*}}, label %pkguard.forged{{[0-9]*}}, label %pkguard.forged{{[0-9]*}}]
; CHECK-EMPTY:
; CHECK-NEXT:  [[BODY]]:
; CHECK-NEXT:    invoke void @may_throw()
; CHECK-NEXT:            to label %[[AFTER:.*]] unwind label %pkguard.gate_cleanup
; CHECK-EMPTY:
; CHECK-NEXT:  [[AFTER]]:
; CHECK-NEXT:    [[DELTASLOT:%.*]] = call ptr @llvm.addressofreturnaddress.p0()
; CHECK-NEXT:    [[DELTA:%.*]] = load i64, ptr getelementptr inbounds (i8, ptr @__pkguard_shadow_abi, i64 8), align 8
; CHECK-NEXT:    callbr void asm sideeffect "jecxz 1f\0A\09jmp 2f\0A1:\0A\09.byte 0x0f, 0x01, 0xee\0A\09cmpl %gs:0, %eax\0A\09sete %dl\0A\09movl %gs:8, %r10d\0A\09leaq $4, %r11\0A\09shrq $$3, %r11\0A\09orl $$1, %r11d\0A\09cmpl %r11d, %gs:1020(,%r10,4)\0A\09je 3f\0A\09testb %dl, %dl\0A\09jne 2f\0A\09movl $0, %eax\0A\09xorl %edx, %edx\0A\09.byte 0x0f, 0x01, 0xef\0A\09xorl %gs:4, %eax\0A\09.byte 0x0f, 0x01, 0xef\0A\09cmpl %gs:0, %eax\0A\09jne ${5:l}\0A\09jmp 2f\0A3:\0A\09movl $0, %eax\0A\09xorl %edx, %edx\0A\09.byte 0x0f, 0x01, 0xef\0A\09movl %gs:8, %r10d\0A\09movl %gs:16(,%r10,4), %r11d\0A\09movl $$0, %gs:1020(,%r10,4)\0A\09subl $$1, %r10d\0A\09adcl $$0, %r10d\0A\09movl %r10d, %gs:8\0A\09movl %r11d, %r10d\0A\09orl $1, %r10d\0A\09cmpl $2, %r10d\0A\09jne ${5:l}\0A\09movl %r11d, %r10d\0A\09xorl $0, %r10d\0A\09shlq $$32, %r10\0A\09orq %r11, %r10\0A\09movq %r10, %gs:0\0A\09xorl %gs:4, %eax\0A\09.byte 0x0f, 0x01, 0xef\0A\09cmpl %gs:0, %eax\0A\09jne ${5:l}\0A\092:", "*m,*m,*m,{rcx},*m,!i,~{eax},~{edx},~{r10},~{r11},~{memory},~{dirflag},~{fpsr},~{flags}"(ptr elementtype(i32) getelementptr inbounds (i8, ptr @__pkguard_shadow_abi, i64 20), ptr elementtype(i32) @__pkguard_shadow_abi, ptr elementtype(i32) getelementptr inbounds (i8, ptr @__pkguard_shadow_abi, i64 16), i64 [[DELTA]], ptr elementtype(i64) [[DELTASLOT]])
; CHECK-NEXT:    to label %pkguard.checked{{[0-9]*}} [label %pkguard.forged{{[0-9]*}}]
; CHECK:         call void @__pkguard_report_return_mismatch(
; CHECK:         ret void
; CHECK:       pkguard.gate_cleanup:
; CHECK-NEXT:    [[LP:%.*]] = landingpad { ptr, i32 }
; CHECK-NEXT:            cleanup
; CHECK-NEXT:    [[UDELTASLOT:%.*]] = call ptr @llvm.addressofreturnaddress.p0()
; CHECK-NEXT:    [[UDELTA:%.*]] = load i64, ptr getelementptr inbounds (i8, ptr @__pkguard_shadow_abi, i64 8), align 8
; CHECK-NEXT:    callbr void asm sideeffect "jecxz 1f\0A\09jmp 2f\0A1:\0A\09.byte 0x0f, 0x01, 0xee\0A\09cmpl %gs:0, %eax\0A\09sete %dl\0A\09movl %gs:8, %r10d\0A\09leaq $4, %r11\0A\09shrq $$3, %r11\0A\09orl $$1, %r11d\0A\09cmpl %r11d, %gs:1020(,%r10,4)\0A\09je 3f\0A\09testb %dl, %dl\0A\09jne 2f\0A\09movl $0, %eax\0A\09xorl %edx, %edx\0A\09.byte 0x0f, 0x01, 0xef\0A\09xorl %gs:4, %eax\0A\09.byte 0x0f, 0x01, 0xef\0A\09cmpl %gs:0, %eax\0A\09jne ${5:l}\0A\09jmp 2f\0A3:\0A\09movl $0, %eax\0A\09xorl %edx, %edx\0A\09.byte 0x0f, 0x01, 0xef\0A\09movl %gs:8, %r10d\0A\09movl %gs:16(,%r10,4), %r11d\0A\09movl $$0, %gs:1020(,%r10,4)\0A\09subl $$1, %r10d\0A\09adcl $$0, %r10d\0A\09movl %r10d, %gs:8\0A\09movl %r11d, %r10d\0A\09orl $1, %r10d\0A\09cmpl $2, %r10d\0A\09jne ${5:l}\0A\09movl %r11d, %r10d\0A\09xorl $0, %r10d\0A\09shlq $$32, %r10\0A\09orq %r11, %r10\0A\09movq %r10, %gs:0\0A\09xorl %gs:4, %eax\0A\09.byte 0x0f, 0x01, 0xef\0A\09cmpl %gs:0, %eax\0A\09jne ${5:l}\0A\092:", "*m,*m,*m,{rcx},*m,!i,~{eax},~{edx},~{r10},~{r11},~{memory},~{dirflag},~{fpsr},~{flags}"(ptr elementtype(i32) getelementptr inbounds (i8, ptr @__pkguard_shadow_abi, i64 20), ptr elementtype(i32) @__pkguard_shadow_abi, ptr elementtype(i32) getelementptr inbounds (i8, ptr @__pkguard_shadow_abi, i64 16), i64 [[UDELTA]], ptr elementtype(i64) [[UDELTASLOT]])
; CHECK-NEXT:    to label %[[UNWIND:pkguard.checked[0-9]*]] [label %[[UNWIND_FAILED:pkguard.forged[0-9]*]]]
; CHECK-EMPTY:
; CHECK-NEXT:  [[UNWIND]]:
; CHECK-NEXT:    resume { ptr, i32 } [[LP]]
; CHECK:       [[UNWIND_FAILED]]:
; CHECK-NEXT:    call void @__pkguard_report_gate_restore(ptr @pkguard.function_name)
; CHECK-NEXT:    unreachable

; CHECK-LABEL: define i32 @forwards(
; CHECK-NEXT:  entry:
; CHECK:         callbr void asm sideeffect "jecxz 1f\0A\09movq $1, $0\0A\09jmp 2f\0A1:\0A\09cmpq $1, $0\0A\09jne 5f\0A\09.byte 0x0f, 0x01, 0xee\0A\09cmpl %gs:0, %eax\0A\09jne 3f\0A\09jmp 6f\0A5:\0A\09.byte 0x0f, 0x01, 0xee\0A\09cmpl %gs:0, %eax\0A\09jne 3f\0A\09movl $$1, %edx\0A6:\0A\09movl %gs:0, %r11d\0A\09andl $3, %r11d\0A\09orl $4, %r11d\0A\09movl %r11d, %r10d\0A\09orl $3, %r10d\0A\09cmpl $5, %r10d\0A\09jne ${8:l}\0A\09cmpl %gs:0, %r11d\0A\09jne 3f\0A\09testl %edx, %edx\0A\09je 2f\0A\09movl $2, %eax\0A\09xorl %edx, %edx\0A\09.byte 0x0f, 0x01, 0xef\0A\09movq $1, $0\0A\09xorl %gs:4, %eax\0A\09.byte 0x0f, 0x01, 0xef\0A\09cmpl %gs:0, %eax\0A\09jne ${9:l}\0A\09jmp 2f\0A3:\0A\09movl $2, %eax\0A\09xorl %edx, %edx\0A\09.byte 0x0f, 0x01, 0xef\0A\09movq $1, $0\0A\09movl %gs:8, %r10d\0A\09cmpl $$250, %r10d\0A\09jae ${10:l}\0A\09incl %r10d\0A\09leaq $7, %r11\0A\09shrq $$3, %r11\0A\09orl $$1, %r11d\0A\09movl %r11d, %gs:1020(,%r10,4)\0A\09movl %r10d, %gs:8\0A\09movl %r11d, %gs:1020(,%r10,4)\0A\09movl %gs:0, %r11d\0A\09movl %r11d, %gs:16(,%r10,4)\0A\09andl $3, %r11d\0A\09orl $4, %r11d\0A\09movl %r11d, %r10d\0A\09orl $3, %r10d\0A\09cmpl $5, %r10d\0A\09jne ${8:l}\0A\09movl %r11d, %r10d\0A\09xorl $2, %r10d\0A\09shlq $$32, %r10\0A\09orq %r11, %r10\0A\09movq %r10, %gs:0\0A\09xorl %gs:4, %eax\0A\09.byte 0x0f, 0x01, 0xef\0A\09cmpl %gs:0, %eax\0A\09jne ${9:l}\0A\092:", "=*m,r,*m,*m,*m,*m,{rcx},*m,!i,!i,!i,~{eax},~{edx},~{r10},~{r11},~{memory},~{dirflag},~{fpsr},~{flags}"(ptr elementtype(i64) {{%.*}}, i64 {{%.*}}, ptr elementtype(i32) getelementptr inbounds (i8, ptr @__pkguard_shadow_abi, i64 20), ptr elementtype(i32) getelementptr inbounds (i8, ptr @pkguard.secret_table, i64 32), ptr elementtype(i32) getelementptr inbounds (i8, ptr @pkguard.secret_table, i64 36), ptr elementtype(i32) getelementptr inbounds (i8, ptr @pkguard.secret_table, i64 40), i64 {{%.*}}, ptr elementtype(i64) {{%.*}})
; CHECK-NEXT:    to label %[[FBODY:pkguard.checked[0-9]*]] [label %pkguard.forged{{[0-9]*}}, label %pkguard.forged{{[0-9]*}}, label %pkguard.forged{{[0-9]*}}]
; CHECK-EMPTY:
; CHECK-NEXT:  [[FBODY]]:
; CHECK-NEXT:    [[FDELTASLOT:%.*]] = call ptr @llvm.addressofreturnaddress.p0()
; CHECK-NEXT:    [[FDELTA:%.*]] = load i64, ptr getelementptr inbounds (i8, ptr @__pkguard_shadow_abi, i64 8), align 8
; CHECK-NEXT:    callbr void asm sideeffect "jecxz 1f\0A\09jmp 2f\0A1:\0A\09.byte 0x0f, 0x01, 0xee\0A\09cmpl %gs:0, %eax\0A\09sete %dl\0A\09movl %gs:8, %r10d\0A\09leaq $4, %r11\0A\09shrq $$3, %r11\0A\09orl $$1, %r11d\0A\09cmpl %r11d, %gs:1020(,%r10,4)\0A\09je 3f\0A\09testb %dl, %dl\0A\09jne 2f\0A\09movl $0, %eax\0A\09xorl %edx, %edx\0A\09.byte 0x0f, 0x01, 0xef\0A\09xorl %gs:4, %eax\0A\09.byte 0x0f, 0x01, 0xef\0A\09cmpl %gs:0, %eax\0A\09jne ${5:l}\0A\09jmp 2f\0A3:\0A\09movl $0, %eax\0A\09xorl %edx, %edx\0A\09.byte 0x0f, 0x01, 0xef\0A\09movl %gs:8, %r10d\0A\09movl %gs:16(,%r10,4), %r11d\0A\09movl $$0, %gs:1020(,%r10,4)\0A\09subl $$1, %r10d\0A\09adcl $$0, %r10d\0A\09movl %r10d, %gs:8\0A\09movl %r11d, %r10d\0A\09orl $1, %r10d\0A\09cmpl $2, %r10d\0A\09jne ${5:l}\0A\09movl %r11d, %r10d\0A\09xorl $0, %r10d\0A\09shlq $$32, %r10\0A\09orq %r11, %r10\0A\09movq %r10, %gs:0\0A\09xorl %gs:4, %eax\0A\09.byte 0x0f, 0x01, 0xef\0A\09cmpl %gs:0, %eax\0A\09jne ${5:l}\0A\092:", "*m,*m,*m,{rcx},*m,!i,~{eax},~{edx},~{r10},~{r11},~{memory},~{dirflag},~{fpsr},~{flags}"(ptr elementtype(i32) getelementptr inbounds (i8, ptr @__pkguard_shadow_abi, i64 20), ptr elementtype(i32) @__pkguard_shadow_abi, ptr elementtype(i32) getelementptr inbounds (i8, ptr @__pkguard_shadow_abi, i64 16), i64 [[FDELTA]], ptr elementtype(i64) [[FDELTASLOT]])
; CHECK-NEXT:    to label %[[RESTORED:pkguard.checked[0-9]*]] [label %[[FAILED:pkguard.forged[0-9]*]]]
; CHECK-EMPTY:
; CHECK-NEXT:  [[RESTORED]]:
; CHECK-NEXT:    call ptr @llvm.addressofreturnaddress.p0()
; CHECK:         call void @__pkguard_report_return_mismatch(
; CHECK:       pkguard.return:
; CHECK-NEXT:    %r = musttail call i32 @callee(i32 %x)
; CHECK-NEXT:    ret i32 %r
; CHECK:       [[FAILED]]:
; CHECK-NEXT:    call void @__pkguard_report_gate_restore(ptr @pkguard.function_name.1)
; CHECK-NEXT:    unreachable
