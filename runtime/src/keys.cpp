//===- keys.cpp - Protection keys owned by pkguard ------------------------===//
//
// Part of pkguard, under the Apache License v2.0 with LLVM Exceptions.
// See LICENSE for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
#include "keys.h"

#include "syscalls.h"

#include <errno.h>

namespace pkguard {

KeyAllocation allocate_key(uint32_t initial_rights, PkeyAllocFn alloc) {
  int result = alloc(0, initial_rights);
  if (result < 0)
    return {kNoKey, -result};
  if (result == 0 || result >= kMaxKeys)
    return {kNoKey, ERANGE}; // never from Linux; refuse rather than misuse
  return {result, 0};
}

KeyAllocation allocate_key(uint32_t initial_rights) {
  return allocate_key(initial_rights, sys_pkey_alloc);
}

void KeyTable::assign(int key, KeyRole role, int domain) {
  if (key > 0 && key < kMaxKeys) {
    roles_[key] = role;
    domains_[key] = (uint8_t)domain;
  }
}

KeyRole KeyTable::role_of(int key) const {
  return key > 0 && key < kMaxKeys ? roles_[key] : KeyRole::Unused;
}

int KeyTable::domain_of(int key) const {
  return key > 0 && key < kMaxKeys ? domains_[key] : 0;
}

int KeyTable::key_of(KeyRole role, int domain) const {
  for (int key = 1; key < kMaxKeys; ++key)
    if (roles_[key] == role && domains_[key] == domain)
      return key;
  return kNoKey;
}

} // namespace pkguard
