//===- RuntimeABI.h - What instrumented code expects of the runtime -------===//
//
// Part of pkguard, under the Apache License v2.0 with LLVM Exceptions.
// See LICENSE for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// Every name, offset and constant that instrumented code shares with the
// runtime, in one place. runtime/src/abi.h states the same contract from the
// runtime's side; test/abi/abi-match.test checks that the two agree.
//
//===----------------------------------------------------------------------===//
#ifndef PKGUARD_PASSES_RUNTIMEABI_H
#define PKGUARD_PASSES_RUNTIMEABI_H

#include <cstdint>

namespace pkguard::abi {

// The runtime's read-only block that prologues and epilogues read.
constexpr const char *ShadowAbiName = "__pkguard_shadow_abi";
// AND-ed into PKRU to open the shadow stack for writing (i32).
constexpr unsigned OpenMaskOffset = 0;
// OR-ed into PKRU to close it again (i32).
constexpr unsigned CloseBitsOffset = 4;
// A return address stored at S is shadowed at S + delta + ShadowSkew. The
// runtime chooses the delta (i64) at start-up: about -2^44 for stacks high
// in the address space, as usual, about +2^44 for stacks low in it, as
// under Valgrind. Its low 32 bits are 0 exactly when the WRPKRU gates are
// on; the prologue loads it into RCX, whose low half RDPKRU and WRPKRU need
// to be 0.
constexpr unsigned ShadowDeltaOffset = 8;
// Moves the shadow half a page along: at the same offset within its page as
// the return address, the shadow store would make the CPU's memory
// disambiguation (4K aliasing) stall every return.
constexpr int64_t ShadowSkew = 2048;

// void (const char *function, i64 expected, i64 found, ptr slot), noreturn.
constexpr const char *ReportReturnMismatchName =
    "__pkguard_report_return_mismatch";

constexpr const char *InitName = "__pkguard_init";
constexpr const char *VersionCheckName = "__pkguard_version_mismatch_check_v1";
constexpr const char *ModuleCtorName = "pkguard.module_ctor";
// Constructors run in priority order; sanitizers use 1 to come first.
constexpr int ModuleCtorPriority = 1;

// Prefix of every runtime symbol; functions with it are never instrumented.
constexpr const char *RuntimePrefix = "__pkguard_";

} // namespace pkguard::abi

#endif
