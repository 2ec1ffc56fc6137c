//===- pkru.h - PKRU register layout and access ---------------------------===//
//
// Part of pkguard, under the Apache License v2.0 with LLVM Exceptions.
// See LICENSE for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// PKRU holds two bits per protection key: bit 2k disables all data access
// to pages tagged with key k (AD), bit 2k+1 disables writes (WD). The helpers
// change one key's bits and leave every other key's bits alone, which is the
// rule for all of pkguard's gates. RDPKRU is written as raw bytes so that
// no -mpku flag is needed; it faults (#UD) on CPUs without PKU, so callers
// check pkguard's mode first. pkguard writes PKRU only through its checked
// sequences (thread_rights.h).
//
//===----------------------------------------------------------------------===//
#ifndef PKGUARD_RUNTIME_PKRU_H
#define PKGUARD_RUNTIME_PKRU_H

#include <stdint.h>

namespace pkguard {

constexpr int kMaxKeys = 16;
constexpr uint32_t kAccessDisable = 1;
constexpr uint32_t kWriteDisable = 2;
constexpr uint32_t kAllRights = 0;

// The PKRU that Linux gives new processes and signal handlers: every key
// but 0 access-disabled.
constexpr uint32_t kDefaultLinuxPkru = 0x55555554;

constexpr uint32_t rights_mask(int key) { return 3u << (2 * key); }

constexpr uint32_t rights_of(uint32_t pkru, int key) {
  return (pkru >> (2 * key)) & 3u;
}

constexpr uint32_t with_rights(uint32_t pkru, int key, uint32_t rights) {
  return (pkru & ~rights_mask(key)) | (rights << (2 * key));
}

inline uint32_t read_pkru() {
  uint32_t eax, edx;
  // RDPKRU (0f 01 ee): ECX must be 0.
  asm volatile(".byte 0x0f, 0x01, 0xee" : "=a"(eax), "=d"(edx) : "c"(0));
  return eax;
}

} // namespace pkguard

#endif
