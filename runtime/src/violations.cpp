//===- violations.cpp - Reports called by instrumented code ---------------===//
//
// Part of pkguard, under the Apache License v2.0 with LLVM Exceptions.
// See LICENSE for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
#include "abi.h"
#include "report.h"
#include "shadow_stack.h"
#include "syscalls.h"

using namespace pkguard;

// After a corrupted return the stack may be misaligned: realign it before
// anything uses aligned vector stores.
extern "C" __attribute__((visibility("default"), noreturn,
                          force_align_arg_pointer)) void
__pkguard_report_return_mismatch(const char *function, uintptr_t expected,
                                 uintptr_t found, uintptr_t *slot) {
  Report message;
  message.text("return address mismatch in ").symbol(function);
  message.text("\npkguard:   found    ").hex(found).text(" (");
  message.code_address(found).text(")");
  message.text("\npkguard:   expected ").hex(expected).text(" (");
  message.code_address(expected).text(")");
  message.text("\npkguard:   return address slot ").hex((uintptr_t)slot);
  message.text(", shadow ").hex(shadow_of((uintptr_t)slot));
  message.text(", thread ").number(sys_gettid());
  fatal(message);
}
