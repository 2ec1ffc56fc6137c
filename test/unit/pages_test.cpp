//===- pages_test.cpp - Mapping and tagging pages -------------------------===//
#include "pages.h"

#include "cpu.h"
#include "keys.h"
#include "pkru.h"
#include "syscalls.h"

#include <errno.h>
#include "raw_pkru.h"

#include <gtest/gtest.h>
#include <sys/mman.h>

using namespace pkguard;

TEST(Pages, RoundToPages) {
  EXPECT_EQ(page_down(0x12345), 0x12000u);
  EXPECT_EQ(page_up(0x12345), 0x13000u);
  EXPECT_EQ(page_up(0x12000), 0x12000u);
}

TEST(Pages, UntaggedMappingIsZeroedAndWritable) {
  MapResult r = map_pages(nullptr, 3 * kPageSize, Placement::Anywhere, kNoKey);
  ASSERT_NE(r.address, nullptr) << "errno " << r.error;
  auto *bytes = static_cast<volatile char *>(r.address);
  EXPECT_EQ(bytes[2 * kPageSize + 7], 0);
  bytes[2 * kPageSize + 7] = 1;
  EXPECT_EQ(bytes[2 * kPageSize + 7], 1);
  sys_munmap(r.address, 3 * kPageSize);
}

TEST(Pages, ExactPlacementNeverReplacesAMapping) {
  MapResult first = map_pages(nullptr, kPageSize, Placement::Anywhere, kNoKey);
  ASSERT_NE(first.address, nullptr);
  static_cast<volatile char *>(first.address)[0] = 9;
  MapResult second =
      map_pages(first.address, kPageSize, Placement::ExactlyAt, kNoKey);
  EXPECT_EQ(second.address, nullptr);
  EXPECT_EQ(second.error, EEXIST);
  EXPECT_EQ(static_cast<volatile char *>(first.address)[0], 9);
  sys_munmap(first.address, kPageSize);
}

TEST(Pages, ExactPlacementLandsWhereAsked) {
  MapResult hole = map_pages(nullptr, kPageSize, Placement::Anywhere, kNoKey);
  ASSERT_NE(hole.address, nullptr);
  sys_munmap(hole.address, kPageSize);
  MapResult r = map_pages(hole.address, kPageSize, Placement::ExactlyAt, kNoKey);
  EXPECT_EQ(r.address, hole.address);
  sys_munmap(r.address, kPageSize);
}

TEST(Pages, TaggingWithoutKeysRefusesABadKey) {
  if (detect_pku_support() == PkuSupport::Available)
    GTEST_SKIP() << "this machine has protection keys";
  MapResult r = map_pages(nullptr, kPageSize, Placement::Anywhere, kNoKey);
  ASSERT_NE(r.address, nullptr);
  EXPECT_NE(tag_pages(r.address, kPageSize, PROT_READ | PROT_WRITE, 1), 0);
  sys_munmap(r.address, kPageSize);
}

TEST(PagesDeathTest, WriteDisabledKeyFaults) {
  if (detect_pku_support() != PkuSupport::Available)
    GTEST_SKIP() << "no protection keys on this machine";
  KeyAllocation a = allocate_key(kWriteDisable);
  ASSERT_NE(a.key, kNoKey);
  MapResult r = map_pages(nullptr, kPageSize, Placement::Anywhere, a.key);
  ASSERT_NE(r.address, nullptr) << "errno " << r.error;
  auto *page = static_cast<volatile char *>(r.address);
  EXPECT_EQ(page[0], 0) << "reads stay allowed";
  EXPECT_EXIT(page[0] = 1, testing::KilledBySignal(SIGSEGV), "");
  write_pkru(with_rights(read_pkru(), a.key, kAllRights));
  page[0] = 1;
  EXPECT_EQ(page[0], 1);
  write_pkru(with_rights(read_pkru(), a.key, kWriteDisable));
  sys_munmap(r.address, kPageSize);
  sys_pkey_free(a.key);
}
