//===- sequences.h - Recognising pkguard's sanctioned WRPKRU sequences ----===//
//
// Part of pkguard, under the Apache License v2.0 with LLVM Exceptions.
// See LICENSE for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// Which WRPKRUs in a stretch of code are pkguard's own, from the bytes
// <pkguard/abi.h> gives for each form (docs/sequences.md). The runtime's
// fault handler uses it to tell a fault inside a window from any other, and
// pkguard-scan to accept pkguard's sequences and flag everything else.
// Header-only, and free of LLVM and of the C and C++ libraries, for both.
//
//===----------------------------------------------------------------------===//
#ifndef PKGUARD_ABI_SEQUENCES_H
#define PKGUARD_ABI_SEQUENCES_H

#include "pkguard/abi.h"

namespace pkguard::abi {

enum class WrpkruForm { Window, Closing, CloseAll, Unsanctioned };

namespace detail {

template <size_t N>
constexpr bool bytes_at(const unsigned char *begin, const unsigned char *end,
                        const unsigned char *at, const unsigned char (&want)[N]) {
  if (at < begin || end - at < (ptrdiff_t)N)
    return false;
  for (size_t i = 0; i < N; ++i)
    if (at[i] != want[i])
      return false;
  return true;
}

constexpr bool is_wrpkru(const unsigned char *begin, const unsigned char *end,
                         const unsigned char *at) {
  return bytes_at(begin, end, at, WrpkruBytes);
}

// jne rel8 (75) or jne rel32 (0f 85).
constexpr bool is_jne(const unsigned char *begin, const unsigned char *end,
                      const unsigned char *at) {
  return at >= begin && at < end &&
         (at[0] == 0x75 || (end - at >= 2 && at[0] == 0x0f && at[1] == 0x85));
}

// je rel8 (74) or je rel32 (0f 84).
constexpr bool is_je(const unsigned char *begin, const unsigned char *end,
                     const unsigned char *at) {
  return at >= begin && at < end &&
         (at[0] == 0x74 || (end - at >= 2 && at[0] == 0x0f && at[1] == 0x84));
}

constexpr const unsigned char *after_jump(const unsigned char *at) {
  return at + (at[0] == 0x0f ? 6 : 2);
}

// "cmpl %gs:0, %eax" right after an RDPKRU, and then je, jne or sete: the
// check's second read, or a gate exit's first.
constexpr bool is_rights_compare_of_check(const unsigned char *begin,
                                          const unsigned char *end,
                                          const unsigned char *at) {
  const unsigned char *next = at + sizeof ClosingAfterWrpkru;
  return bytes_at(begin, end, at - sizeof RdpkruBytes, RdpkruBytes) &&
         bytes_at(begin, end, at, ClosingAfterWrpkru) &&
         (is_je(begin, end, next) || is_jne(begin, end, next) ||
          bytes_at(begin, end, next, SetEqualDl));
}

constexpr bool is_closing(const unsigned char *begin, const unsigned char *end,
                          const unsigned char *at) {
  return is_wrpkru(begin, end, at) &&
         bytes_at(begin, end, at - sizeof ClosingBeforeWrpkru,
                  ClosingBeforeWrpkru) &&
         bytes_at(begin, end, at + 3, ClosingAfterWrpkru) &&
         is_jne(begin, end, at + 3 + sizeof ClosingAfterWrpkru);
}

} // namespace detail

// The form of the WRPKRU at `at`, which lies in [begin, end): a window needs
// its closing WRPKRU within WindowReach bytes, with no WRPKRU between.
constexpr WrpkruForm classify_wrpkru(const unsigned char *begin,
                                     const unsigned char *end,
                                     const unsigned char *at) {
  using namespace detail;
  if (!is_wrpkru(begin, end, at))
    return WrpkruForm::Unsanctioned;
  if (is_closing(begin, end, at))
    return WrpkruForm::Closing;
  if (bytes_at(begin, end, at - sizeof CloseAllBeforeWrpkru,
               CloseAllBeforeWrpkru) &&
      bytes_at(begin, end, at + 3, CloseAllAfterWrpkru) &&
      is_jne(begin, end, at + 3 + sizeof CloseAllAfterWrpkru))
    return WrpkruForm::CloseAll;
  if (bytes_at(begin, end, at - sizeof WindowBeforeWrpkru, WindowBeforeWrpkru))
    for (const unsigned char *next = at + 3;
         next < end && next - at <= (ptrdiff_t)WindowReach; ++next) {
      if (is_closing(begin, end, next))
        return WrpkruForm::Window;
      if (is_wrpkru(begin, end, next))
        break;
    }
  return WrpkruForm::Unsanctioned;
}

// What the bytes at `at` can do to PKRU. XRSTOR (0f ae /5) with a memory
// operand loads PKRU whenever EDX:EAX has bit 9 and the XSAVE area says so,
// in user mode; XRSTORS (0f c7 /3) is privileged and faults there. The
// register forms are other instructions (LFENCE is 0f ae e8).
enum class PkruChanger { None, UnsanctionedWrpkru, Xrstor, Xrstors };
constexpr PkruChanger pkru_changer_at(const unsigned char *begin,
                                      const unsigned char *end,
                                      const unsigned char *at) {
  if (at < begin || end - at < 3 || at[0] != 0x0f)
    return PkruChanger::None;
  unsigned char modrm = at[2];
  bool memory = (modrm >> 6) != 3;
  unsigned reg = (modrm >> 3) & 7;
  if (at[1] == 0x01 && at[2] == 0xef)
    return classify_wrpkru(begin, end, at) == WrpkruForm::Unsanctioned
               ? PkruChanger::UnsanctionedWrpkru
               : PkruChanger::None;
  if (at[1] == 0xae && reg == 5 && memory)
    return PkruChanger::Xrstor;
  if (at[1] == 0xc7 && reg == 3 && memory)
    return PkruChanger::Xrstors;
  return PkruChanger::None;
}

// Whether `at` is one of the two reads of a prologue's check that its window
// would change nothing (abi.h's RdpkruBytes): the compare with the shadow,
// which a jne, an RDPKRU and the compare with the rights follow, or that
// compare with the rights itself. The runtime resumes a fault on either.
constexpr bool in_unchanged_check(const unsigned char *begin,
                                  const unsigned char *end,
                                  const unsigned char *at) {
  using namespace detail;
  if (is_rights_compare_of_check(begin, end, at))
    return true;
  // The compare with the shadow: cmpq r64, m64 (REX.W 39 /r).
  if (at < begin || end - at < 2 || (at[0] & 0xf8) != RexW ||
      at[1] != CompareOpcode)
    return false;
  for (unsigned length = 3; length <= MaxInstructionLength; ++length) {
    const unsigned char *jne = at + length;
    if (!is_jne(begin, end, jne))
      continue;
    const unsigned char *rdpkru = after_jump(jne);
    if (bytes_at(begin, end, rdpkru, RdpkruBytes) &&
        is_rights_compare_of_check(begin, end, rdpkru + sizeof RdpkruBytes))
      return true;
  }
  return false;
}

// Whether `at` lies inside a window: after a window's WRPKRU, up to and
// including its closing WRPKRU.
constexpr bool inside_window(const unsigned char *begin,
                             const unsigned char *end,
                             const unsigned char *at) {
  for (const unsigned char *before = at - 3;
       before >= begin && at - before <= (ptrdiff_t)WindowReach; --before) {
    if (!detail::is_wrpkru(begin, end, before))
      continue;
    return classify_wrpkru(begin, end, before) == WrpkruForm::Window;
  }
  return false;
}

} // namespace pkguard::abi

#endif
