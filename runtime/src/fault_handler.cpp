//===- fault_handler.cpp - Explaining protection-key faults ---------------===//
//
// Part of pkguard, under the Apache License v2.0 with LLVM Exceptions.
// See LICENSE for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
#include "fault_handler.h"

#include "abi.h"
#include "report.h"
#include "secrets.h"
#include "shadow_stack.h"
#include "state.h"

#include <signal.h>
#include <ucontext.h>

#ifndef SEGV_PKUERR
#define SEGV_PKUERR 4
#endif

namespace pkguard {
namespace {

// How far above the stack pointer a frame's return-address slot can be
// when its shadow is touched; used to recognise a stack without a shadow.
constexpr uintptr_t kMaxFrameReach = uintptr_t(64) << 20;

// The page-fault error code says whether the access was a write.
constexpr greg_t kPageFaultWrite = 2;

[[noreturn]] void report_key_fault(uintptr_t address, uintptr_t pc, int key,
                                   bool write) {
  Report message;
  message.text(write ? "write to " : "read of ");
  SecretLookup secret;
  KeyRole role = state().keys.role_of(key);
  if (role == KeyRole::ShadowStack) {
    message.text("the shadow stack at ").hex(address);
  } else if (role == KeyRole::SecretDomain && find_secret(address, secret)) {
    if (secret.name)
      message.text("secret '").text(secret.name).text("'");
    else
      message.text("a heap secret of ").number((long)secret.size).text(" bytes");
    message.text(" outside a gate at ").hex(address);
    if (address - secret.address >= secret.size)
      message.text(" (past its end, in its padding)");
  } else {
    message.text("memory of protection key ").number(key).text(" at ");
    message.hex(address);
  }
  message.text(" (");
  if (role == KeyRole::SecretDomain)
    message.text("domain '")
        .text(state().domains[state().keys.domain_of(key)].name)
        .text("', ");
  message.text("SEGV_PKUERR, protection key ").number(key).text(") in ");
  message.fault_location(pc);
  fatal(message);
}

[[noreturn]] void report_state_write(uintptr_t address, uintptr_t pc) {
  fatal(Report()
            .text("write to pkguard's read-only state at ")
            .hex(address)
            .text(" (SEGV_ACCERR) in ")
            .fault_location(pc));
}

[[noreturn]] void report_missing_shadow(uintptr_t address, uintptr_t pc,
                                        uintptr_t sp) {
  fatal(Report()
            .text("no shadow stack for the stack at ")
            .hex(stack_address_of_shadow(address))
            .text(" (stack pointer ")
            .hex(sp)
            .text("): stacks that pkguard does not create need "
                  "pkguard_register_stack; in ")
            .fault_location(pc));
}

} // namespace

void explain_fault(const siginfo_t *info, const void *ucontext) {
  const ucontext_t *context = (const ucontext_t *)ucontext;
  uintptr_t pc = (uintptr_t)context->uc_mcontext.gregs[REG_RIP];
  uintptr_t sp = (uintptr_t)context->uc_mcontext.gregs[REG_RSP];
  uintptr_t address = (uintptr_t)info->si_addr;
  if (info->si_code == SEGV_PKUERR &&
      state().keys.role_of(info->si_pkey) != KeyRole::Unused)
    report_key_fault(address, pc, info->si_pkey,
                     context->uc_mcontext.gregs[REG_ERR] & kPageFaultWrite);
  if (info->si_code == SEGV_ACCERR && is_state_address(address))
    report_state_write(address, pc);
  uintptr_t stack_address = stack_address_of_shadow(address);
  if (info->si_code == SEGV_MAPERR && stack_address >= sp &&
      stack_address - sp < kMaxFrameReach)
    report_missing_shadow(address, pc, sp);
}

} // namespace pkguard
