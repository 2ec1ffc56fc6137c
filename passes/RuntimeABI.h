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

// OR-ed with a restored PKRU, compared with the same OR of the shadow key
// write-disabled: a gate's exit may not leave the shadow stack writable.
constexpr unsigned RestoreExpectOffset = 16;

// void (const char *function, i64 expected, i64 found, ptr slot), noreturn.
constexpr const char *ReportReturnMismatchName =
    "__pkguard_report_return_mismatch";

constexpr const char *InitName = "__pkguard_init";
constexpr const char *VersionCheckName = "__pkguard_version_mismatch_check_v1";
constexpr const char *ModuleCtorName = "pkguard.module_ctor";
// Constructors run in priority order; sanitizers use 1 to come first.
constexpr int ModuleCtorPriority = 1;

// Secrets. Each secret global is page-aligned and padded to whole pages in
// one of these sections, so that its pages hold nothing else. The ".bss."
// prefix is what makes an explicitly named section take no file space.
constexpr const char *SecretSection = "pkguard_secrets";
constexpr const char *SecretBssSection = ".bss.pkguard_secrets";
constexpr uint64_t PageSize = 4096;
// A process has protection keys 1 to 15, and the shadow stack takes one:
// no module, nor program, can use more secret domains than this.
constexpr unsigned MaxSecretDomains = 14;

// Each module that has secrets or gates carries one page-aligned table:
//   { i32 magic, i32 version, i32 domain_count, i32 secret_count,
//     ptr domain_names ([domain_count x ptr] to C strings),
//     ptr secrets ([secret_count x SecretEntry]),
//     [domain_count x GateWords] gates }
// The runtime reads it when the module's constructor registers it, fills
// in the gate words and makes the page read-only.
constexpr const char *SecretTableSection = "pkguard_tables";
constexpr uint32_t SecretTableMagic = 0x53474b50; // "PKGS"
constexpr uint32_t SecretTableVersion = 1;
constexpr unsigned SecretTableGatesOffset = 32;
// SecretEntry: { ptr address, i64 size, ptr name, i32 domain, i32 zero }.
// GateWords for a gate opening domain d (all i32), over the shadow-stack
// key and every domain known when the module was registered:
//   clear:        AND-ed into PKRU, clears all those keys' bits;
//   write_bits:   OR-ed in for the first WRPKRU: shadow stack writable,
//                 every domain access-disabled;
//   write_expect: (PKRU | clear) must equal this after it;
//   open_bits:    OR-ed in for the second: shadow stack write-disabled, d
//                 open, every other domain access-disabled;
//   open_expect:  (PKRU | clear) must equal this after it.
// A jump straight onto either WRPKRU with a forged EAX fails its check.
// Until the runtime fills them in, the words keep PKRU as it is (clear is
// all ones, the bits zero) and expect zero, which no PKRU OR-ed with all
// ones equals: a gate that runs before its module is registered fails
// closed, without opening anything.
constexpr unsigned GateWordsSize = 32;
constexpr uint32_t UnregisteredGateClear = 0xffffffff;
constexpr unsigned GateClearOffset = 0;
constexpr unsigned GateWriteBitsOffset = 4;
constexpr unsigned GateWriteExpectOffset = 8;
constexpr unsigned GateOpenBitsOffset = 12;
constexpr unsigned GateOpenExpectOffset = 16;

// A gate saves the PKRU it found in the shadow of the slot just below its
// return address: no callee or signal frame can have a return address
// there while the gate runs, and only the gate's WRPKRU window writes it.
constexpr int64_t SavedPkruSlotOffset = -8;

// void (ptr table), from each module's constructor and destructor.
constexpr const char *RegisterSecretsName = "__pkguard_register_secrets";
constexpr const char *UnregisterSecretsName = "__pkguard_unregister_secrets";
// void (ptr table, i32 domain, ptr function name), noreturn: a gate's check
// failed.
constexpr const char *GateCheckFailedName = "__pkguard_gate_check_failed";
// void (ptr function name), noreturn: a gate's exit would have opened the
// shadow stack.
constexpr const char *GateRestoreFailedName = "__pkguard_report_gate_restore";
constexpr const char *SecretsCtorName = "pkguard.secrets_ctor";
constexpr const char *SecretsDtorName = "pkguard.secrets_dtor";

// Prefix of every runtime symbol; functions with it are never instrumented.
constexpr const char *RuntimePrefix = "__pkguard_";

} // namespace pkguard::abi

#endif
