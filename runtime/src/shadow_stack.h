//===- shadow_stack.h - Shadow pages for every stack ----------------------===//
//
// Part of pkguard, under the Apache License v2.0 with LLVM Exceptions.
// See LICENSE for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// pkguard's shadow stack is parallel: the copy of a return address stored
// at S lives at S + delta + skew (abi.h). Each stack (the main one, every thread's, every
// sigaltstack) therefore needs its mirror mapped, tagged with the
// shadow-stack key, before instrumented code runs on it. This file chooses
// the delta, keeps the set of mirrored stack ranges and maps what is
// missing.
//
//===----------------------------------------------------------------------===//
#ifndef PKGUARD_RUNTIME_SHADOW_STACK_H
#define PKGUARD_RUNTIME_SHADOW_STACK_H

#include <stddef.h>
#include <stdint.h>

namespace pkguard {

// The top of the user address space (47-bit virtual addresses).
constexpr uintptr_t kUserAddressEnd = uintptr_t(1) << 47;

// The largest main-stack mirror reserved when RLIMIT_STACK is unlimited.
constexpr uintptr_t kMaxMainStackMirror = uintptr_t(8) << 30;

// The delta for a process whose main stack ends at `stack_top`: the
// shadow lies abi::ShadowStackDistance below the stacks when they are high in
// the address space, above them when they are low (as under Valgrind); one
// more page when the gates are off.
int64_t choose_shadow_delta(uintptr_t stack_top, bool gates_on);

// Where the shadow of the return-address slot at `address` lies, and back.
uintptr_t shadow_of(uintptr_t address);
uintptr_t stack_address_of_shadow(uintptr_t shadow);

// Makes the shadow of [low, high) usable; parts already mirrored are kept
// (glibc reuses thread stacks). Returns 0, or an errno value: EEXIST when
// something else is mapped where the shadow must go, ERANGE when the
// shadow would fall outside the user address space.
int mirror_stack(uintptr_t low, uintptr_t high);

// Unmaps the shadow of [low, high), where no stack lies any more (it was
// unmapped, or its thread is exiting). A shadow page that also mirrors
// memory beside the range is kept unless that memory is unmapped.
void release_stack(uintptr_t low, uintptr_t high);

// Whether `address` lies in a mapped shadow region.
bool is_shadow_address(uintptr_t address);

// Where the main thread's frames begin: its initial stack pointer, rounded
// up to a page (the arguments and environment lie above).
uintptr_t main_stack_top();

// Mirrors the main thread's stack, down to RLIMIT_STACK below its top;
// returns the lowest address mirrored.
uintptr_t mirror_main_stack();

// Mirrors the calling thread's stack, for a new thread; returns its lowest
// address.
uintptr_t mirror_current_thread_stack();

} // namespace pkguard

#endif
