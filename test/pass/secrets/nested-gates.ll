; Nested gates and recursion: each gate opens only its own domain (its own
; gate words: domain 0 at table offset 32, domain 1 at 64). When that
; changes the rights, it pushes the rights it found on the thread's stack of
; saved rights (%gs:16 indexed by the depth at %gs:8), tagged with its frame
; (%gs:1020), and every exit, the unwinding one included, whose frame's tag
; is on top pops them back and makes them the thread's rights (the
; restore's "movl %gs:16(,%r10,4), %r11d ... movl %r11d, %gs:0") rather than
; writing a fixed "all closed" value. So a gate called from a gate, or from
; itself, leaves its caller's domain open.
; RUN: %opt_pkguard -passes=pkguard -S %s | FileCheck %s

target datalayout = "e-m:e-p270:32:32-p271:32:32-p272:64:64-i64:64-i128:128-f80:128-n8:16:32:64-S128"
target triple = "x86_64-pc-linux-gnu"

@key = global i32 42
@tls_key = global i32 7

@.pkey = private constant [5 x i8] c"pkey\00", section "llvm.metadata"
@.pkey.tls = private constant [9 x i8] c"pkey:tls\00", section "llvm.metadata"
@.gate = private constant [22 x i8] c"pkguard.secret_access\00", section "llvm.metadata"
@.gate.tls = private constant [26 x i8] c"pkguard.secret_access:tls\00", section "llvm.metadata"
@.file = private constant [2 x i8] c"f\00", section "llvm.metadata"
@llvm.global.annotations = appending global [5 x { ptr, ptr, ptr, i32, ptr }] [
  { ptr, ptr, ptr, i32, ptr } { ptr @key, ptr @.pkey, ptr @.file, i32 1, ptr null },
  { ptr, ptr, ptr, i32, ptr } { ptr @tls_key, ptr @.pkey.tls, ptr @.file, i32 2, ptr null },
  { ptr, ptr, ptr, i32, ptr } { ptr @outer, ptr @.gate, ptr @.file, i32 3, ptr null },
  { ptr, ptr, ptr, i32, ptr } { ptr @inner, ptr @.gate.tls, ptr @.file, i32 4, ptr null },
  { ptr, ptr, ptr, i32, ptr } { ptr @countdown, ptr @.gate, ptr @.file, i32 5, ptr null }], section "llvm.metadata"

define i32 @inner() {
entry:
  %v = load i32, ptr @tls_key
  ret i32 %v
}

define i32 @outer() {
entry:
  %a = load i32, ptr @key
  %b = call i32 @inner()
  %c = load i32, ptr @key
  %s = add i32 %a, %b
  %t = add i32 %s, %c
  ret i32 %t
}

define i32 @countdown(i32 %n) {
entry:
  %done = icmp eq i32 %n, 0
  br i1 %done, label %base, label %recurse
base:
  %v = load i32, ptr @key
  ret i32 %v
recurse:
  %m = sub i32 %n, 1
  %r = call i32 @countdown(i32 %m)
  ret i32 %r
}

