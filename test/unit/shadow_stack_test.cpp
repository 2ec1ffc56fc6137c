//===- shadow_stack_test.cpp - Mirroring stacks ---------------------------===//
#include "shadow_stack.h"

#include <pkguard/abi.h>
#include "keys.h"
#include "pages.h"
#include "pkru.h"
#include "state.h"
#include "syscalls.h"

#include <errno.h>
#include "raw_pkru.h"

#include <gtest/gtest.h>
#include <pkguard/pkguard.h>
#include <stdio.h>
#include <sys/mman.h>

using namespace pkguard;

namespace {
// A stack-like region high in the address space, as mmap gives threads,
// with two pages kept mapped (and never mirrored) on either side, so that
// no other test's stack, and so no other shadow, lies next to its shadow.
uintptr_t fresh_stack(size_t size) {
  constexpr size_t kGuard = 2 * kPageSize;
  MapResult r =
      map_pages(nullptr, size + 2 * kGuard, Placement::Anywhere, kNoKey);
  EXPECT_NE(r.address, nullptr);
  return (uintptr_t)r.address + kGuard;
}

// The test binary runs with pkguard's runtime, which write-protects shadow
// pages when the machine has protection keys: open them, as a prologue
// does, for each write.
void write_shadow(uintptr_t address, uint64_t value) {
  int key = state().shadow_key;
  uint32_t saved = key == kNoKey ? 0 : read_pkru();
  if (key != kNoKey)
    write_pkru(with_rights(saved, key, kAllRights));
  *(volatile uint64_t *)shadow_of(address) = value;
  if (key != kNoKey)
    write_pkru(saved);
}

uint64_t read_shadow(uintptr_t address) {
  return *(volatile uint64_t *)shadow_of(address);
}

// Whether the kernel has a page mapped at `address`.
bool is_mapped(uintptr_t address) {
  unsigned char resident;
  return mincore((void *)page_down(address), kPageSize, &resident) == 0;
}

// The protection key of the page at `address`, as /proc/self/smaps says;
// -1 when it says nothing (a kernel or CPU without protection keys).
int protection_key_of(uintptr_t address) {
  FILE *smaps = fopen("/proc/self/smaps", "r");
  if (!smaps)
    return -1;
  char line[256];
  bool inside = false;
  int key = -1;
  while (fgets(line, sizeof line, smaps)) {
    unsigned long low, high;
    if (sscanf(line, "%lx-%lx ", &low, &high) == 2)
      inside = address >= low && address < high;
    else if (inside && sscanf(line, "ProtectionKey: %d", &key) == 1)
      break;
  }
  fclose(smaps);
  return key;
}
} // namespace

TEST(ShadowStack, ShadowLiesAtTheDeltaAndSkew) {
  uintptr_t slot = 0x7ffc12345678;
  EXPECT_EQ(shadow_of(slot) - slot,
            uintptr_t(state().shadow_abi.shadow_delta + pkguard::abi::ShadowSkew));
  EXPECT_EQ(stack_address_of_shadow(shadow_of(slot)), slot);
  // What instrumented code is given through the interface is the same.
  EXPECT_EQ((uintptr_t)pkguard_shadow_address((void *)slot), shadow_of(slot));
}

TEST(ShadowStack, TheMainStackIsMirroredAtStartUp) {
  uintptr_t here = (uintptr_t)__builtin_frame_address(0);
  EXPECT_TRUE(is_shadow_address(shadow_of(here)));
  EXPECT_TRUE(is_mapped(shadow_of(here)));
}

TEST(ShadowStack, MirrorIsUsableAtTheFixedOffset) {
  uintptr_t stack = fresh_stack(4 * kPageSize);
  EXPECT_FALSE(is_mapped(shadow_of(stack)));
  ASSERT_EQ(mirror_stack(stack, stack + 4 * kPageSize), 0);
  EXPECT_TRUE(is_mapped(shadow_of(stack)));
  EXPECT_TRUE(is_mapped(shadow_of(stack + 4 * kPageSize - 8)));
  EXPECT_EQ(read_shadow(stack + 3 * kPageSize + 8), 0u) << "fresh shadow is zeroed";
  write_shadow(stack + 3 * kPageSize + 8, 0x1234);
  EXPECT_EQ(read_shadow(stack + 3 * kPageSize + 8), 0x1234u);
  EXPECT_TRUE(is_shadow_address(shadow_of(stack)));
  EXPECT_TRUE(is_shadow_address(shadow_of(stack + 4 * kPageSize - 1)));
  EXPECT_FALSE(is_shadow_address(page_up(shadow_of(stack + 4 * kPageSize))));
}

