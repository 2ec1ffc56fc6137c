//===- thread_rights.h - Each thread's protection-key rights --------------===//
//
// Part of pkguard, under the Apache License v2.0 with LLVM Exceptions.
// See LICENSE for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// With protection keys, every thread pkguard knows has a ThreadRights
// (<pkguard/abi.h>) at its GS base: the PKRU it legitimately runs with, and
// the rights saved by the gates it is inside. Instrumented code closes every
// shadow-stack window by writing those rights and checking them, so the
// runtime changes a thread's PKRU only by changing its rights, through
// commit_rights' checked sequence (docs/sequences.md). Nothing here runs
// without protection keys.
//
//===----------------------------------------------------------------------===//
#ifndef PKGUARD_RUNTIME_THREAD_RIGHTS_H
#define PKGUARD_RUNTIME_THREAD_RIGHTS_H

#include <stdint.h>

namespace pkguard {

// Points the calling thread's GS at the rights in the shadow of the half
// page below its stack, which starts at `stack_low` and is mirrored, and
// makes them its current PKRU with every secret domain closed.
void adopt_thread_rights(uintptr_t stack_low);

// Has the child of every fork take the rights it inherited as its own, so
// that the runtime may change them there (set_rights checks the owner);
// once, at start-up, whichever thread starts the runtime.
void own_rights_in_forked_children();

// `rights` with the shadow stack write-disabled and every domain closed.
uint32_t closed_rights(uint32_t rights);

// The calling thread's rights. They are readable only while the shadow
// stack is, which a signal handler that pkguard did not dispatch may not
// have: refresh_rights makes them the PKRU again first.
uint32_t current_rights();

// Makes the rights at the calling thread's GS its own: a thread pkguard
// did not start (glibc's SIGEV_THREAD and mq_notify threads, one made with
// clone()) has none, or its creator's, and takes a slot of its own, with
// its creator's rights, every domain closed, when they are readable, or
// every key but 0 closed. Returns false when no slot is left.
bool take_own_rights();
void refresh_rights();

// Points the calling thread's GS nowhere, before its stack's shadow, where
// its rights lie, is released; instrumented code that runs after that
// takes rights of its own.
void drop_rights();

// Makes `rights` the calling thread's, keeping the gates it is inside.
// `rights` must keep the shadow stack write-disabled.
void set_rights(uint32_t rights);

// Saves the thread's rights on its stack of gate entries and makes `rights`
// current; pop_rights goes back to them.
void push_rights(uint32_t rights);
void pop_rights();

// At the start of a signal handler, which the kernel runs with every key
// but 0 access-disabled: pushes the thread's rights with every domain
// closed, and returns true, for pop_rights when the handler returns. In a
// thread left without rights (take_own_rights), closes every key but 0 and
// returns false.
bool enter_signal_handler();

// Closes every secret domain and forgets every gate entry: what a longjmp,
// which leaves gates without running their exits, must do. In a thread
// left without rights, closes every key but 0.
void reset_rights();

// Closes every key but 0, so that a report made after a forged sequence
// reads nothing it should not.
void close_all_keys();

} // namespace pkguard

#endif
