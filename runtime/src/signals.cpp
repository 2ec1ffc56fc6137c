//===- signals.cpp - Signal handlers under protection keys ----------------===//
//
// Part of pkguard, under the Apache License v2.0 with LLVM Exceptions.
// See LICENSE for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
#include "signals.h"

#include "fault_handler.h"
#include "interface.h"
#include "interpose.h"
#include "keys.h"
#include "pkru.h"
#include "report.h"
#include "state.h"
#include "syscalls.h"
#include "thread_rights.h"

#include <signal.h>
#include <ucontext.h>
#include <string.h>

namespace pkguard {
namespace {

// The layout of a signal frame's XSAVE area (<bits/sigcontext.h>): the
// kernel's software bytes in the legacy area, then the XSAVE header.
constexpr size_t kSoftwareBytes = 464;
constexpr size_t kXsaveHeader = 512;
constexpr uint64_t kPkruFeature = 1ull << 9;

using SigactionFn = int (*)(int, const struct sigaction *, struct sigaction *);

NextDefinition<SigactionFn> real_sigaction("sigaction");

using SignalInfoHandler = void (*)(int, siginfo_t *, void *);

bool is_function(void (*handler)(int)) {
  return handler != SIG_DFL && handler != SIG_IGN && handler != SIG_ERR;
}

// The signals a fault inside a window can raise (fault_handler.h): the
// dispatcher stays on them whatever the program sets.
bool is_fault_signal(int sig) { return sig == SIGSEGV || sig == SIGBUS; }

// The kernel's SA_RESETHAND would take the dispatcher off SIGSEGV and
// SIGBUS, so for them the dispatcher emulates it: set once the program's one-shot
// handler has run. Ordinary memory, written from the handler without a
// lock; forging it re-arms or disarms the program's own handler, and
// decides nothing about protection (pkguard's reports come first).
bool one_shot_handler_spent[kSignalCount];

// The program's handler for `sig`, SIG_DFL once a one-shot handler has run;
// `delivering` marks a one-shot handler as run.
ProgramSignalHandler program_handler(int sig, bool delivering) {
  ProgramSignalHandler handler = state().signal_handlers[sig];
  if (!(handler.flags & SA_RESETHAND))
    return handler;
  bool *spent = &one_shot_handler_spent[sig];
  bool was_spent = delivering ? __atomic_exchange_n(spent, true, __ATOMIC_ACQ_REL)
                              : __atomic_load_n(spent, __ATOMIC_ACQUIRE);
  return was_spent ? ProgramSignalHandler{SIG_DFL, 0, false} : handler;
}

// The PKRU the signal interrupted lies in the signal frame, on the ordinary
// stack, and sigreturn loads it: the handler, or a write from anywhere while
// it ran, may have changed it. It becomes the thread's rights again, unless
// it is the window's and the signal interrupted a window.
void restore_frame_rights(void *context) {
  auto *frame = (ucontext_t *)context;
  auto *fpu = (unsigned char *)frame->uc_mcontext.fpregs;
  if (!fpu)
    return;
  const auto *software = (const struct _fpx_sw_bytes *)(fpu + kSoftwareBytes);
  if (software->magic1 != FP_XSTATE_MAGIC1 ||
      !(software->xstate_bv & kPkruFeature))
    return;
  auto *features = (uint64_t *)(fpu + kXsaveHeader);
  auto *pkru = (uint32_t *)(fpu + state().xsave_pkru_offset);
  uint32_t rights = current_rights();
  bool in_its_window = *pkru == state().shadow_abi.window &&
                       in_window((uintptr_t)frame->uc_mcontext.gregs[REG_RIP]);
  if ((*features & kPkruFeature) && (*pkru == rights || in_its_window))
    return;
  *features |= kPkruFeature;
  *pkru = rights;
}

// The kernel runs the dispatcher for SIGSEGV with every signal blocked:
// the fault that a stack's first instrumented call takes where no shadow
// is mapped yet must reach the dispatcher before any other handler runs.
// Otherwise a signal pending at that moment is delivered on top of the
// fault's frame, with SIGSEGV blocked, and its instrumented handler takes
// the same fault again, which the kernel, finding SIGSEGV blocked, makes
// fatal. The program's own SIGSEGV handler gets the signals blocked that it
// asked for.
void block_as_program_asked(const ProgramSignalHandler &handler,
                            void *context) {
  sigset_t blocked;
  sigorset(&blocked, &((ucontext_t *)context)->uc_sigmask,
           &state().fault_handler_mask);
  if (!(handler.flags & SA_NODEFER))
    sigaddset(&blocked, SIGSEGV);
  // The kernel's sigset is the first 64 bits of glibc's.
  raw_syscall(SYS_rt_sigprocmask, SIG_SETMASK, (long)&blocked, 0,
              sizeof(unsigned long));
}

// What the kernel calls for every signal whose handler the program set.
void dispatch(int sig, siginfo_t *info, void *context) {
  if (is_fault_signal(sig) && handle_fault(sig, info, context)) {
    if (keys_in_force())
      restore_frame_rights(context);
    return;
  }
  ProgramSignalHandler handler = program_handler(sig, /*delivering=*/true);
  // A sent signal (si_code <= 0) the program ignores; a fault cannot be
  // ignored, and takes the default action below, as without pkguard.
  if (handler.function == SIG_IGN && info->si_code <= 0)
    return;
  if (is_function(handler.function)) {
    // The kernel starts handlers with every key but 0 access-disabled; the
    // program's handler runs with the thread's rights, every domain
    // closed, and the thread gets its own back when it returns (sigreturn
    // restores the PKRU the signal interrupted).
    if (sig == SIGSEGV)
      block_as_program_asked(handler, context);
    bool pushed = keys_in_force() && enter_signal_handler();
    if (handler.flags & SA_SIGINFO)
      ((SignalInfoHandler)(void *)handler.function)(sig, info, context);
    else
      handler.function(sig);
    if (pushed) {
      pop_rights();
      restore_frame_rights(context);
    }
    return;
  }
  // A SIGSEGV the program leaves to the default action: take it. A fault
  // repeats when the handler returns; a sent signal must be sent again.
  struct sigaction default_action;
  memset(&default_action, 0, sizeof default_action);
  default_action.sa_handler = SIG_DFL;
  real_sigaction.get()(sig, &default_action, nullptr);
  if (info->si_code <= 0)
    raw_syscall(SYS_tgkill, sys_getpid(), sys_gettid(), sig);
}

void record_handler(int sig, ProgramSignalHandler handler) {
  modify_state([&](ProtectedState &s) { s.signal_handlers[sig] = handler; });
}

bool is_dispatched(const struct sigaction &action) {
  return (action.sa_flags & SA_SIGINFO) && action.sa_sigaction == dispatch;
}

int interposed_sigaction(int sig, const struct sigaction *action,
                         struct sigaction *old_action) {
  if (state().mode == PKGUARD_MODE_UNINITIALIZED || sig <= 0 ||
      sig >= kSignalCount || sig == SIGKILL || sig == SIGSTOP)
    return real_sigaction.get()(sig, action, old_action);
  // Copied before anything is written: `action` and `old_action` may be
  // the same struct.
  struct sigaction requested;
  if (action)
    requested = *action;
  if (old_action) {
    int result = real_sigaction.get()(sig, nullptr, old_action);
    if (result != 0)
      return result;
    if (is_dispatched(*old_action)) {
      ProgramSignalHandler previous = program_handler(sig, /*delivering=*/false);
      old_action->sa_handler = previous.function;
      old_action->sa_flags = previous.flags;
      if (sig == SIGSEGV)
        old_action->sa_mask = state().fault_handler_mask;
      else if (previous.blocks_faults)
        sigaddset(&old_action->sa_mask, SIGSEGV);
    }
  }
  if (!action)
    return 0;
  struct sigaction routed = requested;
  ProgramSignalHandler handler = {routed.sa_handler, routed.sa_flags,
                                  sigismember(&routed.sa_mask, SIGSEGV) == 1};
  if (!is_function(routed.sa_handler) && !is_fault_signal(sig)) {
    record_handler(sig, handler);
    return real_sigaction.get()(sig, &routed, nullptr);
  }
  // The program's handler, and for SIGSEGV its mask, are recorded in one
  // change, before the dispatcher can call it.
  modify_state([&](ProtectedState &s) {
    s.signal_handlers[sig] = handler;
    if (sig == SIGSEGV)
      s.fault_handler_mask = requested.sa_mask;
  });
  __atomic_store_n(&one_shot_handler_spent[sig], false, __ATOMIC_RELEASE);
  routed.sa_sigaction = dispatch;
  routed.sa_flags |= SA_SIGINFO;
  // A stack's first instrumented call may fault (fault_handler.h), in any
  // handler: no handler blocks SIGSEGV, and the dispatcher's for SIGSEGV
  // blocks everything (block_as_program_asked).
  sigdelset(&routed.sa_mask, SIGSEGV);
  if (sig == SIGSEGV)
    sigfillset(&routed.sa_mask);
  if (is_fault_signal(sig)) {
    routed.sa_flags &= ~SA_RESETHAND;
    if (!is_function(requested.sa_handler))
      routed.sa_flags |= SA_ONSTACK;
  }
  return real_sigaction.get()(sig, &routed, nullptr);
}

// signal() as glibc defines it: BSD semantics.
void (*interposed_signal(int sig, void (*handler)(int), int flags,
                         bool block_itself))(int) {
  struct sigaction action, old_action;
  memset(&action, 0, sizeof action);
  action.sa_handler = handler;
  sigemptyset(&action.sa_mask);
  if (block_itself)
    sigaddset(&action.sa_mask, sig);
  action.sa_flags = flags;
  if (interposed_sigaction(sig, &action, &old_action) != 0)
    return SIG_ERR;
  return old_action.sa_handler;
}

} // namespace

void install_signal_dispatch() {
  for (int sig : {SIGSEGV, SIGBUS}) {
    struct sigaction current;
    if (real_sigaction.get()(sig, nullptr, &current) != 0)
      report_signal_setup_failed(sig == SIGSEGV ? "cannot read the SIGSEGV action"
                                                : "cannot read the SIGBUS action");
    if (interposed_sigaction(sig, &current, nullptr) != 0)
      report_signal_setup_failed(sig == SIGSEGV
                                     ? "cannot install pkguard's SIGSEGV handler"
                                     : "cannot install pkguard's SIGBUS handler");
  }
}

} // namespace pkguard

using namespace pkguard;

PKGUARD_INTERPOSER int
sigaction(int sig, const struct sigaction *action,
          struct sigaction *old_action) {
  return interposed_sigaction(sig, action, old_action);
}

PKGUARD_INTERPOSER __sighandler_t
signal(int sig, __sighandler_t handler) {
  return interposed_signal(sig, handler, SA_RESTART, true);
}

PKGUARD_INTERPOSER __sighandler_t
bsd_signal(int sig, __sighandler_t handler) {
  return interposed_signal(sig, handler, SA_RESTART, true);
}

PKGUARD_INTERPOSER __sighandler_t
sysv_signal(int sig, __sighandler_t handler) {
  return interposed_signal(sig, handler, SA_RESETHAND | SA_NODEFER, false);
}
