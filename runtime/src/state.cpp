//===- state.cpp - The runtime's write-protected state --------------------===//
//
// Part of pkguard, under the Apache License v2.0 with LLVM Exceptions.
// See LICENSE for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
#include "state.h"

#include "pkru.h"
#include "report.h"

#include <pthread.h>
#include <sys/mman.h>

namespace pkguard {

// Until the runtime has initialised, gates are off: a prologue that runs
// too early then faults on an unmapped shadow page instead of executing
// WRPKRU on a CPU that may lack it.
ProtectedState protected_state asm("__pkguard_shadow_abi")
    __attribute__((visibility("default"))) = {
        {~0u, 0, -(int64_t)kShadowStackDistance + kGatesOffDelta, 0, 0},
        PKGUARD_MODE_UNINITIALIZED, PkuSupport::CpuLacksPku,
        {},        {},                          kNoKey,
        false,     {}, {}, 0, 0, 0};

namespace {

struct alignas(kPageSize) SignalEntryState {
  int shadow_key;
};
SignalEntryState signal_entry_state = {kNoKey};

bool sealed = false;
pthread_mutex_t modify_lock = PTHREAD_MUTEX_INITIALIZER;

// A fork while another thread changes the state would leave the child's
// lock held forever: fork waits for the change instead.
void lock_for_fork() { pthread_mutex_lock(&modify_lock); }
void unlock_after_fork() { pthread_mutex_unlock(&modify_lock); }

void protect_page(void *page, int prot, int key) {
  int error = tag_pages(page, kPageSize, prot, key);
  if (error != 0)
    fatal(Report().text("cannot protect the runtime state (errno ")
              .number(error)
              .text(")"));
}

} // namespace

const ProtectedState &state() { return protected_state; }

int shadow_key_for_signals() { return signal_entry_state.shadow_key; }

bool is_state_address(uintptr_t address) {
  uintptr_t page = (uintptr_t)&protected_state;
  return address >= page && address < page + sizeof protected_state;
}

void seal_state() {
  signal_entry_state.shadow_key = protected_state.shadow_key;
  protect_page(&signal_entry_state, PROT_READ, kNoKey);
  protect_page(&protected_state, PROT_READ, protected_state.shadow_key);
  pthread_atfork(lock_for_fork, unlock_after_fork, unlock_after_fork);
  sealed = true;
}

void modify_state(void (*change)(ProtectedState &, void *), void *context) {
  pthread_mutex_lock(&modify_lock);
  if (!sealed) {
    change(protected_state, context);
    pthread_mutex_unlock(&modify_lock);
    return;
  }
  int key = protected_state.shadow_key;
  uint32_t saved_pkru = 0;
  if (key != kNoKey) {
    saved_pkru = read_pkru();
    write_pkru(with_rights(saved_pkru, key, kAllRights));
  }
  protect_page(&protected_state, PROT_READ | PROT_WRITE, key);
  change(protected_state, context);
  protect_page(&protected_state, PROT_READ, key);
  if (key != kNoKey)
    write_pkru(saved_pkru);
  pthread_mutex_unlock(&modify_lock);
}

} // namespace pkguard
