//===- signals.h - Signal handlers under protection keys ------------------===//
//
// Part of pkguard, under the Apache License v2.0 with LLVM Exceptions.
// See LICENSE for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// Linux starts every signal handler with every key but 0 access-disabled.
// A handler that leaves by siglongjmp (or longjmp, or a C++ exception)
// would carry that PKRU back into ordinary code, whose epilogues then fault
// reading the shadow stack. So sigaction and signal are interposed: the
// kernel calls pkguard's dispatcher, which makes the shadow stack readable
// before calling the program's handler. SIGSEGV and SIGBUS always go
// through the dispatcher, so that pkguard's faults are reported whatever
// handler the program has; to the program, sigaction still shows its own
// handlers.
//
//===----------------------------------------------------------------------===//
#ifndef PKGUARD_RUNTIME_SIGNALS_H
#define PKGUARD_RUNTIME_SIGNALS_H

namespace pkguard {

// Routes SIGSEGV and SIGBUS through the dispatcher. Called once at start-up.
void install_signal_dispatch();

} // namespace pkguard

#endif
