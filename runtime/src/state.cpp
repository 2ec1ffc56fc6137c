//===- state.cpp - The runtime's write-protected state --------------------===//
//
// Part of pkguard, under the Apache License v2.0 with LLVM Exceptions.
// See LICENSE for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
#include "state.h"

#include "interface.h"
#include "report.h"
#include "syscalls.h"

#include <pthread.h>
#include <sys/mman.h>

namespace pkguard {

// Until the runtime has initialised, gates are off: a prologue that runs
// too early then faults on an unmapped shadow page instead of executing
// WRPKRU on a CPU that may lack it.
ProtectedState protected_state asm("__pkguard_shadow_abi")
    PKGUARD_VISIBLE = {
        {~0u, 0, -(int64_t)abi::ShadowStackDistance + abi::GatesOffDelta, 0, 0},
        PKGUARD_MODE_UNINITIALIZED, PkuSupport::CpuLacksPku,
        {},        {},                          kNoKey,
        false,     {}, {}, {}, 0, 0, 0, false, 0};

// The same block under a name no other module can preempt, so that the
// runtime's own sequences reach it RIP-relative, as instrumented code does,
// and never through a register (thread_rights.cpp).
asm(".globl __pkguard_state_local\n"
    ".hidden __pkguard_state_local\n"
    ".set __pkguard_state_local, __pkguard_shadow_abi");

namespace {

bool sealed = false;
pthread_mutex_t modify_lock = PTHREAD_MUTEX_INITIALIZER;
// The thread inside modify_state, or 0: a signal handler that forks while
// its thread changes the state must not wait for itself.
int modifying_thread = 0;
__thread bool locked_for_fork = false;

// A fork while another thread changes the state would leave the child's
// lock held forever, and its page writable: fork waits for the change.
void lock_for_fork() {
  if (__atomic_load_n(&modifying_thread, __ATOMIC_ACQUIRE) == sys_gettid())
    return;
  pthread_mutex_lock(&modify_lock);
  locked_for_fork = true;
}

void unlock_after_fork() {
  if (!locked_for_fork)
    return;
  locked_for_fork = false;
  pthread_mutex_unlock(&modify_lock);
}

void protect_state(int prot) {
  int error = tag_pages(&protected_state, sizeof protected_state, prot, kNoKey);
  if (error != 0)
    report_state_unprotectable(error);
}

} // namespace

const ProtectedState &state() { return protected_state; }

bool is_state_address(uintptr_t address) {
  uintptr_t page = (uintptr_t)&protected_state;
  return address >= page && address < page + sizeof protected_state;
}

void seal_state() {
  protect_state(PROT_READ);
  pthread_atfork(lock_for_fork, unlock_after_fork, unlock_after_fork);
  sealed = true;
}

ProtectedState &begin_state_change() {
  pthread_mutex_lock(&modify_lock);
  __atomic_store_n(&modifying_thread, sys_gettid(), __ATOMIC_RELEASE);
  if (sealed)
    protect_state(PROT_READ | PROT_WRITE);
  return protected_state;
}

void end_state_change() {
  if (sealed)
    protect_state(PROT_READ);
  __atomic_store_n(&modifying_thread, 0, __ATOMIC_RELEASE);
  pthread_mutex_unlock(&modify_lock);
}

} // namespace pkguard
