//===- api.cpp - pkguard's public C interface -----------------------------===//
//
// Part of pkguard, under the Apache License v2.0 with LLVM Exceptions.
// See LICENSE for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// The entry points declared in <pkguard/pkguard.h>.
//
//===----------------------------------------------------------------------===//
#include "mode.h"
#include "interface.h"
#include "shadow_stack.h"
#include "secrets.h"
#include "state.h"

#include <errno.h>
#include <pkguard/pkguard.h>

using namespace pkguard;

PKGUARD_INTERFACE pkguard_mode
pkguard_get_mode(void) {
  return state().mode;
}

PKGUARD_INTERFACE pkguard_secret_memory pkguard_get_secret_memory(void) {
  return __atomic_load_n(&secrets_in_ordinary_memory, __ATOMIC_RELAXED) ||
                 !state().secret_memory
             ? PKGUARD_SECRETS_IN_ORDINARY_MEMORY
             : PKGUARD_SECRETS_OUTSIDE_DIRECT_MAP;
}

PKGUARD_INTERFACE const char *
pkguard_describe_mode(void) {
  return describe_mode();
}

PKGUARD_INTERFACE int
pkguard_shadow_stack_key(void) {
  return state().shadow_key;
}

PKGUARD_INTERFACE void *
pkguard_shadow_address(const void *slot) {
  return (void *)shadow_of((uintptr_t)slot);
}

PKGUARD_INTERFACE int
pkguard_register_stack(void *stack, size_t size) {
  if (state().mode == PKGUARD_MODE_UNINITIALIZED)
    return EAGAIN;
  return mirror_stack((uintptr_t)stack, (uintptr_t)stack + size);
}
