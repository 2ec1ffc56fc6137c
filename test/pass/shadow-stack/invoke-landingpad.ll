; Exceptions: unwinding leaves a frame without using its return address, so
; 'resume' is not checked; a landing pad that returns normally is.
; RUN: %opt_pkguard -passes='pkguard-shadow-stack<all>' -S %s | FileCheck %s

target triple = "x86_64-pc-linux-gnu"

declare void @may_throw()
declare i32 @__gxx_personality_v0(...)

define i32 @catches() personality ptr @__gxx_personality_v0 {
entry:
  invoke void @may_throw() to label %done unwind label %pad
done:
  ret i32 0
pad:
  %lp = landingpad { ptr, i32 } catch ptr null
  ret i32 1
}

define void @cleans_up() personality ptr @__gxx_personality_v0 {
entry:
  invoke void @may_throw() to label %done unwind label %pad
done:
  ret void
pad:
  %lp = landingpad { ptr, i32 } cleanup
  resume { ptr, i32 } %lp
}

; CHECK-LABEL: define i32 @catches()
; CHECK:       callbr void asm sideeffect "jecxz 1f
; CHECK-NEXT:  to label %pkguard.checked [label %pkguard.forged]
; CHECK-LABEL: pkguard.checked:
; CHECK-NEXT:  invoke void @may_throw()
; CHECK-LABEL: done:
; CHECK:       call void @__pkguard_report_return_mismatch
; CHECK:       ret i32 0
; CHECK-LABEL: pad:
; CHECK-NEXT:  %lp = landingpad { ptr, i32 }
; CHECK:       call void @__pkguard_report_return_mismatch
; CHECK:       ret i32 1

; CHECK-LABEL: define void @cleans_up()
; CHECK:       callbr void asm sideeffect "jecxz 1f
; CHECK-NEXT:  to label %pkguard.checked [label %pkguard.forged]
; CHECK-LABEL: pad:
; CHECK-NEXT:    %lp = landingpad { ptr, i32 }
; CHECK-NEXT:    cleanup
; CHECK-NEXT:    resume { ptr, i32 } %lp
