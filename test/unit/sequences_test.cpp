//===- sequences_test.cpp - Recognising a prologue's reads of the shadow --===//
//
// The runtime resumes a fault on a prologue's first reads of the shadow and
// the rights (docs/sequences.md), so it must recognise them from the bytes
// and nothing else. The bytes are llvm-mc's encodings of what the pass
// emits at -O2.
#include "pkguard/sequences.h"

#include <gtest/gtest.h>

#include <vector>

using namespace pkguard::abi;

namespace {

// cmpq %rsi, 0x808(%rsp,%rcx)
const std::vector<unsigned char> kCompare = {0x48, 0x39, 0xb4, 0x0c,
                                             0x08, 0x08, 0x00, 0x00};
const std::vector<unsigned char> kJne = {0x75, 0x30};
const std::vector<unsigned char> kJe = {0x74, 0x30};
const std::vector<unsigned char> kRdpkru = {0x0f, 0x01, 0xee};
// cmpl %gs:0, %eax
const std::vector<unsigned char> kRightsCompare = {0x65, 0x3b, 0x04, 0x25,
                                                   0x00, 0x00, 0x00, 0x00};
// sete %dl
const std::vector<unsigned char> kSetEqualDl = {0x0f, 0x94, 0xc2};

std::vector<unsigned char>
join(std::initializer_list<std::vector<unsigned char>> parts) {
  std::vector<unsigned char> code;
  for (const auto &part : parts)
    code.insert(code.end(), part.begin(), part.end());
  return code;
}

bool unchanged_check_at(const std::vector<unsigned char> &code,
                        size_t offset) {
  return in_unchanged_check(code.data(), code.data() + code.size(),
                            code.data() + offset);
}

} // namespace

TEST(Sequences, AProloguesCheckIsRecognisedAtBothReads) {
  auto code = join({kCompare, kJne, kRdpkru, kRightsCompare, kJe});
  EXPECT_TRUE(unchanged_check_at(code, 0));
  EXPECT_TRUE(unchanged_check_at(code, kCompare.size() + kJne.size() +
                                           kRdpkru.size()));
  // Not at the jump or at the RDPKRU, which read no memory.
  EXPECT_FALSE(unchanged_check_at(code, kCompare.size()));
  EXPECT_FALSE(unchanged_check_at(code, kCompare.size() + kJne.size()));
}

TEST(Sequences, AGatesEntryAndExitAreRecognised) {
  // The entry's check ends in jne (to its window), the exit's first read
  // is followed by sete.
  auto entry = join({kCompare, kJne, kRdpkru, kRightsCompare, kJne});
  EXPECT_TRUE(unchanged_check_at(entry, 0));
  auto exit = join({kRdpkru, kRightsCompare, kSetEqualDl});
  EXPECT_TRUE(unchanged_check_at(exit, kRdpkru.size()));
}

TEST(Sequences, LookAlikesAreNotChecks) {
  // The compare with the rights without the RDPKRU before it is a closing
  // check's, after a WRPKRU.
  auto closing = join({{0x0f, 0x01, 0xef}, kRightsCompare, kJne});
  EXPECT_FALSE(unchanged_check_at(closing, 3));
  // A compare followed by something other than the check.
  auto other = join({kCompare, kJne, {0x90, 0x90, 0x90}, kRightsCompare, kJe});
  EXPECT_FALSE(unchanged_check_at(other, 0));
  // Cut short by the end of what may be read.
  auto cut = join({kCompare, kJne, kRdpkru});
  EXPECT_FALSE(unchanged_check_at(cut, 0));
  // A jump into the middle of the compare (08 08: orb %cl, (%rax), a write)
  // is not the compare.
  EXPECT_FALSE(unchanged_check_at(
      join({kCompare, kJne, kRdpkru, kRightsCompare, kJe}), 4));
}
