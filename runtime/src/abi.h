//===- abi.h - What instrumented code expects of the runtime --------------===//
//
// Part of pkguard, under the Apache License v2.0 with LLVM Exceptions.
// See LICENSE for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// The runtime side of the contract that passes/RuntimeABI.h states for the
// compiler. Names, offsets and constants here must match it; test/abi checks
// that they do.
//
//===----------------------------------------------------------------------===//
#ifndef PKGUARD_RUNTIME_ABI_H
#define PKGUARD_RUNTIME_ABI_H

#include <stddef.h>
#include <stdint.h>

namespace pkguard {

// A return address stored at S is shadowed at S + shadow_delta +
// kShadowSkew. The delta is about -kShadowStackDistance when the main stack
// lies high in the address space (as it does natively) and about
// +kShadowStackDistance when it lies low (as under Valgrind): far enough
// from anything else the process maps that no shadow-stack pointer is
// needed, so none exists to be attacked.
constexpr uintptr_t kShadowStackDistance = uintptr_t(1) << 44;
// The skew moves the shadow half a page along: at the same offset within
// its page as the return address, the shadow store would make the CPU's
// memory disambiguation (4K aliasing) stall every return, at several times
// the cost of the instructions themselves.
constexpr int64_t kShadowSkew = 2048;
// The prologue loads the delta into RCX and runs the WRPKRU gate only when
// ECX, the delta's low half, is 0 (which RDPKRU and WRPKRU need anyway).
// Without protection keys the delta carries this extra page.
constexpr int64_t kGatesOffDelta = 4096;
// The top of the user address space (47-bit virtual addresses).
constexpr uintptr_t kUserAddressEnd = uintptr_t(1) << 47;

// Read by every instrumented prologue and epilogue. It lives at the start
// of the runtime's read-only page, which no ordinary store can change.
struct ShadowStackAbi {
  // AND-ed into PKRU to give write access to the shadow stack.
  uint32_t open_mask;
  // OR-ed into PKRU to take it away again (reads stay allowed).
  uint32_t close_bits;
  // Added, with kShadowSkew, to a return-address slot's address to find its
  // shadow; see kGatesOffDelta.
  int64_t shadow_delta;
  // open_mask | close_bits: (PKRU | open_mask) equals this exactly when the
  // shadow stack is write-disabled, which a gate's exit checks.
  uint32_t restore_expect;
  uint32_t reserved;
};

// The offsets passes/RuntimeABI.h gives the compiler.
static_assert(offsetof(ShadowStackAbi, open_mask) == 0, "OpenMaskOffset");
static_assert(offsetof(ShadowStackAbi, close_bits) == 4, "CloseBitsOffset");
static_assert(offsetof(ShadowStackAbi, shadow_delta) == 8,
              "ShadowDeltaOffset");
static_assert(offsetof(ShadowStackAbi, restore_expect) == 16,
              "RestoreExpectOffset");

// The table each module with secrets or gates hands to
// __pkguard_register_secrets; passes/RuntimeABI.h describes it to the
// compiler. The runtime fills in the gate words and seals the page.
struct SecretEntry {
  void *address; // page-aligned, padded by the compiler to whole pages
  uint64_t size;
  const char *name;
  uint32_t domain; // index into the table's domain_names
  uint32_t zero;
};

// See GateWords in passes/RuntimeABI.h.
struct GateWords {
  uint32_t clear;
  uint32_t write_bits;
  uint32_t write_expect;
  uint32_t open_bits;
  uint32_t open_expect;
  uint32_t reserved[3];
};

// The clear word of a module's gates before the runtime fills them in.
constexpr uint32_t kUnregisteredGateClear = 0xffffffff;

constexpr uint32_t kSecretTableMagic = 0x53474b50; // "PKGS"
constexpr uint32_t kSecretTableVersion = 1;

struct SecretTable {
  uint32_t magic;
  uint32_t version;
  uint32_t domain_count;
  uint32_t secret_count;
  const char *const *domain_names;
  const SecretEntry *secrets;
  GateWords gates[]; // domain_count of them
};
static_assert(offsetof(SecretTable, gates) == 32, "SecretTableGatesOffset");
static_assert(sizeof(GateWords) == 32, "GateWordsSize");
static_assert(offsetof(GateWords, write_bits) == 4, "GateWriteBitsOffset");
static_assert(offsetof(GateWords, write_expect) == 8, "GateWriteExpectOffset");
static_assert(offsetof(GateWords, open_bits) == 12, "GateOpenBitsOffset");
static_assert(offsetof(GateWords, open_expect) == 16, "GateOpenExpectOffset");
static_assert(sizeof(SecretEntry) == 32, "SecretEntry");

} // namespace pkguard

extern "C" {
// The shadow-stack ABI block is the symbol __pkguard_shadow_abi: the first
// bytes of the protected page (see state.h).

// Called by instrumented code when a return address does not match its
// shadow copy. `function` is the instrumented function's (mangled) name.
[[noreturn]] void __pkguard_report_return_mismatch(const char *function,
                                                   uintptr_t expected,
                                                   uintptr_t found,
                                                   uintptr_t *slot);

// Called by every instrumented module's constructor; idempotent.
void __pkguard_init(void);

// Called by the constructor of every module with secrets or gates.
void __pkguard_register_secrets(pkguard::SecretTable *table);

// Called by the destructor of the same modules (dlclose, exit).
void __pkguard_unregister_secrets(pkguard::SecretTable *table);

// A gate's WRPKRU wrote a value its domain does not allow.
[[noreturn]] void __pkguard_gate_check_failed(pkguard::SecretTable *table,
                                              uint32_t domain,
                                              const char *function);

// A gate's exit would have restored a PKRU with the shadow stack writable.
[[noreturn]] void __pkguard_report_gate_restore(const char *function);

// Referenced by every instrumented module so that objects built for another
// version of the runtime fail to link instead of misbehaving.
void __pkguard_version_mismatch_check_v1(void);
}

#endif