TEST(ShadowStack, MirrorCarriesTheShadowKey) {
  if (!keys_in_force())
    GTEST_SKIP() << "no protection keys on this machine";
  uintptr_t stack = fresh_stack(2 * kPageSize);
  ASSERT_EQ(mirror_stack(stack, stack + 2 * kPageSize), 0);
  ASSERT_NE(state().shadow_key, kNoKey);
  EXPECT_EQ(protection_key_of(shadow_of(stack)), state().shadow_key);
  EXPECT_EQ(protection_key_of(shadow_of(stack + 2 * kPageSize - 8)),
            state().shadow_key);
  // The stack itself keeps the default key.
  EXPECT_EQ(protection_key_of(stack), 0);
  // Outside a prologue the key is write-disabled: reads work, writes not.
  EXPECT_EQ(rights_of(read_pkru(), state().shadow_key), kWriteDisable);
  write_shadow(stack + 8, 99);
  EXPECT_EQ(read_shadow(stack + 8), 99u);
}

TEST(ShadowStackDeathTest, WriteOutsideAPrologueIsReported) {
  if (!keys_in_force())
    GTEST_SKIP() << "no protection keys on this machine";
  uintptr_t stack = fresh_stack(kPageSize);
  ASSERT_EQ(mirror_stack(stack, stack + kPageSize), 0);
  EXPECT_DEATH(*(volatile uint64_t *)shadow_of(stack + 8) = 1,
               "pkguard: ERROR: write to the shadow stack at ");
  EXPECT_EQ(read_shadow(stack + 8), 0u);
}

TEST(ShadowStack, NeighbouringStacksShareShadowPages) {
  // The skew puts the end of one stack's shadow and the start of the next
  // one's in the same page.
  uintptr_t stack = fresh_stack(4 * kPageSize);
  uintptr_t boundary = stack + 2 * kPageSize;
  EXPECT_EQ(page_down(shadow_of(boundary - 8)), page_down(shadow_of(boundary)));
  ASSERT_EQ(mirror_stack(stack, boundary), 0);
  ASSERT_EQ(mirror_stack(boundary, stack + 4 * kPageSize), 0);
  write_shadow(boundary - 8, 1);
  write_shadow(boundary, 2);
  EXPECT_EQ(read_shadow(boundary - 8), 1u);
  EXPECT_EQ(read_shadow(boundary), 2u);
  EXPECT_TRUE(is_mapped(shadow_of(stack + 4 * kPageSize - 8)));
}

TEST(ShadowStack, ReusedAndOverlappingStacksKeepTheirShadow) {
  uintptr_t stack = fresh_stack(8 * kPageSize);
  ASSERT_EQ(mirror_stack(stack + 2 * kPageSize, stack + 4 * kPageSize), 0);
  write_shadow(stack + 3 * kPageSize, 77);
  // glibc hands out cached thread stacks again; the overlap is kept and
  // only the missing pages are mapped.
  ASSERT_EQ(mirror_stack(stack, stack + 8 * kPageSize), 0);
  EXPECT_EQ(read_shadow(stack + 3 * kPageSize), 77u);
  ASSERT_EQ(mirror_stack(stack + kPageSize, stack + 5 * kPageSize), 0);
  EXPECT_EQ(read_shadow(stack + 3 * kPageSize), 77u);
  write_shadow(stack, 1);
  write_shadow(stack + 8 * kPageSize - 8, 2);
  EXPECT_EQ(read_shadow(stack), 1u);
  EXPECT_EQ(read_shadow(stack + 8 * kPageSize - 8), 2u);
  for (uintptr_t page = stack; page < stack + 8 * kPageSize; page += kPageSize)
    EXPECT_TRUE(is_shadow_address(shadow_of(page))) << "page " << page;
}

