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
#include "interpose.h"
#include "report.h"
#include "shadow_stack.h"
#include "state.h"

#include <errno.h>
#include <signal.h>

namespace pkguard {
namespace {

using SigaltstackFn = int (*)(const stack_t *, stack_t *);

SigaltstackFn sigaltstack_cache;

SigaltstackFn real_sigaltstack() {
  return next_definition("sigaltstack", sigaltstack_cache);
}

// sigaltstack may be called from a signal handler, where dlsym (it may lock
// or allocate) is unsafe: look it up at start-up.
__attribute__((constructor(101))) void find_sigaltstack() { real_sigaltstack(); }

} // namespace
} // namespace pkguard

using namespace pkguard;

extern "C" __attribute__((visibility("default"))) int
sigaltstack(const stack_t *stack, stack_t *old_stack) {
  if (stack && !(stack->ss_flags & SS_DISABLE) &&
      state().mode != PKGUARD_MODE_UNINITIALIZED) {
    uintptr_t low = (uintptr_t)stack->ss_sp;
    int error = mirror_stack(low, low + stack->ss_size);
    if (error != 0) {
      Report message;
      message.text("cannot shadow the signal stack at ").hex(low);
      if (error == ERANGE)
        message.text(": it lies below the shadow-stack offset; allocate it "
                     "with mmap or malloc in a position-independent "
                     "executable");
      else
        message.text(" (errno ").number(error).text(")");
      fatal(message);
    }
  }
  return real_sigaltstack()(stack, old_stack);
}
