//===- keys_test.cpp - Allocating and recording protection keys -----------===//
#include "keys.h"

#include "cpu.h"
#include "pkru.h"
#include "syscalls.h"

#include <errno.h>
#include <gtest/gtest.h>

using namespace pkguard;

namespace {
int grant_seven(unsigned flags, unsigned rights) {
  EXPECT_EQ(flags, 0u);
  EXPECT_EQ(rights, kWriteDisable);
  return 7;
}
int refuse(unsigned, unsigned) { return -EINVAL; }
int exhausted(unsigned, unsigned) { return -ENOSPC; }
int key_zero(unsigned, unsigned) { return 0; }
} // namespace

TEST(AllocateKey, PassesRightsAndReturnsTheKey) {
  KeyAllocation a = allocate_key(kWriteDisable, grant_seven);
  EXPECT_EQ(a.key, 7);
  EXPECT_EQ(a.error, 0);
}

TEST(AllocateKey, ReportsTheKernelsError) {
  EXPECT_EQ(allocate_key(kAccessDisable, refuse).key, kNoKey);
  EXPECT_EQ(allocate_key(kAccessDisable, refuse).error, EINVAL);
  EXPECT_EQ(allocate_key(kAccessDisable, exhausted).error, ENOSPC);
}

TEST(AllocateKey, NeverHandsOutKeyZero) {
  // Key 0 tags all ordinary memory; treating it as pkguard's would be fatal.
  KeyAllocation a = allocate_key(kAccessDisable, key_zero);
  EXPECT_EQ(a.key, kNoKey);
  EXPECT_EQ(a.error, ERANGE);
}

TEST(KeyTable, RemembersRolesAndDomains) {
  KeyTable table;
  table.assign(3, KeyRole::ShadowStack);
  table.assign(5, KeyRole::SecretDomain, 2);
  EXPECT_EQ(table.role_of(3), KeyRole::ShadowStack);
  EXPECT_EQ(table.role_of(5), KeyRole::SecretDomain);
  EXPECT_EQ(table.domain_of(5), 2);
  EXPECT_EQ(table.role_of(4), KeyRole::Unused);
  EXPECT_EQ(table.key_of(KeyRole::ShadowStack), 3);
  EXPECT_EQ(table.key_of(KeyRole::SecretDomain, 2), 5);
  EXPECT_EQ(table.key_of(KeyRole::SecretDomain, 1), kNoKey);
}

TEST(KeyTable, IgnoresKeysOutOfRange) {
  KeyTable table;
  table.assign(0, KeyRole::ShadowStack);
  table.assign(16, KeyRole::ShadowStack);
  table.assign(-1, KeyRole::ShadowStack);
  EXPECT_EQ(table.key_of(KeyRole::ShadowStack), kNoKey);
  EXPECT_EQ(table.role_of(99), KeyRole::Unused);
}

TEST(AllocateKey, RealKeyStartsWithTheRequestedRights) {
  if (detect_pku_support() != PkuSupport::Available)
    GTEST_SKIP() << "no protection keys on this machine";
  KeyAllocation a = allocate_key(kWriteDisable);
  ASSERT_NE(a.key, kNoKey) << "errno " << a.error;
  EXPECT_EQ(rights_of(read_pkru(), a.key), kWriteDisable);
  EXPECT_EQ(sys_pkey_free(a.key), 0);
}

TEST(AllocateKey, ExhaustionIsReportedAsNoFreeKey) {
  if (detect_pku_support() != PkuSupport::Available)
    GTEST_SKIP() << "no protection keys on this machine";
  int keys[kMaxKeys];
  int count = 0;
  KeyAllocation a;
  while ((a = allocate_key(kAccessDisable)).key != kNoKey)
    keys[count++] = a.key;
  EXPECT_EQ(a.error, ENOSPC);
  // Keys 1..15, minus pkguard's shadow-stack key (this binary runs with the
  // runtime) and at most one the kernel keeps for execute-only memory.
  EXPECT_GE(count, 13);
  EXPECT_LE(count, 14);
  for (int i = 0; i < count; ++i)
    sys_pkey_free(keys[i]);
}