; CHECK-LABEL: define i32 @inner()
; CHECK-NEXT:  entry:
; CHECK:         callbr void asm sideeffect "jecxz 1f\0A\09movq $1, $0\0A\09jmp 2f\0A1:\0A\09cmpq $1, $0\0A\09jne 5f\0A\09.byte 0x0f, 0x01, 0xee\0A\09cmpl %gs:0, %eax\0A\09jne 3f\0A\09jmp 6f\0A5:\0A\09.byte 0x0f, 0x01, 0xee\0A\09cmpl %gs:0, %eax\0A\09jne 3f\0A\09movl $$1, %edx\0A6:\0A\09movl %gs:0, %r11d\0A\09andl $3, %r11d\0A\09orl $4, %r11d\0A\09movl %r11d, %r10d\0A\09orl $3, %r10d\0A\09cmpl $5, %r10d\0A\09jne ${8:l}\0A\09cmpl %gs:0, %r11d\0A\09jne 3f\0A\09testl %edx, %edx\0A\09je 2f\0A\09movl $2, %eax\0A\09xorl %edx, %edx\0A\09.byte 0x0f, 0x01, 0xef\0A\09movq $1, $0\0A\09xorl %gs:4, %eax\0A\09.byte 0x0f, 0x01, 0xef\0A\09cmpl %gs:0, %eax\0A\09jne ${9:l}\0A\09jmp 2f\0A3:\0A\09movl $2, %eax\0A\09xorl %edx, %edx\0A\09.byte 0x0f, 0x01, 0xef\0A\09movq $1, $0\0A\09movl %gs:8, %r10d\0A\09cmpl $$250, %r10d\0A\09jae ${10:l}\0A\09incl %r10d\0A\09leaq $7, %r11\0A\09shrq $$3, %r11\0A\09orl $$1, %r11d\0A\09movl %r11d, %gs:1020(,%r10,4)\0A\09movl %r10d, %gs:8\0A\09movl %r11d, %gs:1020(,%r10,4)\0A\09movl %gs:0, %r11d\0A\09movl %r11d, %gs:16(,%r10,4)\0A\09andl $3, %r11d\0A\09orl $4, %r11d\0A\09movl %r11d, %r10d\0A\09orl $3, %r10d\0A\09cmpl $5, %r10d\0A\09jne ${8:l}\0A\09movl %r11d, %r10d\0A\09xorl $2, %r10d\0A\09shlq $$32, %r10\0A\09orq %r11, %r10\0A\09movq %r10, %gs:0\0A\09xorl %gs:4, %eax\0A\09.byte 0x0f, 0x01, 0xef\0A\09cmpl %gs:0, %eax\0A\09jne ${9:l}\0A\092:", "=*m,r,*m,*m,*m,*m,{rcx},*m,!i,!i,!i,~{eax},~{edx},~{r10},~{r11},~{memory},~{dirflag},~{fpsr},~{flags}"(ptr elementtype(i64) {{%.*}}, i64 {{%.*}}, ptr elementtype(i32) getelementptr inbounds (i8, ptr @__pkguard_shadow_abi, i64 20), ptr elementtype(i32) getelementptr inbounds (i8, ptr @pkguard.secret_table, i64 64), ptr elementtype(i32) getelementptr inbounds (i8, ptr @pkguard.secret_table, i64 68), ptr elementtype(i32) getelementptr inbounds (i8, ptr @pkguard.secret_table, i64 72), i64 {{%.*}}, ptr elementtype(i64) {{%.*}})
; CHECK-NEXT:    to label %[[IBODY:pkguard.checked[0-9]*]] [label %[[IWORDS:pkguard.forged[0-9]*]], label %pkguard.forged{{[0-9]*}}, label %pkguard.forged{{[0-9]*}}]
; CHECK-EMPTY:
; CHECK-NEXT:  [[IBODY]]:
; CHECK-NEXT:    %v = load i32, ptr @tls_key
; CHECK-NEXT:    [[IDELTASLOT:%.*]] = call ptr @llvm.addressofreturnaddress.p0()
; CHECK-NEXT:    [[IDELTA:%.*]] = load i64, ptr getelementptr inbounds (i8, ptr @__pkguard_shadow_abi, i64 8), align 8
; CHECK-NEXT:    callbr void asm sideeffect "jecxz 1f\0A\09jmp 2f\0A1:\0A\09.byte 0x0f, 0x01, 0xee\0A\09cmpl %gs:0, %eax\0A\09sete %dl\0A\09movl %gs:8, %r10d\0A\09leaq $4, %r11\0A\09shrq $$3, %r11\0A\09orl $$1, %r11d\0A\09cmpl %r11d, %gs:1020(,%r10,4)\0A\09je 3f\0A\09testb %dl, %dl\0A\09jne 2f\0A\09movl $0, %eax\0A\09xorl %edx, %edx\0A\09.byte 0x0f, 0x01, 0xef\0A\09xorl %gs:4, %eax\0A\09.byte 0x0f, 0x01, 0xef\0A\09cmpl %gs:0, %eax\0A\09jne ${5:l}\0A\09jmp 2f\0A3:\0A\09movl $0, %eax\0A\09xorl %edx, %edx\0A\09.byte 0x0f, 0x01, 0xef\0A\09movl %gs:8, %r10d\0A\09movl %gs:16(,%r10,4), %r11d\0A\09movl $$0, %gs:1020(,%r10,4)\0A\09subl $$1, %r10d\0A\09adcl $$0, %r10d\0A\09movl %r10d, %gs:8\0A\09movl %r11d, %r10d\0A\09orl $1, %r10d\0A\09cmpl $2, %r10d\0A\09jne ${5:l}\0A\09movl %r11d, %r10d\0A\09xorl $0, %r10d\0A\09shlq $$32, %r10\0A\09orq %r11, %r10\0A\09movq %r10, %gs:0\0A\09xorl %gs:4, %eax\0A\09.byte 0x0f, 0x01, 0xef\0A\09cmpl %gs:0, %eax\0A\09jne ${5:l}\0A\092:", "*m,*m,*m,{rcx},*m,!i,~{eax},~{edx},~{r10},~{r11},~{memory},~{dirflag},~{fpsr},~{flags}"(ptr elementtype(i32) getelementptr inbounds (i8, ptr @__pkguard_shadow_abi, i64 20), ptr elementtype(i32) @__pkguard_shadow_abi, ptr elementtype(i32) getelementptr inbounds (i8, ptr @__pkguard_shadow_abi, i64 16), i64 [[IDELTA]], ptr elementtype(i64) [[IDELTASLOT]])
; CHECK-NEXT:    to label %pkguard.checked{{[0-9]*}} [label %pkguard.forged{{[0-9]*}}]
; CHECK:         ret i32 %v
; CHECK:       [[IWORDS]]:
; CHECK-NEXT:    call void @__pkguard_gate_check_failed(ptr @pkguard.secret_table, i32 1, ptr @pkguard.function_name)

