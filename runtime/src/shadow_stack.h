//===- shadow_stack.h - Shadow pages for every stack ----------------------===//
//
// Part of pkguard, under the Apache License v2.0 with LLVM Exceptions.
// See LICENSE for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// pkguard's shadow stack is parallel: the copy of a return address stored
// at S lives at S - kShadowStackOffset. Each stack (the main one, every
// thread's, every sigaltstack) therefore needs its mirror mapped, tagged
// with the shadow-stack key, before instrumented code runs on it. This file
// keeps the set of mirrored stack ranges and maps what is missing.
//
//===----------------------------------------------------------------------===//
#ifndef PKGUARD_RUNTIME_SHADOW_STACK_H
#define PKGUARD_RUNTIME_SHADOW_STACK_H

#include <stddef.h>
#include <stdint.h>

namespace pkguard {

// The largest main-stack mirror reserved when RLIMIT_STACK is unlimited.
constexpr uintptr_t kMaxMainStackMirror = uintptr_t(8) << 30;

// Makes the shadow of [low, high) usable; parts already mirrored are kept
// (glibc reuses thread stacks). Returns 0, or an errno value: EEXIST when
// something else is mapped where the shadow must go, ERANGE when the range
// lies too low in the address space to have a shadow.
int mirror_stack(uintptr_t low, uintptr_t high);

// Whether `address` lies in a mapped shadow region.
bool is_shadow_address(uintptr_t address);

// Mirrors the main thread's stack, down to RLIMIT_STACK below its top.
void mirror_main_stack();

// Mirrors the calling thread's stack; used by new threads.
void mirror_current_thread_stack();

} // namespace pkguard

#endif
