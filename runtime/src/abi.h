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

// A return address stored at S is shadowed at S + shadow_delta, where the
// delta is about -kShadowStackDistance when the main stack lies high in the
// address space (as it does natively) and about +kShadowStackDistance when
// it lies low (as under Valgrind). The distance keeps every stack's shadow
// far from anything else the process maps, so no shadow-stack pointer
// exists to be attacked.
constexpr uintptr_t kShadowStackDistance = uintptr_t(1) << 44;
// The delta also moves the shadow half a page along: a shadow at the same
// offset within its page as the return address would make the CPU's memory
// disambiguation (4K aliasing) stall every return, several times over the
// cost of the instructions themselves.
constexpr uintptr_t kShadowPageSkew = 2048;
// The top of the user address space (47-bit virtual addresses).
constexpr uintptr_t kUserAddressEnd = uintptr_t(1) << 47;

// Read by every instrumented prologue and epilogue. It lives at the start
// of the runtime's read-only page, which no ordinary store can change.
struct ShadowStackAbi {
  // 0 when protection keys are in force and the WRPKRU gates run; the
  // prologue loads it into ECX, which RDPKRU and WRPKRU need to be 0.
  uint32_t gates_off;
  // AND-ed into PKRU to give write access to the shadow stack.
  uint32_t open_mask;
  // OR-ed into PKRU to take it away again (reads stay allowed).
  uint32_t close_bits;
  uint32_t reserved;
  // Added to a return-address slot's address to find its shadow.
  int64_t shadow_delta;
};
// The offsets passes/RuntimeABI.h gives the compiler.
static_assert(offsetof(ShadowStackAbi, gates_off) == 0, "GatesOffOffset");
static_assert(offsetof(ShadowStackAbi, open_mask) == 4, "OpenMaskOffset");
static_assert(offsetof(ShadowStackAbi, close_bits) == 8, "CloseBitsOffset");
static_assert(offsetof(ShadowStackAbi, shadow_delta) == 16,
              "ShadowDeltaOffset");

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

// Referenced by every instrumented module so that objects built for another
// version of the runtime fail to link instead of misbehaving.
void __pkguard_version_mismatch_check_v1(void);
}

#endif