; CHECK-LABEL: define i32 @outer()
; CHECK-NEXT:  entry:
; CHECK:         callbr void asm sideeffect "jecxz 1f\0A\09movq $1, $0\0A\09jmp 2f\0A1:\0A\09cmpq $1, $0\0A\09jne 5f\0A\09.byte 0x0f, 0x01, 0xee\0A\09cmpl %gs:0, %eax\0A\09jne 3f\0A\09jmp 6f\0A5:\0A\09.byte 0x0f, 0x01, 0xee\0A\09cmpl %gs:0, %eax\0A\09jne 3f\0A\09movl $$1, %edx\0A6:\0A\09movl %gs:0, %r11d\0A\09andl $3, %r11d\0A\09orl $4, %r11d\0A\09movl %r11d, %r10d\0A\09orl $3, %r10d\0A\09cmpl $5, %r10d\0A\09jne ${8:l}\0A\09cmpl %gs:0, %r11d\0A\09jne 3f\0A\09testl %edx, %edx\0A\09je 2f\0A\09movl $2, %eax\0A\09xorl %edx, %edx\0A\09.byte 0x0f, 0x01, 0xef\0A\09movq $1, $0\0A\09xorl %gs:4, %eax\0A\09.byte 0x0f, 0x01, 0xef\0A\09cmpl %gs:0, %eax\0A\09jne ${9:l}\0A\09jmp 2f\0A3:\0A\09movl $2, %eax\0A\09xorl %edx, %edx\0A\09.byte 0x0f, 0x01, 0xef\0A\09movq $1, $0\0A\09movl %gs:8, %r10d\0A\09cmpl $$250, %r10d\0A\09jae ${10:l}\0A\09incl %r10d\0A\09leaq $7, %r11\0A\09shrq $$3, %r11\0A\09orl $$1, %r11d\0A\09movl %r11d, %gs:1020(,%r10,4)\0A\09movl %r10d, %gs:8\0A\09movl %r11d, %gs:1020(,%r10,4)\0A\09movl %gs:0, %r11d\0A\09movl %r11d, %gs:16(,%r10,4)\0A\09andl $3, %r11d\0A\09orl $4, %r11d\0A\09movl %r11d, %r10d\0A\09orl $3, %r10d\0A\09cmpl $5, %r10d\0A\09jne ${8:l}\0A\09movl %r11d, %r10d\0A\09xorl $2, %r10d\0A\09shlq $$32, %r10\0A\09orq %r11, %r10\0A\09movq %r10, %gs:0\0A\09xorl %gs:4, %eax\0A\09.byte 0x0f, 0x01, 0xef\0A\09cmpl %gs:0, %eax\0A\09jne ${9:l}\0A\092:", "=*m,r,*m,*m,*m,*m,{rcx},*m,!i,!i,!i,~{eax},~{edx},~{r10},~{r11},~{memory},~{dirflag},~{fpsr},~{flags}"(ptr elementtype(i64) {{%.*}}, i64 {{%.*}}, ptr elementtype(i32) getelementptr inbounds (i8, ptr @__pkguard_shadow_abi, i64 20), ptr elementtype(i32) getelementptr inbounds (i8, ptr @pkguard.secret_table, i64 32), ptr elementtype(i32) getelementptr inbounds (i8, ptr @pkguard.secret_table, i64 36), ptr elementtype(i32) getelementptr inbounds (i8, ptr @pkguard.secret_table, i64 40), i64 {{%.*}}, ptr elementtype(i64) {{%.*}})
; CHECK-NEXT:    to label %[[OBODY:pkguard.checked[0-9]*]] [label %[[OWORDS:pkguard.forged[0-9]*]], label %pkguard.forged{{[0-9]*}}, label %pkguard.forged{{[0-9]*}}]
; CHECK-EMPTY:
; CHECK-NEXT:  [[OBODY]]:
; CHECK-NEXT:    %a = load i32, ptr @key
; CHECK-NEXT:    {{%.*}} = invoke i32 @inner()
; CHECK-NEXT:            to label %[[AFTER:.*]] unwind label %pkguard.gate_cleanup
; CHECK:       [[AFTER]]:
; CHECK-NEXT:    %c = load i32, ptr @key
; CHECK-NEXT:    %s = add i32
; CHECK-NEXT:    %t = add i32
; CHECK-NEXT:    [[ODELTASLOT:%.*]] = call ptr @llvm.addressofreturnaddress.p0()
; CHECK-NEXT:    [[ODELTA:%.*]] = load i64, ptr getelementptr inbounds (i8, ptr @__pkguard_shadow_abi, i64 8), align 8
; CHECK-NEXT:    callbr void asm sideeffect "jecxz 1f\0A\09jmp 2f\0A1:\0A\09.byte 0x0f, 0x01, 0xee\0A\09cmpl %gs:0, %eax\0A\09sete %dl\0A\09movl %gs:8, %r10d\0A\09leaq $4, %r11\0A\09shrq $$3, %r11\0A\09orl $$1, %r11d\0A\09cmpl %r11d, %gs:1020(,%r10,4)\0A\09je 3f\0A\09testb %dl, %dl\0A\09jne 2f\0A\09movl $0, %eax\0A\09xorl %edx, %edx\0A\09.byte 0x0f, 0x01, 0xef\0A\09xorl %gs:4, %eax\0A\09.byte 0x0f, 0x01, 0xef\0A\09cmpl %gs:0, %eax\0A\09jne ${5:l}\0A\09jmp 2f\0A3:\0A\09movl $0, %eax\0A\09xorl %edx, %edx\0A\09.byte 0x0f, 0x01, 0xef\0A\09movl %gs:8, %r10d\0A\09movl %gs:16(,%r10,4), %r11d\0A\09movl $$0, %gs:1020(,%r10,4)\0A\09subl $$1, %r10d\0A\09adcl $$0, %r10d\0A\09movl %r10d, %gs:8\0A\09movl %r11d, %r10d\0A\09orl $1, %r10d\0A\09cmpl $2, %r10d\0A\09jne ${5:l}\0A\09movl %r11d, %r10d\0A\09xorl $0, %r10d\0A\09shlq $$32, %r10\0A\09orq %r11, %r10\0A\09movq %r10, %gs:0\0A\09xorl %gs:4, %eax\0A\09.byte 0x0f, 0x01, 0xef\0A\09cmpl %gs:0, %eax\0A\09jne ${5:l}\0A\092:", "*m,*m,*m,{rcx},*m,!i,~{eax},~{edx},~{r10},~{r11},~{memory},~{dirflag},~{fpsr},~{flags}"(ptr elementtype(i32) getelementptr inbounds (i8, ptr @__pkguard_shadow_abi, i64 20), ptr elementtype(i32) @__pkguard_shadow_abi, ptr elementtype(i32) getelementptr inbounds (i8, ptr @__pkguard_shadow_abi, i64 16), i64 [[ODELTA]], ptr elementtype(i64) [[ODELTASLOT]])
; CHECK-NEXT:    to label %pkguard.checked{{[0-9]*}} [label %pkguard.forged{{[0-9]*}}]
; CHECK:         ret i32 %t
; CHECK:       pkguard.gate_cleanup:
; CHECK-NEXT:    [[OLP:%.*]] = landingpad
; CHECK-NEXT:            cleanup
; CHECK-NEXT:    [[OUNWINDSLOT:%.*]] = call ptr @llvm.addressofreturnaddress.p0()
; CHECK-NEXT:    [[OUNWIND:%.*]] = load i64, ptr getelementptr inbounds (i8, ptr @__pkguard_shadow_abi, i64 8), align 8
; CHECK-NEXT:    callbr void asm sideeffect "jecxz 1f\0A\09jmp 2f\0A1:\0A\09.byte 0x0f, 0x01, 0xee\0A\09cmpl %gs:0, %eax\0A\09sete %dl\0A\09movl %gs:8, %r10d\0A\09leaq $4, %r11\0A\09shrq $$3, %r11\0A\09orl $$1, %r11d\0A\09cmpl %r11d, %gs:1020(,%r10,4)\0A\09je 3f\0A\09testb %dl, %dl\0A\09jne 2f\0A\09movl $0, %eax\0A\09xorl %edx, %edx\0A\09.byte 0x0f, 0x01, 0xef\0A\09xorl %gs:4, %eax\0A\09.byte 0x0f, 0x01, 0xef\0A\09cmpl %gs:0, %eax\0A\09jne ${5:l}\0A\09jmp 2f\0A3:\0A\09movl $0, %eax\0A\09xorl %edx, %edx\0A\09.byte 0x0f, 0x01, 0xef\0A\09movl %gs:8, %r10d\0A\09movl %gs:16(,%r10,4), %r11d\0A\09movl $$0, %gs:1020(,%r10,4)\0A\09subl $$1, %r10d\0A\09adcl $$0, %r10d\0A\09movl %r10d, %gs:8\0A\09movl %r11d, %r10d\0A\09orl $1, %r10d\0A\09cmpl $2, %r10d\0A\09jne ${5:l}\0A\09movl %r11d, %r10d\0A\09xorl $0, %r10d\0A\09shlq $$32, %r10\0A\09orq %r11, %r10\0A\09movq %r10, %gs:0\0A\09xorl %gs:4, %eax\0A\09.byte 0x0f, 0x01, 0xef\0A\09cmpl %gs:0, %eax\0A\09jne ${5:l}\0A\092:", "*m,*m,*m,{rcx},*m,!i,~{eax},~{edx},~{r10},~{r11},~{memory},~{dirflag},~{fpsr},~{flags}"(ptr elementtype(i32) getelementptr inbounds (i8, ptr @__pkguard_shadow_abi, i64 20), ptr elementtype(i32) @__pkguard_shadow_abi, ptr elementtype(i32) getelementptr inbounds (i8, ptr @__pkguard_shadow_abi, i64 16), i64 [[OUNWIND]], ptr elementtype(i64) [[OUNWINDSLOT]])
; CHECK-NEXT:    to label %pkguard.checked{{[0-9]*}} [label %pkguard.forged{{[0-9]*}}]
; CHECK-EMPTY:
; CHECK-NEXT:  pkguard.checked{{[0-9]*}}:
; CHECK-NEXT:    resume { ptr, i32 } [[OLP]]
; CHECK:       [[OWORDS]]:
; CHECK-NEXT:    call void @__pkguard_gate_check_failed(ptr @pkguard.secret_table, i32 0, ptr @pkguard.function_name.{{[0-9]+}})

