//===- gate_words_test.cpp - What gates may write to PKRU -----------------===//
#include "gate_words.h"

#include <gtest/gtest.h>

using namespace pkguard;

namespace {
// Shadow stack on key 1; secret domains on keys 2 and 3.
constexpr int kShadow = 1, kFirst = 2, kSecond = 3;
constexpr uint32_t kSecretMask = rights_mask(kFirst) | rights_mask(kSecond);
constexpr uint32_t kClosed =
    (kAccessDisable << (2 * kFirst)) | (kAccessDisable << (2 * kSecond));
constexpr pkguard::abi::GateWords kFirstGate =
    compute_gate_words(kShadow, kSecretMask, kClosed, kFirst);

// What the gate's sequence computes from the rights it finds.
uint32_t open_step(uint32_t found) {
  return (found & kFirstGate.clear) | kFirstGate.open_bits;
}
bool open_check(uint32_t written) {
  return (written | kFirstGate.clear) == kFirstGate.open_expect;
}
} // namespace

TEST(GateWords, OpenOnlyTheGatesDomain) {
  uint32_t pkru = open_step(kDefaultLinuxPkru);
  EXPECT_EQ(rights_of(pkru, kShadow), kWriteDisable);
  EXPECT_EQ(rights_of(pkru, kFirst), kAllRights);
  EXPECT_EQ(rights_of(pkru, kSecond), kAccessDisable);
  EXPECT_TRUE(open_check(pkru));
}

TEST(GateWords, KeysPkguardDoesNotOwnAreLeftAlone) {
  // Key 5 is the program's own, open; key 9 its own, write-disabled.
  uint32_t found = with_rights(with_rights(kDefaultLinuxPkru, 5, kAllRights), 9,
                               kWriteDisable);
  uint32_t pkru = open_step(found);
  EXPECT_EQ(rights_of(pkru, 5), kAllRights);
  EXPECT_EQ(rights_of(pkru, 9), kWriteDisable);
  EXPECT_EQ(rights_of(pkru, 0), kAllRights);
  EXPECT_TRUE(open_check(pkru));
}

TEST(GateWords, ForgedValuesFailTheChecks) {
  // Every key open.
  EXPECT_FALSE(open_check(0));
  // The right domain open, but another domain open too.
  uint32_t greedy = with_rights(open_step(kDefaultLinuxPkru), kSecond, kAllRights);
  EXPECT_FALSE(open_check(greedy));
  // The right domain open, but the shadow stack writable.
  uint32_t writable = with_rights(open_step(kDefaultLinuxPkru), kShadow, kAllRights);
  EXPECT_FALSE(open_check(writable));
  // Every domain closed: not this gate's rights.
  EXPECT_FALSE(open_check(kDefaultLinuxPkru));
}

TEST(GateWords, UnregisteredWordsChangeNothingAndFail) {
  // The words a module's table starts with, before the runtime fills them.
  constexpr pkguard::abi::GateWords kUnregistered = {
      pkguard::abi::UnregisteredGateClear, 0, 0, {}};
  for (uint32_t found : {kDefaultLinuxPkru, 0u, 0x55555554u, kClosed}) {
    uint32_t opened = (found & kUnregistered.clear) | kUnregistered.open_bits;
    EXPECT_EQ(opened, found);
    EXPECT_NE(opened | kUnregistered.clear, kUnregistered.open_expect);
  }
}
