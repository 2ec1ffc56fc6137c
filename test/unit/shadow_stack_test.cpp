//===- shadow_stack_test.cpp - Mirroring stacks ---------------------------===//
#include "shadow_stack.h"

#include "abi.h"
#include "keys.h"
#include "pages.h"
#include "syscalls.h"

#include <errno.h>
#include <gtest/gtest.h>
#include <sys/mman.h>

using namespace pkguard;

namespace {
// A stack-like region high in the address space, as mmap gives threads.
uintptr_t fresh_stack(size_t size) {
  MapResult r = map_pages(nullptr, size, Placement::Anywhere, kNoKey);
  EXPECT_NE(r.address, nullptr);
  return (uintptr_t)r.address;
}

volatile uint64_t &shadow_of(uintptr_t address) {
  return *(volatile uint64_t *)(address - kShadowStackOffset);
}
} // namespace

TEST(ShadowStack, MirrorIsUsableAtTheFixedOffset) {
  uintptr_t stack = fresh_stack(4 * kPageSize);
  ASSERT_EQ(mirror_stack(stack, stack + 4 * kPageSize), 0);
  shadow_of(stack + 3 * kPageSize + 8) = 0x1234;
  EXPECT_EQ(shadow_of(stack + 3 * kPageSize + 8), 0x1234u);
  EXPECT_TRUE(is_shadow_address(stack - kShadowStackOffset));
  EXPECT_TRUE(is_shadow_address(stack + 4 * kPageSize - 1 - kShadowStackOffset));
  EXPECT_FALSE(is_shadow_address(stack + 4 * kPageSize - kShadowStackOffset));
}

TEST(ShadowStack, ReusedAndOverlappingStacksKeepTheirShadow) {
  uintptr_t stack = fresh_stack(8 * kPageSize);
  ASSERT_EQ(mirror_stack(stack + 2 * kPageSize, stack + 4 * kPageSize), 0);
  shadow_of(stack + 3 * kPageSize) = 77;
  // glibc hands out cached thread stacks again; the overlap is kept and
  // only the missing pages are mapped.
  ASSERT_EQ(mirror_stack(stack, stack + 8 * kPageSize), 0);
  EXPECT_EQ(shadow_of(stack + 3 * kPageSize), 77u);
  ASSERT_EQ(mirror_stack(stack + kPageSize, stack + 5 * kPageSize), 0);
  shadow_of(stack) = 1;
  shadow_of(stack + 8 * kPageSize - 8) = 2;
}

TEST(ShadowStack, UnalignedRangesCoverWholePages) {
  uintptr_t stack = fresh_stack(2 * kPageSize);
  ASSERT_EQ(mirror_stack(stack + 100, stack + kPageSize + 200), 0);
  shadow_of(stack) = 5;
  shadow_of(stack + 2 * kPageSize - 8) = 6;
}

TEST(ShadowStack, RefusesToMapOverSomethingElse) {
  uintptr_t stack = fresh_stack(kPageSize);
  MapResult blocker = map_pages((void *)(stack - kShadowStackOffset), kPageSize,
                                Placement::ExactlyAt, kNoKey);
  ASSERT_NE(blocker.address, nullptr);
  EXPECT_EQ(mirror_stack(stack, stack + kPageSize), EEXIST);
  EXPECT_FALSE(is_shadow_address(stack - kShadowStackOffset));
  sys_munmap(blocker.address, kPageSize);
}

TEST(ShadowStack, LowStacksHaveNoShadow) {
  EXPECT_EQ(mirror_stack(0x400000, 0x500000), ERANGE);
}
