//===- fault_handler.h - Explaining protection-key faults -----------------===//
//
// Part of pkguard, under the Apache License v2.0 with LLVM Exceptions.
// See LICENSE for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// A stray write to the shadow stack faults with SIGSEGV and SEGV_PKUERR.
// Every SIGSEGV and SIGBUS passes here first (see signals.cpp): faults on
// pkguard's keys, on its read-only state, and accesses to a stack's missing
// shadow become reports that name the faulting function, except the two
// faults that stacks and threads pkguard did not create take on their first
// instrumented call, which it resolves; so does any fault inside a window,
// which only a jump into the middle of a sequence can take. Such a fault
// comes as SIGBUS when the forged registers make a stack-based address
// non-canonical (a stack-segment fault on real CPUs) or the store hits a
// file mapping past its end. Every other fault goes on to the program's
// handler or the default action, as if pkguard were not there.
//
//===----------------------------------------------------------------------===//
#ifndef PKGUARD_RUNTIME_FAULT_HANDLER_H
#define PKGUARD_RUNTIME_FAULT_HANDLER_H

#include <signal.h>
#include <stdint.h>

namespace pkguard {

// Whether `pc` lies inside one of pkguard's windows (docs/sequences.md).
bool in_window(uintptr_t pc);
// Whether `pc` is one of the reads of a prologue's check that its window
// would change nothing (docs/sequences.md).
bool in_unchanged_check(uintptr_t pc);

// Returns true when pkguard resolved the fault and the faulting instruction
// may run again: the first instrumented call on a stack pkguard was not told
// about (its shadow is mapped then), the first window of a thread that
// has no rights of its own (it takes some), or a prologue's read of the
// shadow in code the kernel runs with the shadow's key access-disabled.
// With keys, the thread's rights are readable then, and the caller makes
// them the frame's PKRU. Dies with a report when the
// fault is otherwise pkguard's business; returns false if not.
// `sig` is SIGSEGV or SIGBUS.
bool handle_fault(int sig, const siginfo_t *info, const void *ucontext);

} // namespace pkguard

#endif
