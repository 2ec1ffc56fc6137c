//===- state.cpp - The runtime's write-protected state --------------------===//
//
// Part of pkguard, under the Apache License v2.0 with LLVM Exceptions.
// See LICENSE for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
#include "state.h"

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

bool sealed = false;
pthread_mutex_t modify_lock = PTHREAD_MUTEX_INITIALIZER;

} // namespace

const ProtectedState &state() { return protected_state; }

void seal_state() {
  int error = tag_pages(&protected_state, sizeof protected_state, PROT_READ,
                        kNoKey);
  if (error != 0)
    fatal(Report().text("cannot protect the runtime state (errno ")
              .number(error)
              .text(")"));
  sealed = true;
}

void modify_state(void (*change)(ProtectedState &, void *), void *context) {
  pthread_mutex_lock(&modify_lock);
  if (sealed)
    tag_pages(&protected_state, sizeof protected_state,
              PROT_READ | PROT_WRITE, kNoKey);
  change(protected_state, context);
  if (sealed)
    tag_pages(&protected_state, sizeof protected_state, PROT_READ, kNoKey);
  pthread_mutex_unlock(&modify_lock);
}

} // namespace pkguard