TEST(ShadowStack, UnalignedRangesCoverWholePages) {
  uintptr_t stack = fresh_stack(2 * kPageSize);
  ASSERT_EQ(mirror_stack(stack + 100, stack + kPageSize + 200), 0);
  EXPECT_TRUE(is_shadow_address(shadow_of(stack)));
  EXPECT_TRUE(is_shadow_address(shadow_of(stack + 2 * kPageSize - 8)));
  write_shadow(stack, 5);
  write_shadow(stack + 2 * kPageSize - 8, 6);
  EXPECT_EQ(read_shadow(stack), 5u);
  EXPECT_EQ(read_shadow(stack + 2 * kPageSize - 8), 6u);
}

TEST(ShadowStack, RefusesToMapOverSomethingElse) {
  uintptr_t stack = fresh_stack(kPageSize);
  MapResult blocker = map_pages((void *)page_down(shadow_of(stack)), kPageSize,
                                Placement::ExactlyAt, kNoKey);
  ASSERT_NE(blocker.address, nullptr);
  static_cast<volatile char *>(blocker.address)[100] = 42;
  EXPECT_EQ(mirror_stack(stack, stack + kPageSize), EEXIST);
  EXPECT_FALSE(is_shadow_address(shadow_of(stack)));
  EXPECT_EQ(static_cast<volatile char *>(blocker.address)[100], 42)
      << "the blocker was replaced";
  sys_munmap(blocker.address, kPageSize);
}

TEST(ShadowStack, AFailurePartWayKeepsWhatWasMapped) {
  // Shadow pages of [2, 4) exist; [0, 2) is a gap that maps, [4, 7) one
  // that collides with something else. Once that is gone, mirroring the
  // whole stack again must map only what is still missing.
  uintptr_t stack = fresh_stack(6 * kPageSize);
  uintptr_t base = page_down(shadow_of(stack));
  ASSERT_EQ(mirror_stack(stack + 2 * kPageSize, stack + 3 * kPageSize), 0);
  write_shadow(stack + 2 * kPageSize + 8, 3);
  MapResult blocker = map_pages((void *)(base + 5 * kPageSize), kPageSize,
                                Placement::ExactlyAt, kNoKey);
  ASSERT_NE(blocker.address, nullptr);
  EXPECT_EQ(mirror_stack(stack, stack + 6 * kPageSize), EEXIST);
  EXPECT_TRUE(is_shadow_address(base));
  EXPECT_TRUE(is_mapped(base));
  EXPECT_FALSE(is_shadow_address(base + 4 * kPageSize));
  sys_munmap(blocker.address, kPageSize);
  EXPECT_EQ(mirror_stack(stack, stack + 6 * kPageSize), 0);
  EXPECT_EQ(read_shadow(stack + 2 * kPageSize + 8), 3u)
      << "a page mapped before was mapped again";
  write_shadow(stack, 1);
  write_shadow(stack + 6 * kPageSize - 8, 2);
  EXPECT_EQ(read_shadow(stack), 1u);
  EXPECT_EQ(read_shadow(stack + 6 * kPageSize - 8), 2u);
  EXPECT_TRUE(is_shadow_address(base + 5 * kPageSize));
}

TEST(ShadowStack, ShadowsFallInsideTheUserAddressSpace) {
  // With the native delta (below the stacks), a low stack has no shadow.
  ASSERT_LT(state().shadow_abi.shadow_delta, 0);
  EXPECT_EQ(mirror_stack(0x400000, 0x500000), ERANGE);
}

TEST(ShadowStack, DeltaPointsAwayFromTheStacks) {
  // Natively the main stack is near the top of the 47-bit space.
  EXPECT_EQ(choose_shadow_delta(0x7ffc12340000, true), -(int64_t(1) << 44));
  // Valgrind puts its client's stack below 128 GiB.
  EXPECT_EQ(choose_shadow_delta(0x1fff000000, true), int64_t(1) << 44);
  // The prologue runs its gate when the delta's low half is 0, and only
  // then.
  EXPECT_EQ(uint32_t(choose_shadow_delta(0x7ffc12340000, true)), 0u);
  EXPECT_NE(uint32_t(choose_shadow_delta(0x7ffc12340000, false)), 0u);
  EXPECT_NE(uint32_t(choose_shadow_delta(0x1fff000000, false)), 0u);
  // Never at the same offset within a page as the return address: that
  // would stall the CPU's memory disambiguation on every return.
  EXPECT_NE(shadow_of(0x7ffc12345678) % kPageSize, 0x678u);
  EXPECT_EQ(choose_shadow_delta(main_stack_top(), state().shadow_key != kNoKey),
            state().shadow_abi.shadow_delta);
}
