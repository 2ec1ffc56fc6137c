//===- state.h - The runtime's write-protected state ----------------------===//
//
// Part of pkguard, under the Apache License v2.0 with LLVM Exceptions.
// See LICENSE for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// Everything that decides what protection is in force (the mode, the keys,
// the masks the gates use) sits on one page that is read-only once the
// runtime has started, so an attacker who can write anywhere cannot switch
// protection off by flipping a flag. It is read-only rather than tagged with
// a key because instrumented code reads it with any PKRU: a signal handler
// installed past pkguard's sigaction (glibc's sigset, a raw rt_sigaction)
// starts with every key but 0 access-disabled. The price: while the runtime
// changes it (a new signal handler, a new secret domain) the page is
// writable for every thread, for a few instructions.
//
//===----------------------------------------------------------------------===//
#ifndef PKGUARD_RUNTIME_STATE_H
#define PKGUARD_RUNTIME_STATE_H

#include <pkguard/abi.h>
#include "cpu.h"
#include "keys.h"
#include "options.h"
#include "pages.h"
#include "syscalls.h"

#include <pkguard/pkguard.h>

#include <signal.h>

namespace pkguard {

// A handler the program installed, which the runtime's dispatcher calls
// (see signals.cpp); SIG_DFL and SIG_IGN included. `blocks_faults`: the
// program's sa_mask had SIGSEGV, which the kernel's action has not.
struct ProgramSignalHandler {
  void (*function)(int);
  int flags;
  bool blocks_faults;
};

constexpr int kSignalCount = 65; // 1..64

// A secret domain: its name and, with protection keys, its key.
struct SecretDomain {
  char name[abi::MaxDomainNameLength + 1];
  int key; // kNoKey without protection keys
};

struct alignas(kPageSize) ProtectedState {
  // First, at the symbol __pkguard_shadow_abi, where instrumented code
  // finds it.
  abi::ShadowStackAbi shadow_abi;
  pkguard_mode mode;
  PkuSupport support;
  Options options;
  KeyTable keys;
  int shadow_key;
  bool initialized;
  ProgramSignalHandler signal_handlers[kSignalCount];
  // The sa_mask the program gave its SIGSEGV handler; the kernel's action
  // blocks every signal (signals.cpp).
  sigset_t fault_handler_mask;
  SecretDomain domains[abi::MaxSecretDomains];
  int domain_count;
  // The PKRU bits of every domain's key, and those bits with every domain
  // access-disabled.
  uint32_t secret_keys_mask;
  uint32_t secret_closed_bits;
  // memfd_secret works: secret pages are placed outside the direct map.
  bool secret_memory;
  // Where a signal frame keeps PKRU (xsave_pkru_offset), read once: CPUID
  // is slow, and under a hypervisor slower still.
  uint32_t xsave_pkru_offset;
};
static_assert(sizeof(ProtectedState) == kPageSize,
              "the protected state must fill exactly one page");
static_assert(offsetof(ProtectedState, shadow_abi) == 0,
              "instrumented code finds the ABI block at the page's start");

const ProtectedState &state();

// Brackets one change of the protected state: the page is writable between
// them, and the changes of several threads do not overlap. Use
// modify_state.
ProtectedState &begin_state_change();
void end_state_change();

// Runs `change(ProtectedState &)` on the protected state with the page
// briefly writable, and signals blocked: a handler may change the state
// too (sigaction is async-signal-safe), and must not wait for the lock its
// own thread holds.
template <typename Change> void modify_state(Change change) {
  SignalsBlocked blocked;
  change(begin_state_change());
  end_state_change();
}

// Whether protection keys are in force: the shadow stack's key, and each
// secret domain's, exist and the gates use them.
inline bool keys_in_force() { return state().mode == PKGUARD_MODE_PROTECTED; }

// Makes the state page read-only. Called once the state is complete.
void seal_state();

// True when `address` is on the state page.
bool is_state_address(uintptr_t address);

} // namespace pkguard

#endif
