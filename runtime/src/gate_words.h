//===- gate_words.h - The values a gate's checked WRPKRUs write -----------===//
//
// Part of pkguard, under the Apache License v2.0 with LLVM Exceptions.
// See LICENSE for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// What a gate of one domain may write to PKRU, and what it checks after each
// write (see GateWords in <pkguard/abi.h>). A pure function of the keys,
// so that it is tested on any machine.
//
//===----------------------------------------------------------------------===//
#ifndef PKGUARD_RUNTIME_GATE_WORDS_H
#define PKGUARD_RUNTIME_GATE_WORDS_H

#include <pkguard/abi.h>
#include "pkru.h"

namespace pkguard {

// `secret_keys_mask` covers every domain's key, `secret_closed_bits` has
// each of them access-disabled; `domain_key` is the gate's own.
constexpr abi::GateWords compute_gate_words(int shadow_key, uint32_t secret_keys_mask,
                                       uint32_t secret_closed_bits,
                                       int domain_key) {
  uint32_t clear = ~(rights_mask(shadow_key) | secret_keys_mask);
  uint32_t open_bits = (kWriteDisable << (2 * shadow_key)) |
                       (secret_closed_bits & ~rights_mask(domain_key));
  return {clear, open_bits, open_bits | clear, {}};
}

} // namespace pkguard

#endif