; Both returns of the recursive gate, and its unwinding exit, restore what
; they found.
; CHECK-LABEL: define i32 @countdown(
; CHECK-NEXT:  entry:
; CHECK:         callbr void asm sideeffect "jecxz 1f\0A\09movq $1, $0\0A\09jmp 2f\0A1:\0A\09cmpq $1, $0\0A\09jne 5f\0A\09.byte 0x0f, 0x01, 0xee\0A\09cmpl %gs:0, %eax\0A\09jne 3f\0A\09jmp 6f\0A5:\0A\09.byte 0x0f, 0x01, 0xee\0A\09cmpl %gs:0, %eax\0A\09jne 3f\0A\09movl $$1, %edx\0A6:\0A\09movl %gs:0, %r11d\0A\09andl $3, %r11d\0A\09orl $4, %r11d\0A\09movl %r11d, %r10d\0A\09orl $3, %r10d\0A\09cmpl $5, %r10d\0A\09jne ${8:l}\0A\09cmpl %gs:0, %r11d\0A\09jne 3f\0A\09testl %edx, %edx\0A\09je 2f\0A\09movl $2, %eax\0A\09xorl %edx, %edx\0A\09.byte 0x0f, 0x01, 0xef\0A\09movq $1, $0\0A\09xorl %gs:4, %eax\0A\09.byte 0x0f, 0x01, 0xef\0A\09cmpl %gs:0, %eax\0A\09jne ${9:l}\0A\09jmp 2f\0A3:\0A\09movl $2, %eax\0A\09xorl %edx, %edx\0A\09.byte 0x0f, 0x01, 0xef\0A\09movq $1, $0\0A\09movl %gs:8, %r10d\0A\09cmpl $$250, %r10d\0A\09jae ${10:l}\0A\09incl %r10d\0A\09leaq $7, %r11\0A\09shrq $$3, %r11\0A\09orl $$1, %r11d\0A\09movl %r11d, %gs:1020(,%r10,4)\0A\09movl %r10d, %gs:8\0A\09movl %r11d, %gs:1020(,%r10,4)\0A\09movl %gs:0, %r11d\0A\09movl %r11d, %gs:16(,%r10,4)\0A\09andl $3, %r11d\0A\09orl $4, %r11d\0A\09movl %r11d, %r10d\0A\09orl $3, %r10d\0A\09cmpl $5, %r10d\0A\09jne ${8:l}\0A\09movl %r11d, %r10d\0A\09xorl $2, %r10d\0A\09shlq $$32, %r10\0A\09orq %r11, %r10\0A\09movq %r10, %gs:0\0A\09xorl %gs:4, %eax\0A\09.byte 0x0f, 0x01, 0xef\0A\09cmpl %gs:0, %eax\0A\09jne ${9:l}\0A\092:", "=*m,r,*m,*m,*m,*m,{rcx},*m,!i,!i,!i,~{eax},~{edx},~{r10},~{r11},~{memory},~{dirflag},~{fpsr},~{flags}"(ptr elementtype(i64) {{%.*}}, i64 {{%.*}}, ptr elementtype(i32) getelementptr inbounds (i8, ptr @__pkguard_shadow_abi, i64 20), ptr elementtype(i32) getelementptr inbounds (i8, ptr @pkguard.secret_table, i64 32), ptr elementtype(i32) getelementptr inbounds (i8, ptr @pkguard.secret_table, i64 36), ptr elementtype(i32) getelementptr inbounds (i8, ptr @pkguard.secret_table, i64 40), i64 {{%.*}}, ptr elementtype(i64) {{%.*}})
; CHECK-LABEL: base:
; CHECK-NEXT:    %v = load i32, ptr @key
; CHECK-NEXT:    [[BDELTASLOT:%.*]] = call ptr @llvm.addressofreturnaddress.p0()
; CHECK-NEXT:    [[BDELTA:%.*]] = load i64, ptr getelementptr inbounds (i8, ptr @__pkguard_shadow_abi, i64 8), align 8
; CHECK-NEXT:    callbr void asm sideeffect "jecxz 1f\0A\09jmp 2f\0A1:\0A\09.byte 0x0f, 0x01, 0xee\0A\09cmpl %gs:0, %eax\0A\09sete %dl\0A\09movl %gs:8, %r10d\0A\09leaq $4, %r11\0A\09shrq $$3, %r11\0A\09orl $$1, %r11d\0A\09cmpl %r11d, %gs:1020(,%r10,4)\0A\09je 3f\0A\09testb %dl, %dl\0A\09jne 2f\0A\09movl $0, %eax\0A\09xorl %edx, %edx\0A\09.byte 0x0f, 0x01, 0xef\0A\09xorl %gs:4, %eax\0A\09.byte 0x0f, 0x01, 0xef\0A\09cmpl %gs:0, %eax\0A\09jne ${5:l}\0A\09jmp 2f\0A3:\0A\09movl $0, %eax\0A\09xorl %edx, %edx\0A\09.byte 0x0f, 0x01, 0xef\0A\09movl %gs:8, %r10d\0A\09movl %gs:16(,%r10,4), %r11d\0A\09movl $$0, %gs:1020(,%r10,4)\0A\09subl $$1, %r10d\0A\09adcl $$0, %r10d\0A\09movl %r10d, %gs:8\0A\09movl %r11d, %r10d\0A\09orl $1, %r10d\0A\09cmpl $2, %r10d\0A\09jne ${5:l}\0A\09movl %r11d, %r10d\0A\09xorl $0, %r10d\0A\09shlq $$32, %r10\0A\09orq %r11, %r10\0A\09movq %r10, %gs:0\0A\09xorl %gs:4, %eax\0A\09.byte 0x0f, 0x01, 0xef\0A\09cmpl %gs:0, %eax\0A\09jne ${5:l}\0A\092:", "*m,*m,*m,{rcx},*m,!i,~{eax},~{edx},~{r10},~{r11},~{memory},~{dirflag},~{fpsr},~{flags}"(ptr elementtype(i32) getelementptr inbounds (i8, ptr @__pkguard_shadow_abi, i64 20), ptr elementtype(i32) @__pkguard_shadow_abi, ptr elementtype(i32) getelementptr inbounds (i8, ptr @__pkguard_shadow_abi, i64 16), i64 [[BDELTA]], ptr elementtype(i64) [[BDELTASLOT]])
; CHECK-NEXT:    to label %pkguard.checked{{[0-9]*}} [label %pkguard.forged{{[0-9]*}}]
; CHECK:         ret i32 %v
; CHECK-LABEL: recurse:
; CHECK:         [[R:%.*]] = invoke i32 @countdown(
; CHECK-NEXT:            to label %[[RAFTER:.*]] unwind label %pkguard.gate_cleanup
; CHECK-EMPTY:
; CHECK-NEXT:  [[RAFTER]]:
; CHECK-NEXT:    [[RDELTASLOT:%.*]] = call ptr @llvm.addressofreturnaddress.p0()
; CHECK-NEXT:    [[RDELTA:%.*]] = load i64, ptr getelementptr inbounds (i8, ptr @__pkguard_shadow_abi, i64 8), align 8
; CHECK-NEXT:    callbr void asm sideeffect "jecxz 1f\0A\09jmp 2f\0A1:\0A\09.byte 0x0f, 0x01, 0xee\0A\09cmpl %gs:0, %eax\0A\09sete %dl\0A\09movl %gs:8, %r10d\0A\09leaq $4, %r11\0A\09shrq $$3, %r11\0A\09orl $$1, %r11d\0A\09cmpl %r11d, %gs:1020(,%r10,4)\0A\09je 3f\0A\09testb %dl, %dl\0A\09jne 2f\0A\09movl $0, %eax\0A\09xorl %edx, %edx\0A\09.byte 0x0f, 0x01, 0xef\0A\09xorl %gs:4, %eax\0A\09.byte 0x0f, 0x01, 0xef\0A\09cmpl %gs:0, %eax\0A\09jne ${5:l}\0A\09jmp 2f\0A3:\0A\09movl $0, %eax\0A\09xorl %edx, %edx\0A\09.byte 0x0f, 0x01, 0xef\0A\09movl %gs:8, %r10d\0A\09movl %gs:16(,%r10,4), %r11d\0A\09movl $$0, %gs:1020(,%r10,4)\0A\09subl $$1, %r10d\0A\09adcl $$0, %r10d\0A\09movl %r10d, %gs:8\0A\09movl %r11d, %r10d\0A\09orl $1, %r10d\0A\09cmpl $2, %r10d\0A\09jne ${5:l}\0A\09movl %r11d, %r10d\0A\09xorl $0, %r10d\0A\09shlq $$32, %r10\0A\09orq %r11, %r10\0A\09movq %r10, %gs:0\0A\09xorl %gs:4, %eax\0A\09.byte 0x0f, 0x01, 0xef\0A\09cmpl %gs:0, %eax\0A\09jne ${5:l}\0A\092:", "*m,*m,*m,{rcx},*m,!i,~{eax},~{edx},~{r10},~{r11},~{memory},~{dirflag},~{fpsr},~{flags}"(ptr elementtype(i32) getelementptr inbounds (i8, ptr @__pkguard_shadow_abi, i64 20), ptr elementtype(i32) @__pkguard_shadow_abi, ptr elementtype(i32) getelementptr inbounds (i8, ptr @__pkguard_shadow_abi, i64 16), i64 [[RDELTA]], ptr elementtype(i64) [[RDELTASLOT]])
; CHECK-NEXT:    to label %pkguard.checked{{[0-9]*}} [label %pkguard.forged{{[0-9]*}}]
; CHECK:         ret i32 [[R]]
; CHECK:       pkguard.gate_cleanup:
; CHECK-NEXT:    [[CLP:%.*]] = landingpad
; CHECK-NEXT:            cleanup
; CHECK-NEXT:    [[CUNWINDSLOT:%.*]] = call ptr @llvm.addressofreturnaddress.p0()
; CHECK-NEXT:    [[CUNWIND:%.*]] = load i64, ptr getelementptr inbounds (i8, ptr @__pkguard_shadow_abi, i64 8), align 8
; CHECK-NEXT:    callbr void asm sideeffect "jecxz 1f\0A\09jmp 2f\0A1:\0A\09.byte 0x0f, 0x01, 0xee\0A\09cmpl %gs:0, %eax\0A\09sete %dl\0A\09movl %gs:8, %r10d\0A\09leaq $4, %r11\0A\09shrq $$3, %r11\0A\09orl $$1, %r11d\0A\09cmpl %r11d, %gs:1020(,%r10,4)\0A\09je 3f\0A\09testb %dl, %dl\0A\09jne 2f\0A\09movl $0, %eax\0A\09xorl %edx, %edx\0A\09.byte 0x0f, 0x01, 0xef\0A\09xorl %gs:4, %eax\0A\09.byte 0x0f, 0x01, 0xef\0A\09cmpl %gs:0, %eax\0A\09jne ${5:l}\0A\09jmp 2f\0A3:\0A\09movl $0, %eax\0A\09xorl %edx, %edx\0A\09.byte 0x0f, 0x01, 0xef\0A\09movl %gs:8, %r10d\0A\09movl %gs:16(,%r10,4), %r11d\0A\09movl $$0, %gs:1020(,%r10,4)\0A\09subl $$1, %r10d\0A\09adcl $$0, %r10d\0A\09movl %r10d, %gs:8\0A\09movl %r11d, %r10d\0A\09orl $1, %r10d\0A\09cmpl $2, %r10d\0A\09jne ${5:l}\0A\09movl %r11d, %r10d\0A\09xorl $0, %r10d\0A\09shlq $$32, %r10\0A\09orq %r11, %r10\0A\09movq %r10, %gs:0\0A\09xorl %gs:4, %eax\0A\09.byte 0x0f, 0x01, 0xef\0A\09cmpl %gs:0, %eax\0A\09jne ${5:l}\0A\092:", "*m,*m,*m,{rcx},*m,!i,~{eax},~{edx},~{r10},~{r11},~{memory},~{dirflag},~{fpsr},~{flags}"(ptr elementtype(i32) getelementptr inbounds (i8, ptr @__pkguard_shadow_abi, i64 20), ptr elementtype(i32) @__pkguard_shadow_abi, ptr elementtype(i32) getelementptr inbounds (i8, ptr @__pkguard_shadow_abi, i64 16), i64 [[CUNWIND]], ptr elementtype(i64) [[CUNWINDSLOT]])
; CHECK-NEXT:    to label %pkguard.checked{{[0-9]*}} [label %pkguard.forged{{[0-9]*}}]
; CHECK-EMPTY:
; CHECK-NEXT:  pkguard.checked{{[0-9]*}}:
; CHECK-NEXT:    resume { ptr, i32 } [[CLP]]
