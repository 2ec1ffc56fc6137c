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
// protection off by flipping a flag. With protection keys the page also
// carries the shadow stack's key: while the runtime changes the state (a
// new handler, a new domain) the page is writable, but only for the thread
// that opened the key, not for a thread racing it.
//
// A signal handler starts with every key but 0 access-disabled, so the
// signal dispatcher learns the shadow key from a second read-only page,
// which carries no key and never changes after start-up.
//
//===----------------------------------------------------------------------===//
#ifndef PKGUARD_RUNTIME_STATE_H
#define PKGUARD_RUNTIME_STATE_H

#include "abi.h"
#include "cpu.h"
#include "keys.h"
#include "options.h"
#include "pages.h"

#include <pkguard/pkguard.h>

namespace pkguard {

// A handler the program installed, which the runtime's dispatcher calls
// (see signals.cpp); SIG_DFL and SIG_IGN included.
struct ProgramSignalHandler {
  void (*function)(int);
  int flags;
};

constexpr int kSignalCount = 65; // 1..64

// A secret domain: its name and, with protection keys, its key.
constexpr int kMaxDomains = 15;
constexpr int kMaxDomainName = 32;
struct SecretDomain {
  char name[kMaxDomainName + 1];
  int key; // kNoKey without protection keys
};

struct alignas(kPageSize) ProtectedState {
  // First, at the symbol __pkguard_shadow_abi, where instrumented code
  // finds it.
  ShadowStackAbi shadow_abi;
  pkguard_mode mode;
  PkuSupport support;
  Options options;
  KeyTable keys;
  int shadow_key;
  bool initialized;
  ProgramSignalHandler signal_handlers[kSignalCount];
  SecretDomain domains[kMaxDomains];
  int domain_count;
  // The PKRU bits of every domain's key, and those bits with every domain
  // access-disabled.
  uint32_t secret_keys_mask;
  uint32_t secret_closed_bits;
};
static_assert(sizeof(ProtectedState) == kPageSize,
              "the protected state must fill exactly one page");

const ProtectedState &state();

// Runs `change` on the protected state with the page briefly writable.
void modify_state(void (*change)(ProtectedState &, void *), void *context);

// Makes the state page read-only, under the shadow key when there is one.
// Called once the state is complete.
void seal_state();

// The shadow stack's key (kNoKey without keys), readable with any PKRU.
int shadow_key_for_signals();

// True when `address` is on the state page.
bool is_state_address(uintptr_t address);

} // namespace pkguard

#endif
