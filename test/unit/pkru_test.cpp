//===- pkru_test.cpp - PKRU bit layout and access -------------------------===//
#include "pkru.h"

#include "cpu.h"
#include "keys.h"
#include "syscalls.h"

#include "raw_pkru.h"

#include <gtest/gtest.h>

using namespace pkguard;

TEST(Pkru, EachKeyOwnsTwoBits) {
  EXPECT_EQ(rights_mask(0), 0x3u);
  EXPECT_EQ(rights_mask(1), 0xcu);
  EXPECT_EQ(rights_mask(15), 0xc0000000u);
}

TEST(Pkru, ChangingOneKeyLeavesTheOthers) {
  uint32_t pkru = kDefaultLinuxPkru;
  uint32_t opened = with_rights(pkru, 3, kAllRights);
  EXPECT_EQ(rights_of(opened, 3), kAllRights);
  for (int key = 0; key < kMaxKeys; ++key)
    if (key != 3)
      EXPECT_EQ(rights_of(opened, key), rights_of(pkru, key)) << "key " << key;
  EXPECT_EQ(with_rights(opened, 3, kAccessDisable), pkru);
}

TEST(Pkru, LinuxDefaultDisablesAccessToEveryKeyButZero) {
  EXPECT_EQ(rights_of(kDefaultLinuxPkru, 0), kAllRights);
  for (int key = 1; key < kMaxKeys; ++key)
    EXPECT_EQ(rights_of(kDefaultLinuxPkru, key), kAccessDisable);
}

TEST(Pkru, WritesAreReadBack) {
  if (detect_pku_support() != PkuSupport::Available)
    GTEST_SKIP() << "no protection keys on this machine";
  KeyAllocation a = allocate_key(kAccessDisable);
  ASSERT_NE(a.key, kNoKey);
  uint32_t before = read_pkru();
  write_pkru(with_rights(before, a.key, kWriteDisable));
  EXPECT_EQ(read_pkru(), with_rights(before, a.key, kWriteDisable));
  write_pkru(before);
  EXPECT_EQ(read_pkru(), before);
  sys_pkey_free(a.key);
}
