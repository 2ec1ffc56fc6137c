//===- keys.h - Protection keys owned by pkguard --------------------------===//
//
// Part of pkguard, under the Apache License v2.0 with LLVM Exceptions.
// See LICENSE for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// pkguard takes one key for the shadow stack and one per secret domain.
// The kernel picks key numbers (and may keep one for execute-only memory),
// so nothing here assumes which numbers come back. The table remembers each
// key's role so that a protection-key fault can be explained.
//
//===----------------------------------------------------------------------===//
#ifndef PKGUARD_RUNTIME_KEYS_H
#define PKGUARD_RUNTIME_KEYS_H

#include "cpu.h"
#include "pkru.h"

#include <stdint.h>

namespace pkguard {

constexpr int kNoKey = -1;

enum class KeyRole : uint8_t { Unused, ShadowStack, SecretDomain };

struct KeyAllocation {
  int key;   // 1..15, or kNoKey
  int error; // errno of pkey_alloc when key is kNoKey
};

// Asks the kernel for a key whose rights in the calling thread start as
// `initial_rights` (kAccessDisable, kWriteDisable or kAllRights).
using PkeyAllocFn = int (*)(unsigned flags, unsigned rights);
KeyAllocation allocate_key(uint32_t initial_rights, PkeyAllocFn alloc);
KeyAllocation allocate_key(uint32_t initial_rights);

class KeyTable {
public:
  void assign(int key, KeyRole role, int domain = 0);
  KeyRole role_of(int key) const;
  int domain_of(int key) const;
  // The key of a role; kNoKey when none was assigned.
  int key_of(KeyRole role, int domain = 0) const;

private:
  KeyRole roles_[kMaxKeys] = {};
  uint8_t domains_[kMaxKeys] = {};
};

} // namespace pkguard

#endif
