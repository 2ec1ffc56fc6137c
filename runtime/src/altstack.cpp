//===- altstack.cpp - Shadow stacks for signal stacks ---------------------===//
//
// Part of pkguard, under the Apache License v2.0 with LLVM Exceptions.
// See LICENSE for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// Instrumented signal handlers running on a sigaltstack keep their return
// addresses' shadows below that stack, so sigaltstack is interposed to
// mirror each new alternate stack before the kernel can use it. (The
// handlers' PKRU is signals.cpp's business.)
//
//===----------------------------------------------------------------------===//
#include "interface.h"
#include "interpose.h"
#include "report.h"
#include "shadow_stack.h"
#include "state.h"

#include <errno.h>
#include <signal.h>

namespace pkguard {
namespace {

using SigaltstackFn = int (*)(const stack_t *, stack_t *);

NextDefinition<SigaltstackFn> real_sigaltstack("sigaltstack");

// sigaltstack may be called from a signal handler, where dlsym (it may lock
// or allocate) is unsafe: look it up at start-up.
__attribute__((constructor(101))) void find_sigaltstack() {
  real_sigaltstack.get();
}

} // namespace
} // namespace pkguard

using namespace pkguard;

PKGUARD_INTERPOSER int
sigaltstack(const stack_t *stack, stack_t *old_stack) {
  if (stack && !(stack->ss_flags & SS_DISABLE) &&
      state().mode != PKGUARD_MODE_UNINITIALIZED) {
    uintptr_t low = (uintptr_t)stack->ss_sp;
    int error = mirror_stack(low, low + stack->ss_size);
    if (error != 0)
      report_altstack_unshadowable(low, error);
  }
  return real_sigaltstack.get()(stack, old_stack);
}
