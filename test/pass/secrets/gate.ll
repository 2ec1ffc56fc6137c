; A gate opens its domain on entry in one checked window (docs/sequences.md),
; a callbr that also stores its return address in the shadow, pushes the
; thread's rights (%gs) with its frame's tag and checks the gate words, with
; failure edges for bad words, forged rights and gates nested too deep; the
; window opens only when something changes. On every exit it pops the
; rights its entry pushed inside a checked window, whose failure edge
; reports a failed restore, and checks its return address. It becomes
; noinline, and the shadow-stack pass leaves it alone afterwards.
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
; The window word, then domain 0's gate words: clear, open_bits, open_expect.
; CHECK-NEXT:    callbr void asm sideeffect "jecxz 1f\0A\09movq $1, $0\0A\09jmp 2f\0A1:\0A\09cmpq $1, $0\0A\09jne 5f\0A\09.byte 0x0f, 0x01, 0xee\0A\09cmpl %gs:0, %eax\0A\09jne 3f\0A\09jmp 6f\0A5:\0A\09.byte 0x0f, 0x01, 0xee\0A\09cmpl %gs:0, %eax\0A\09jne 3f\0A\09movl $$1, %edx\0A6:\0A\09movl %gs:0, %r11d\0A\09andl $3, %r11d\0A\09orl $4, %r11d\0A\09movl %r11d, %r10d\0A\09orl $3, %r10d\0A\09cmpl $5, %r10d\0A\09jne ${8:l}\0A\09cmpl %gs:0, %r11d\0A\09jne 3f\0A\09testl %edx, %edx\0A\09je 2f\0A\09movl $2, %eax\0A\09xorl %edx, %edx\0A\09.byte 0x0f, 0x01, 0xef\0A\09movq $1, $0\0A\09xorl %gs:4, %eax\0A\09.byte 0x0f, 0x01, 0xef\0A\09cmpl %gs:0, %eax\0A\09jne ${9:l}\0A\09jmp 2f\0A3:\0A\09movl $2, %eax\0A\09xorl %edx, %edx\0A\09.byte 0x0f, 0x01, 0xef\0A\09movq $1, $0\0A\09movl %gs:8, %r10d\0A\09cmpl $$250, %r10d\0A\09jae ${10:l}\0A\09incl %r10d\0A\09leaq $7, %r11\0A\09shrq $$3, %r11\0A\09orl $$1, %r11d\0A\09movl %r11d, %gs:1020(,%r10,4)\0A\09movl %r10d, %gs:8\0A\09movl %r11d, %gs:1020(,%r10,4)\0A\09movl %gs:0, %r11d\0A\09movl %r11d, %gs:16(,%r10,4)\0A\09andl $3, %r11d\0A\09orl $4, %r11d\0A\09movl %r11d, %r10d\0A\09orl $3, %r10d\0A\09cmpl $5, %r10d\0A\09jne ${8:l}\0A\09movl %r11d, %r10d\0A\09xorl $2, %r10d\0A\09shlq $$32, %r10\0A\09orq %r11, %r10\0A\09movq %r10, %gs:0\0A\09xorl %gs:4, %eax\0A\09.byte 0x0f, 0x01, 0xef\0A\09cmpl %gs:0, %eax\0A\09jne ${9:l}\0A\092:", "=*m,r,*m,*m,*m,*m,{rcx},*m,!i,!i,!i,~{eax},~{edx},~{r10},~{r11},~{memory},~{dirflag},~{fpsr},~{flags}"(ptr elementtype(i64) [[SHADOW]], i64 [[RA]], ptr elementtype(i32) getelementptr inbounds (i8, ptr @__pkguard_shadow_abi, i64 20), ptr elementtype(i32) getelementptr inbounds (i8, ptr @pkguard.secret_table, i64 32), ptr elementtype(i32) getelementptr inbounds (i8, ptr @pkguard.secret_table, i64 36), ptr elementtype(i32) getelementptr inbounds (i8, ptr @pkguard.secret_table, i64 40), i64 [[DELTA]], ptr elementtype(i64) {{%.*}})
; CHECK-NEXT:    to label %[[BODY:pkguard.checked[0-9]*]] [label %[[WORDS:pkguard.forged[0-9]*]], label %[[RIGHTS:pkguard.forged[0-9]*]], label %[[DEEP:pkguard.forged[0-9]*]]]
; CHECK-EMPTY:
; CHECK-NEXT:  [[BODY]]:
; CHECK-NEXT:    %v = load i32, ptr @key
; CHECK-NEXT:    [[RDELTASLOT:%.*]] = call ptr @llvm.addressofreturnaddress.p0()
; CHECK-NEXT:    [[RDELTA:%.*]] = load i64, ptr getelementptr inbounds (i8, ptr @__pkguard_shadow_abi, i64 8), align 8
; CHECK-NEXT:    callbr void asm sideeffect "jecxz 1f\0A\09jmp 2f\0A1:\0A\09.byte 0x0f, 0x01, 0xee\0A\09cmpl %gs:0, %eax\0A\09sete %dl\0A\09movl %gs:8, %r10d\0A\09leaq $4, %r11\0A\09shrq $$3, %r11\0A\09orl $$1, %r11d\0A\09cmpl %r11d, %gs:1020(,%r10,4)\0A\09je 3f\0A\09testb %dl, %dl\0A\09jne 2f\0A\09movl $0, %eax\0A\09xorl %edx, %edx\0A\09.byte 0x0f, 0x01, 0xef\0A\09xorl %gs:4, %eax\0A\09.byte 0x0f, 0x01, 0xef\0A\09cmpl %gs:0, %eax\0A\09jne ${5:l}\0A\09jmp 2f\0A3:\0A\09movl $0, %eax\0A\09xorl %edx, %edx\0A\09.byte 0x0f, 0x01, 0xef\0A\09movl %gs:8, %r10d\0A\09movl %gs:16(,%r10,4), %r11d\0A\09movl $$0, %gs:1020(,%r10,4)\0A\09subl $$1, %r10d\0A\09adcl $$0, %r10d\0A\09movl %r10d, %gs:8\0A\09movl %r11d, %r10d\0A\09orl $1, %r10d\0A\09cmpl $2, %r10d\0A\09jne ${5:l}\0A\09movl %r11d, %r10d\0A\09xorl $0, %r10d\0A\09shlq $$32, %r10\0A\09orq %r11, %r10\0A\09movq %r10, %gs:0\0A\09xorl %gs:4, %eax\0A\09.byte 0x0f, 0x01, 0xef\0A\09cmpl %gs:0, %eax\0A\09jne ${5:l}\0A\092:", "*m,*m,*m,{rcx},*m,!i,~{eax},~{edx},~{r10},~{r11},~{memory},~{dirflag},~{fpsr},~{flags}"(ptr elementtype(i32) getelementptr inbounds (i8, ptr @__pkguard_shadow_abi, i64 20), ptr elementtype(i32) @__pkguard_shadow_abi, ptr elementtype(i32) getelementptr inbounds (i8, ptr @__pkguard_shadow_abi, i64 16), i64 [[RDELTA]], ptr elementtype(i64) [[RDELTASLOT]])
; CHECK-NEXT:    to label %[[RESTORED:pkguard.checked[0-9]*]] [label %[[UNRESTORED:pkguard.forged[0-9]*]]]
; CHECK-EMPTY:
; CHECK-NEXT:  [[RESTORED]]:
; CHECK-NEXT:    [[SLOT2:%.*]] = call ptr @llvm.addressofreturnaddress.p0()
; CHECK-NEXT:    [[FOUND:%.*]] = load volatile i64, ptr [[SLOT2]], align 8
; CHECK:         [[MISMATCH:%.*]] = icmp ne i64 [[FOUND]],
; CHECK-NEXT:    br i1 [[MISMATCH]], label %pkguard.report, label %pkguard.return
; CHECK:       pkguard.report:
; CHECK:         call void @__pkguard_report_return_mismatch(ptr @pkguard.function_name,
; CHECK:       pkguard.return:
; CHECK-NEXT:    ret i32 %v
; CHECK:       [[UNRESTORED]]:
; CHECK-NEXT:    call void @__pkguard_report_gate_restore(ptr @pkguard.function_name)
; CHECK-NEXT:    unreachable
; CHECK:       [[WORDS]]:
; CHECK-NEXT:    call void @__pkguard_gate_check_failed(ptr @pkguard.secret_table, i32 0, ptr @pkguard.function_name)
; CHECK-NEXT:    unreachable
; CHECK:       [[RIGHTS]]:
; CHECK-NEXT:    call void @__pkguard_report_forged_rights(ptr @pkguard.function_name)
; CHECK-NEXT:    unreachable
; CHECK:       [[DEEP]]:
; CHECK-NEXT:    call void @__pkguard_report_gate_too_deep(ptr @pkguard.function_name)
; CHECK-NEXT:    unreachable
; CHECK-NEXT:  }
; Only one gate prologue: the shadow-stack pass did not add its own.
; CHECK-NOT:     asm sideeffect
; CHECK: attributes #[[GATE]] = { noinline "pkguard-shadow-stack" }
