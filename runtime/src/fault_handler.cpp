//===- fault_handler.cpp - Explaining protection-key faults ---------------===//
//
// Part of pkguard, under the Apache License v2.0 with LLVM Exceptions.
// See LICENSE for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
#include "fault_handler.h"

#include "report.h"
#include "shadow_stack.h"
#include "state.h"
#include "symbolizer.h"
#include "syscalls.h"
#include "thread_rights.h"

#include <asm/prctl.h>

#include <pkguard/sequences.h>

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

bool is_rights_access(uintptr_t address) {
  unsigned long base = 0;
  raw_syscall(SYS_arch_prctl, ARCH_GET_GS, (long)&base);
  return address >= base && address - base < sizeof(abi::ThreadRights);
}

// A stack pkguard did not create (a makecontext coroutine's, a thread's that
// glibc or clone() started, one the program mapped itself) gets its shadow
// on its first instrumented call: a MAPERR write inside a window (the
// prologue's one store; without keys, any write), to the shadow of a slot
// in the stack pointer's frame, where no shadow is mapped. Only the
// stack's page around that slot is mirrored, tagged with the shadow-stack
// key and never over anything mapped; the store that runs again is the
// prologue's, of the return address its call pushed. A window's access to
// rights a thread does not have (GS is nowhere, or at rights released with
// their stack) takes rights of its own, and runs again too.
//
// A prologue first reads the shadow, to see whether its window would change
// anything (docs/sequences.md): that read, before the window, takes the
// same fault as the store would. The fault's address is looked at before
// any code at pc is read: a fault elsewhere may come from any pc, an
// unmapped one included. Without keys no code needs recognising: only
// pkguard's sequences touch a shadow, and mapping one gives nothing away
// that the unprotected mode keeps.
bool resolve_unshadowed_stack(uintptr_t address, uintptr_t pc, uintptr_t sp,
                              bool write) {
  uintptr_t slot = stack_address_of_shadow(address);
  bool stack_shadow = slot >= sp && slot - sp < kMaxFrameReach &&
                      !is_shadow_address(address);
  bool rights = keys_in_force() && is_rights_access(address);
  if (!stack_shadow && !rights)
    return false;
  bool window = !keys_in_force() || in_window(pc);
  bool check = keys_in_force() && !write && in_unchanged_check(pc);
  if (stack_shadow && (keys_in_force() ? (write && window) || check : true)) {
    if (mirror_stack(page_down(slot), page_down(slot) + kPageSize) != 0)
      return false;
    if (keys_in_force() && !take_own_rights())
      report_thread_without_rights(pc);
    return true;
  }
  if (rights && (window || check)) {
    if (!take_own_rights())
      report_thread_without_rights(pc);
    return true;
  }
  return false;
}

// A prologue's check reads the shadow before it knows PKRU. Code that the
// kernel runs with every key but 0 access-disabled (a signal handler
// installed past pkguard) faults there, where before the check its window
// opened the shadow: it goes on with the thread's rights, which any window
// would have given it, and which the dispatcher puts in its frame.
bool resolve_unreadable_shadow(const siginfo_t *info, uintptr_t pc,
                               bool write) {
  if (write || (int)info->si_pkey != state().shadow_key ||
      !in_unchanged_check(pc))
    return false;
  if (!take_own_rights())
    report_thread_without_rights(pc);
  return true;
}

// The SIGSEGV cases: returns true when the fault was resolved; dies with a
// report when it is pkguard's; returns false otherwise.
bool explain_segv(const siginfo_t *info, const ucontext_t *context,
                  uintptr_t pc, uintptr_t address) {
  uintptr_t sp = (uintptr_t)context->uc_mcontext.gregs[REG_RSP];
  bool write = context->uc_mcontext.gregs[REG_ERR] & kPageFaultWrite;
  if (info->si_code == SEGV_MAPERR && resolve_unshadowed_stack(address, pc, sp, write))
    return true;
  if (info->si_code == SEGV_PKUERR && keys_in_force() &&
      resolve_unreadable_shadow(info, pc, write))
    return true;
  if (info->si_code == SEGV_PKUERR &&
      state().keys.role_of(info->si_pkey) != KeyRole::Unused)
    report_key_fault(address, pc, info->si_pkey, write);
  if (info->si_code == SEGV_ACCERR && is_state_address(address))
    report_state_write(address, pc);
  uintptr_t stack_address = stack_address_of_shadow(address);
  if (info->si_code == SEGV_MAPERR && stack_address >= sp &&
      stack_address - sp < kMaxFrameReach)
    report_missing_shadow(address, pc, sp);
  return false;
}

} // namespace

// Where the code before `pc` that a sequence around it may start at can be
// read: pc's page or, when `reach` bytes before pc leave it, the function
// around pc: both mapped. pc's own page is mapped; only a sequence that may
// start on the page before needs the function's start, which symbolizing
// finds (and which is slow: programs that catch SIGSEGV for their own ends
// pay it rarely).
uintptr_t readable_code_before(uintptr_t pc, uintptr_t reach) {
  uintptr_t begin = page_down(pc);
  if (pc - begin < reach) {
    Symbolized where;
    if (symbolize(pc, where) && where.function[0])
      begin = pc - where.offset;
  }
  return begin;
}

bool in_window(uintptr_t pc) {
  uintptr_t begin = readable_code_before(pc, abi::WindowReach);
  uintptr_t end = pc + abi::WindowReach + 32;
  return abi::inside_window((const unsigned char *)begin,
                            (const unsigned char *)end,
                            (const unsigned char *)pc);
}

bool in_unchanged_check(uintptr_t pc) {
  uintptr_t begin = readable_code_before(pc, sizeof abi::RdpkruBytes);
  uintptr_t end = pc + 2 * abi::MaxInstructionLength + 32;
  return abi::in_unchanged_check((const unsigned char *)begin,
                                 (const unsigned char *)end,
                                 (const unsigned char *)pc);
}


bool handle_fault(int sig, const siginfo_t *info, const void *ucontext) {
  // A fault sent with kill or tgkill is no fault, wherever it lands.
  if (info->si_code <= 0)
    return false;
  report_if_nested_fault();
  const ucontext_t *context = (const ucontext_t *)ucontext;
  uintptr_t pc = (uintptr_t)context->uc_mcontext.gregs[REG_RIP];
  uintptr_t address = (uintptr_t)info->si_addr;
  if (sig == SIGSEGV && explain_segv(info, context, pc, address))
    return true;
  if (keys_in_force() && in_window(pc))
    report_fault_in_window(address, pc);
  return false;
}

} // namespace pkguard
