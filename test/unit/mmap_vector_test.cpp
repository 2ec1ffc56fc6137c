//===- mmap_vector_test.cpp - The runtime's lock-free-readable lists ------===//
#include "mmap_vector.h"

#include <gtest/gtest.h>

using namespace pkguard;

TEST(MmapVector, KeepsOrderAcrossGrowthAndErase) {
  MmapVector<long> list;
  for (long i = 0; i < 5000; ++i)
    list.push_back(i);
  ASSERT_EQ(list.size(), 5000u);
  list.erase(0);
  list.erase(100);
  ASSERT_EQ(list.size(), 4998u);
  EXPECT_EQ(list[0], 1);
  EXPECT_EQ(list[99], 100);
  EXPECT_EQ(list[100], 102);
  EXPECT_EQ(list[4997], 4999);
}

TEST(MmapVector, AReaderOfTheOldBufferStillReadsMappedMemory) {
  // A fault handler may be reading the buffer while another thread's push
  // moves the list: the old buffer must stay mapped and unchanged.
  MmapVector<long> list;
  list.push_back(41);
  const long *before_growth = &list[0];
  for (long i = 0; i < 10000; ++i)
    list.push_back(i);
  EXPECT_NE(&list[0], before_growth);
  EXPECT_EQ(*before_growth, 41);
}
