; Nested gates and recursion: each gate opens only its own domain (its own
; gate words: domain 0 at table offset 32, domain 1 at 64), saves the PKRU
; it found in the shadow of the slot below its return address (+2040), and
; every exit, the unwinding one included, writes back that saved PKRU
; (RESTORE's first operand) rather than a fixed "all closed" value. So a
; gate called from a gate, or from itself, leaves its caller's domain open.
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
; CHECK:         [[ISAVED:%.*]] = getelementptr i8, ptr {{%.*}}, i64 2040
; CHECK-NEXT:    call i32 asm sideeffect "jecxz 1f{{.*}}(ptr elementtype(i64) {{%.*}}, ptr elementtype(i64) [[ISAVED]], i64 {{%.*}}, ptr elementtype(i32) getelementptr inbounds (i8, ptr @pkguard.secret_table, i64 64),
; CHECK:         load i32, ptr @tls_key
; CHECK:         [[IRESTORE:%.*]] = getelementptr i8, ptr {{%.*}}, i64 2040
; CHECK-NEXT:    call i32 asm sideeffect "xorl %r11d, %r11d\0A\09jecxz 1f\0A\09jmp 2f\0A1:\0A\09movl $1, %eax{{.*}}"(ptr elementtype(i32) [[IRESTORE]],
; CHECK:         ret i32

; CHECK-LABEL: define i32 @outer()
; CHECK:         [[OSAVED:%.*]] = getelementptr i8, ptr {{%.*}}, i64 2040
; CHECK-NEXT:    call i32 asm sideeffect "jecxz 1f{{.*}}(ptr elementtype(i64) {{%.*}}, ptr elementtype(i64) [[OSAVED]], i64 {{%.*}}, ptr elementtype(i32) getelementptr inbounds (i8, ptr @pkguard.secret_table, i64 32),
; CHECK:         load i32, ptr @key
; CHECK-NEXT:    invoke i32 @inner()
; CHECK-NEXT:            to label %[[AFTER:.*]] unwind label %pkguard.gate_cleanup
; CHECK:       [[AFTER]]:
; CHECK-NEXT:    load i32, ptr @key
; CHECK:         [[ORESTORE:%.*]] = getelementptr i8, ptr {{%.*}}, i64 2040
; CHECK-NEXT:    call i32 asm sideeffect "xorl %r11d{{.*}}movl $1, %eax{{.*}}"(ptr elementtype(i32) [[ORESTORE]],
; CHECK:         ret i32
; CHECK:       pkguard.gate_cleanup:
; CHECK-NEXT:    landingpad
; CHECK:         [[OUNWIND:%.*]] = getelementptr i8, ptr {{%.*}}, i64 2040
; CHECK-NEXT:    call i32 asm sideeffect "xorl %r11d{{.*}}movl $1, %eax{{.*}}"(ptr elementtype(i32) [[OUNWIND]],
; CHECK:         resume

; Both returns of the recursive gate restore what they found.
; CHECK-LABEL: define i32 @countdown(
; CHECK:         call i32 asm sideeffect "jecxz 1f{{.*}}getelementptr inbounds (i8, ptr @pkguard.secret_table, i64 32),
; CHECK:         load i32, ptr @key
; CHECK:         call i32 asm sideeffect "xorl %r11d{{.*}}movl $1, %eax
; CHECK:         ret i32
; CHECK:         invoke i32 @countdown(
; CHECK:         call i32 asm sideeffect "xorl %r11d{{.*}}movl $1, %eax
; CHECK:         ret i32
