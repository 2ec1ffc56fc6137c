//===- fault_handler.h - Explaining protection-key faults -----------------===//
//
// Part of pkguard, under the Apache License v2.0 with LLVM Exceptions.
// See LICENSE for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// A stray write to the shadow stack faults with SIGSEGV and SEGV_PKUERR.
// The runtime's SIGSEGV handler turns such faults on pkguard's keys, and
// accesses to a stack's missing shadow, into reports that name the faulting
// function. Every other SIGSEGV gets the default action, as if pkguard were
// not there.
//
//===----------------------------------------------------------------------===//
#ifndef PKGUARD_RUNTIME_FAULT_HANDLER_H
#define PKGUARD_RUNTIME_FAULT_HANDLER_H

namespace pkguard {

void install_fault_handler();

} // namespace pkguard

#endif
