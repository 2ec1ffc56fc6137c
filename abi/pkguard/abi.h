//===- abi.h - The contract between pkguard's compiler and runtime --------===//
//
// Part of pkguard, under the Apache License v2.0 with LLVM Exceptions.
// See LICENSE for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// Everything that instrumented code, the Clang plugin and the runtime must
// agree on, stated once: the annotate() strings the Clang plugin writes and
// the pass reads, the names of the runtime's entry points, the layouts of the
// structures that instrumented code reads or hands over, their offsets, and
// the limits. It depends on nothing but the C++ standard headers, so that
// the pass plugin, the Clang plugin and the runtime (built without LLVM and
// without the C++ library) all include it. The layouts are real structs, and
// every offset the compiler uses is taken from them with offsetof, so the
// two sides cannot drift apart; the pass checks its IR types against the
// same numbers when it builds them.
//
//===----------------------------------------------------------------------===//
#ifndef PKGUARD_ABI_H
#define PKGUARD_ABI_H

#include <stddef.h>
#include <stdint.h>

#include <string_view>

namespace pkguard::abi {

//===----------------------------------------------------------------------===//
// Source annotations: what the Clang plugin lowers pkguard's attributes to,
// as __attribute__((annotate("..."))), and what code may write by hand.
//===----------------------------------------------------------------------===//

// On functions: always, or never, give this function a shadow stack.
constexpr const char ShadowStackAnnotation[] = "pkguard.shadow_stack";
constexpr const char NoShadowStackAnnotation[] = "pkguard.no_shadow_stack";
// On variables with static storage: a secret, kept in pages that only gates
// can read. "pkey" is the default domain; "pkey:NAME" the domain NAME, which
// gets its own protection key.
constexpr const char SecretAnnotation[] = "pkey";
// On functions: a gate, which opens the default domain ("...secret_access")
// or the domain NAME ("...secret_access:NAME") for its whole run.
constexpr const char SecretAccessAnnotation[] = "pkguard.secret_access";
constexpr char DomainSeparator = ':';
constexpr const char DefaultDomain[] = "default";

// Domain names become parts of symbol names: [A-Za-z0-9_], 1 to 32 long.
constexpr size_t MaxDomainNameLength = 32;
constexpr bool isValidDomainName(std::string_view Name) {
  if (Name.empty() || Name.size() > MaxDomainNameLength)
    return false;
  for (char C : Name)
    if (!((C >= 'a' && C <= 'z') || (C >= 'A' && C <= 'Z') ||
          (C >= '0' && C <= '9') || C == '_'))
      return false;
  return true;
}

// Splits "PREFIX" or "PREFIX:DOMAIN"; returns false when Annotation is
// neither. An empty domain stands for the default one.
constexpr bool matchDomainAnnotation(std::string_view Annotation,
                                     std::string_view Prefix,
                                     std::string_view &Domain) {
  if (Annotation.substr(0, Prefix.size()) != Prefix)
    return false;
  std::string_view Rest = Annotation.substr(Prefix.size());
  if (Rest.empty()) {
    Domain = DefaultDomain;
    return true;
  }
  if (Rest[0] != DomainSeparator)
    return false;
  Domain = Rest.substr(1);
  return true;
}

//===----------------------------------------------------------------------===//
// Limits.
//===----------------------------------------------------------------------===//

constexpr uint64_t PageSize = 4096;
// A process has protection keys 1 to 15, and the shadow stack takes one: no
// module, nor program, can use more secret domains than this, with or
// without protection keys (a program that runs without them must not stop
// working on a CPU that has them).
constexpr unsigned MaxSecretDomains = 14;

//===----------------------------------------------------------------------===//
// The runtime's entry points and the symbols instrumented modules define.
//===----------------------------------------------------------------------===//

// Prefix of every runtime symbol; functions with it are never instrumented.
constexpr const char RuntimePrefix[] = "__pkguard_";
// The ShadowStackAbi block below.
constexpr const char ShadowAbiName[] = "__pkguard_shadow_abi";
// void (const char *function, i64 expected, i64 found, ptr slot), noreturn:
// a return address does not match its shadow copy.
constexpr const char ReportReturnMismatchName[] =
    "__pkguard_report_return_mismatch";
// void (void), from every instrumented module's constructor; idempotent.
constexpr const char InitName[] = "__pkguard_init";
// void (void): referenced by every instrumented module, so that objects
// built for another version of the runtime fail to link.
constexpr const char VersionCheckName[] = "__pkguard_version_mismatch_check_v3";
constexpr const char ModuleCtorName[] = "pkguard.module_ctor";
// Constructors run in priority order; sanitizers use 1 to come first.
constexpr int ModuleCtorPriority = 1;
// void (SecretTable *), from each module's secrets constructor and
// destructor.
constexpr const char RegisterSecretsName[] = "__pkguard_register_secrets";
constexpr const char UnregisterSecretsName[] = "__pkguard_unregister_secrets";
// void (SecretTable *, i32 domain, const char *function), noreturn: a
// gate's check after a WRPKRU failed.
constexpr const char GateCheckFailedName[] = "__pkguard_gate_check_failed";
// void (const char *function), noreturn: a gate's exit wrote a PKRU other
// than the rights saved at its entry.
constexpr const char GateRestoreFailedName[] = "__pkguard_report_gate_restore";
// void (const char *function), noreturn: gates nested deeper than
// MaxGateDepth.
constexpr const char GateTooDeepName[] = "__pkguard_report_gate_too_deep";
// void (const char *function), noreturn: a WRPKRU sequence wrote a value
// other than the thread's rights: it was entered other than from its start.
constexpr const char ReportForgedRightsName[] = "__pkguard_report_forged_rights";
constexpr const char SecretsCtorName[] = "pkguard.secrets_ctor";
constexpr const char SecretsDtorName[] = "pkguard.secrets_dtor";

//===----------------------------------------------------------------------===//
// The shadow stack.
//===----------------------------------------------------------------------===//

// A return address stored at S is shadowed at S + shadow_delta + ShadowSkew.
// The runtime chooses the delta at start-up: about -ShadowStackDistance when
// the main stack lies high in the address space (as it does natively), about
// +ShadowStackDistance when it lies low (as under Valgrind): far enough from
// anything else the process maps that no shadow-stack pointer is needed, so
// none exists to be attacked.
constexpr uint64_t ShadowStackDistance = uint64_t(1) << 44;
// Moves the shadow half a page along: at the same offset within its page as
// the return address, the shadow store would make the CPU's memory
// disambiguation (4K aliasing) stall every return, at several times the cost
// of the instructions themselves.
constexpr int64_t ShadowSkew = 2048;
// The prologue loads the delta into RCX and runs its WRPKRU sequence only
// when ECX, the delta's low half, is 0 (which RDPKRU and WRPKRU need
// anyway). Without protection keys the delta carries this extra page.
constexpr int64_t GatesOffDelta = 4096;

// Read by every instrumented prologue and epilogue, at the symbol
// ShadowAbiName: the start of the runtime's read-only state page, which no
// ordinary store can change.
struct ShadowStackAbi {
  // AND-ed into PKRU to give write access to the shadow stack.
  uint32_t open_mask;
  // OR-ed into PKRU to take it away again (reads stay allowed).
  uint32_t close_bits;
  // Added, with ShadowSkew, to a return-address slot's address to find its
  // shadow; see GatesOffDelta.
  int64_t shadow_delta;
  // open_mask | close_bits: (PKRU | open_mask) equals this exactly when the
  // shadow stack is write-disabled, which the runtime checks of every value
  // it installs.
  uint32_t restore_expect;
  // The PKRU of every window in which pkguard writes the shadow stack: key 0
  // and the shadow stack's key open, every other key access-disabled. A
  // constant, so that no jump into a sequence can choose it (see
  // docs/sequences.md).
  uint32_t window;
};
constexpr unsigned OpenMaskOffset = offsetof(ShadowStackAbi, open_mask);
constexpr unsigned CloseBitsOffset = offsetof(ShadowStackAbi, close_bits);
constexpr unsigned ShadowDeltaOffset = offsetof(ShadowStackAbi, shadow_delta);
constexpr unsigned RestoreExpectOffset =
    offsetof(ShadowStackAbi, restore_expect);
constexpr unsigned WindowOffset = offsetof(ShadowStackAbi, window);
static_assert(OpenMaskOffset == 0 && CloseBitsOffset == 4 &&
                  ShadowDeltaOffset == 8 && RestoreExpectOffset == 16 &&
                  WindowOffset == 20 && sizeof(ShadowStackAbi) == 24,
              "instrumented code reads the block this way");

//===----------------------------------------------------------------------===//
// Each thread's rights. With protection keys, the GS segment of every thread
// pkguard knows points at its ThreadRights, which lie in the first half of
// the lowest shadow page of its stack: the shadow of the half page below
// the stack, where no return address can be. Like the rest of the shadow
// stack they are write-disabled outside pkguard's windows, so no ordinary
// store changes them, and instrumented code reaches them without a register
// an attacker could choose (%gs:offset).
//===----------------------------------------------------------------------===//

// How deeply gates that change the rights may nest in one thread (a gate
// entered with its rights already in force pushes nothing).
constexpr unsigned MaxGateDepth = 250;
struct ThreadRights {
  // The PKRU the thread legitimately runs with outside pkguard's windows:
  // every closing WRPKRU writes it and is checked against it.
  uint32_t rights;
  // rights ^ ShadowStackAbi::window. A closing sequence computes its value
  // as (the window's EAX) ^ this, so a window entered with a forged EAX
  // closes with a value that fails the check. Every window stores it
  // together with `rights`, in one 8-byte store: a signal handler never
  // finds one changed without the other.
  uint32_t rights_xor_window;
  // Gates entered and not yet left; saved_rights[1..gate_depth] hold the
  // rights each of them found. saved_rights[0] holds the thread's rights
  // with every domain closed: what a gate leaves behind when it exits with
  // no entry recorded (a longjmp reset the count).
  uint32_t gate_depth;
  // The thread these rights belong to: a thread that pkguard did not start
  // inherits its creator's GS base, and must not take its rights.
  uint32_t owner;
  uint32_t saved_rights[MaxGateDepth + 1];
  // Which frame pushed each of saved_rights: a gate's GateFrameTag, or 0
  // for what the runtime pushed (a signal handler's entry, and [0]). A
  // gate's exit pops only the entry its own entry pushed: a gate entered
  // with its rights already in force (nested in a gate of its domain, or
  // recursive) pushes nothing and so runs no WRPKRU (docs/sequences.md).
  uint32_t saved_frames[MaxGateDepth + 1];
};
constexpr unsigned RightsOffset = offsetof(ThreadRights, rights);
constexpr unsigned RightsXorWindowOffset =
    offsetof(ThreadRights, rights_xor_window);
constexpr unsigned GateDepthOffset = offsetof(ThreadRights, gate_depth);
constexpr unsigned OwnerOffset = offsetof(ThreadRights, owner);
constexpr unsigned SavedRightsOffset = offsetof(ThreadRights, saved_rights);
constexpr unsigned SavedFramesOffset = offsetof(ThreadRights, saved_frames);
static_assert(RightsOffset == 0 && RightsXorWindowOffset == 4 &&
                  GateDepthOffset == 8 && SavedRightsOffset == 16 &&
                  SavedFramesOffset == 1020,
              "instrumented code addresses these as %gs:offset");
// A gate's frame, as saved_frames records it: the address of its
// return-address slot, shifted right by 3 and truncated to 32 bits, with
// bit 0 set, so that it is never the runtime's 0. Two live frames of one
// thread get one tag only 32 GiB apart.
constexpr uint32_t gateFrameTag(uint64_t ReturnAddressSlot) {
  return uint32_t(ReturnAddressSlot >> 3) | 1;
}
static_assert(sizeof(ThreadRights) <= PageSize / 2,
              "the rights must fit in the shadow of half a page");


//===----------------------------------------------------------------------===//
// Secrets. Each secret global is page-aligned and padded to whole pages in
// one of these sections, so that its pages hold nothing else. The ".bss."
// prefix is what makes an explicitly named section take no file space.
//===----------------------------------------------------------------------===//

constexpr const char SecretSection[] = "pkguard_secrets";
constexpr const char SecretBssSection[] = ".bss.pkguard_secrets";

// One secret of a module.
struct SecretEntry {
  void *address; // page-aligned, padded by the compiler to whole pages
  uint64_t size;
  const char *name;
  uint32_t domain; // index into the table's domain_names
  uint32_t zero;
};

// The words a gate opening one domain reads, over the shadow-stack key and
// every domain known when the module was registered:
//   clear:       AND-ed into the thread's rights, clears all those keys' bits;
//   open_bits:   OR-ed in: shadow stack write-disabled, the domain open,
//                every other domain access-disabled;
//   open_expect: (new rights | clear) must equal this.
// Until the runtime fills them in, the words keep the rights as they are
// (clear is UnregisteredGateClear, the bits zero) and expect zero, which no
// value OR-ed with all ones equals: a gate that runs before its module is
// registered fails closed, without opening anything.
struct GateWords {
  uint32_t clear;
  uint32_t open_bits;
  uint32_t open_expect;
  uint32_t reserved[5];
};
constexpr uint32_t UnregisteredGateClear = 0xffffffff;
constexpr unsigned GateClearOffset = offsetof(GateWords, clear);
constexpr unsigned GateOpenBitsOffset = offsetof(GateWords, open_bits);
constexpr unsigned GateOpenExpectOffset = offsetof(GateWords, open_expect);
constexpr unsigned GateWordsSize = sizeof(GateWords);

// Each module that has secrets or gates carries one page-aligned table,
// padded to whole pages, in section SecretTableSection. The runtime reads it
// when the module's constructor registers it, fills in the gate words and
// makes the pages read-only.
constexpr const char SecretTableSection[] = "pkguard_tables";
constexpr uint32_t SecretTableMagic = 0x53474b50; // "PKGS"
constexpr uint32_t SecretTableVersion = 2;
struct SecretTable {
  uint32_t magic;
  uint32_t version;
  uint32_t domain_count;
  uint32_t secret_count;
  const char *const *domain_names; // domain_count C strings
  const SecretEntry *secrets;      // secret_count of them
  GateWords gates[];               // domain_count of them
};
constexpr unsigned SecretTableGatesOffset = offsetof(SecretTable, gates);

// A changed layout needs a new SecretTableVersion and VersionCheckName.
static_assert(sizeof(SecretEntry) == 32 && offsetof(SecretEntry, size) == 8 &&
                  offsetof(SecretEntry, name) == 16 &&
                  offsetof(SecretEntry, domain) == 24 &&
                  offsetof(SecretEntry, zero) == 28,
              "SecretEntry layout");
static_assert(GateClearOffset == 0 && GateOpenBitsOffset == 4 &&
                  GateOpenExpectOffset == 8 && GateWordsSize == 32,
              "GateWords layout");
static_assert(offsetof(SecretTable, domain_count) == 8 &&
                  offsetof(SecretTable, secret_count) == 12 &&
                  offsetof(SecretTable, domain_names) == 16 &&
                  offsetof(SecretTable, secrets) == 24 &&
                  SecretTableGatesOffset == 32,
              "SecretTable layout");

//===----------------------------------------------------------------------===//
// The sanctioned WRPKRU sequences (docs/sequences.md). Every WRPKRU pkguard
// emits, in instrumented code and in the runtime, is one of these three; a
// scanner accepts these bytes around a WRPKRU (0f 01 ef) and no others.
//===----------------------------------------------------------------------===//

constexpr unsigned char WrpkruBytes[] = {0x0f, 0x01, 0xef};

// Opening a window: movl <ShadowStackAbi::window>, %eax; xorl %edx, %edx;
// wrpkru. ECX is 0 already: the sequence runs only when the shadow delta's
// low half, in RCX, is. The value is not checked here but chained: the
// closing WRPKRU below writes EAX ^ rights_xor_window, which is the thread's
// rights only if EAX was the window.
constexpr unsigned char WindowBeforeWrpkru[] = {0x31, 0xd2};
// The closing WRPKRU follows within this many bytes, with no other WRPKRU
// between.
constexpr unsigned WindowReach = 192;

// Closing a window: xorl %gs:4, %eax; wrpkru; cmpl %gs:0, %eax; jne <report>.
constexpr unsigned char ClosingBeforeWrpkru[] = {
    0x65, 0x33, 0x04, 0x25, RightsXorWindowOffset, 0, 0, 0};
constexpr unsigned char ClosingAfterWrpkru[] = {0x65, 0x3b, 0x04, 0x25,
                                               RightsOffset, 0, 0, 0};

// Deciding that a prologue or a gate's entry needs no window
// (docs/sequences.md): cmpq <return address>, <shadow>; jne <window>;
// rdpkru; cmpl %gs:0, %eax; je <done> (a gate: jne <window>). A gate's exit
// starts rdpkru; cmpl %gs:0, %eax; sete %dl. The compare of PKRU with the
// rights is ClosingAfterWrpkru's.
constexpr unsigned char RdpkruBytes[] = {0x0f, 0x01, 0xee};
constexpr unsigned char SetEqualDl[] = {0x0f, 0x94, 0xc2};
// The longest x86 instruction, which bounds the shadow compare.
constexpr unsigned MaxInstructionLength = 15;
// The compare with the shadow is cmpq r64, m64: REX.W 39 /r.
constexpr unsigned char RexW = 0x48;
constexpr unsigned char CompareOpcode = 0x39;

// Closing every key but 0, as reports do before anything else:
// 1: movl $0xfffffffc, %eax; xorl %ecx, %ecx; xorl %edx, %edx; wrpkru;
//    cmpl $-4, %eax; jne 1b.
constexpr uint32_t AllKeysClosed = 0xfffffffc;
constexpr unsigned char CloseAllBeforeWrpkru[] = {
    0xb8, 0xfc, 0xff, 0xff, 0xff, 0x31, 0xc9, 0x31, 0xd2};
constexpr unsigned char CloseAllAfterWrpkru[] = {0x83, 0xf8, 0xfc};

} // namespace pkguard::abi

#endif
