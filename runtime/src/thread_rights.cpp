//===- thread_rights.cpp - Each thread's protection-key rights ------------===//
//
// Part of pkguard, under the Apache License v2.0 with LLVM Exceptions.
// See LICENSE for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
#include "thread_rights.h"

#include "interface.h"
#include "pages.h"
#include "pkru.h"
#include "report.h"
#include "secrets.h"
#include "shadow_stack.h"
#include "state.h"
#include "syscalls.h"

#include <asm/prctl.h>
#include <pthread.h>
#include <sys/uio.h>

namespace pkguard {
namespace {

using abi::ThreadRights;

// The two halves of docs/sequences.md's window, as instrumented code has
// them: the window's value is chained into the closing one, which is
// checked against the rights the window's body stored.
// The ABI block's words, RIP-relative: a jump into the middle of a sequence
// cannot choose them through a register.
#define PKGUARD_ABI_WORD(offset) "__pkguard_state_local+" #offset "(%%rip)"
#define PKGUARD_WINDOW_WORD PKGUARD_ABI_WORD(20)
static_assert(abi::WindowOffset == 20 && abi::OpenMaskOffset == 0 &&
                  abi::RestoreExpectOffset == 16 &&
                  abi::RightsXorWindowOffset == abi::RightsOffset + 4,
              "the offsets spelt in the sequences below");

#define PKGUARD_OPEN_WINDOW                                                    \
  "movl " PKGUARD_WINDOW_WORD ", %%eax\n\t"                                    \
  "xorl %%edx, %%edx\n\t"                                                      \
  ".byte 0x0f, 0x01, 0xef\n\t"
// Both words in one store, through R10: a signal handler never finds one
// changed without the other.
#define PKGUARD_STORE_RIGHTS_FROM_R11                                          \
  "movl %%r11d, %%r10d\n\t"                                                    \
  "xorl " PKGUARD_WINDOW_WORD ", %%r10d\n\t"                                   \
  "shlq $32, %%r10\n\t"                                                        \
  "orq %%r11, %%r10\n\t"                                                       \
  "movq %%r10, %%gs:%c[rights]\n\t"
#define PKGUARD_CLOSE_WINDOW                                                   \
  "xorl %%gs:%c[rights_xor_window], %%eax\n\t"                                 \
  ".byte 0x0f, 0x01, 0xef\n\t"                                                 \
  "cmpl %%gs:%c[rights], %%eax\n\t"                                            \
  "jne %l[forged]\n\t"
#define PKGUARD_WINDOW_OPERANDS                                                \
  [rights] "i"(abi::RightsOffset),                                             \
      [rights_xor_window] "i"(abi::RightsXorWindowOffset), "c"(0)

// Within one checked window: saved_rights[slot] = slot_value, pushed by
// no gate (saved_frames[slot] = 0), gate_depth = depth, rights = rights. The values come in registers, so a jump into the
// middle of this sequence could bring any; it refuses rights and saved
// rights that open the shadow stack, and places outside the saved rights,
// and so can do no more than pkguard_secret_open can. The words it checks
// against are read RIP-relative.
void commit_rights(uint32_t rights, uint32_t depth, uint32_t slot,
                   uint32_t slot_value) {
  asm goto(PKGUARD_OPEN_WINDOW
           "movl %[slot_value], %%r10d\n\t"
           "orl " PKGUARD_ABI_WORD(0) ", %%r10d\n\t"
           "cmpl " PKGUARD_ABI_WORD(16) ", %%r10d\n\t"
           "jne %l[forged]\n\t"
           "movl %[new_rights], %%r11d\n\t"
           "movl %%r11d, %%r10d\n\t"
           "orl " PKGUARD_ABI_WORD(0) ", %%r10d\n\t"
           "cmpl " PKGUARD_ABI_WORD(16) ", %%r10d\n\t"
           "jne %l[forged]\n\t"
           "cmpl %[max_depth], %[depth]\n\t"
           "ja %l[forged]\n\t"
           "cmpl %[depth], %[slot]\n\t"
           "ja %l[forged]\n\t"
           "movl %[slot_value], %%gs:%c[saved](,%q[slot],4)\n\t"
           "movl $0, %%gs:%c[frames](,%q[slot],4)\n\t"
           "movl %[depth], %%gs:%c[gate_depth]\n\t"
           "movl %[owner], %%gs:%c[owner_offset]\n\t" PKGUARD_STORE_RIGHTS_FROM_R11
               PKGUARD_CLOSE_WINDOW
           :
           : PKGUARD_WINDOW_OPERANDS, [new_rights] "r"(rights),
             [depth] "r"(depth), [slot] "r"(slot),
             [slot_value] "r"(slot_value), [owner] "r"(sys_gettid()),
             [owner_offset] "i"(abi::OwnerOffset),
             [max_depth] "i"(abi::MaxGateDepth),
             [saved] "i"(abi::SavedRightsOffset),
             [frames] "i"(abi::SavedFramesOffset),
             [gate_depth] "i"(abi::GateDepthOffset)
           : "eax", "edx", "r10", "r11", "memory", "cc"
           : forged);
  return;
forged:
  report_forged_rights(nullptr);
}

uint32_t read_rights_field(unsigned offset) {
  uint32_t value;
  asm volatile("movl %%gs:(%q1), %0" : "=r"(value) : "r"((uintptr_t)offset));
  return value;
}

uint32_t gate_depth() { return read_rights_field(abi::GateDepthOffset); }

// Whether the rights at GS are the calling thread's; readable only after
// refresh_rights.
bool owns_rights() {
  return read_rights_field(abi::OwnerOffset) == (uint32_t)sys_gettid();
}

uint32_t saved_rights(uint32_t slot) {
  return read_rights_field(abi::SavedRightsOffset + 4 * slot);
}

// Reads memory whatever the calling thread's PKRU: the kernel's
// remote-access path ignores protection keys. False where nothing is mapped.
bool read_ignoring_keys(uintptr_t address, void *into, size_t length) {
  struct iovec local = {into, length}, remote = {(void *)address, length};
  return raw_syscall(SYS_process_vm_readv, sys_getpid(), (long)&local, 1,
                     (long)&remote, 1, 0) == (long)length;
}

uintptr_t rights_base() {
  unsigned long base = 0;
  raw_syscall(SYS_arch_prctl, ARCH_GET_GS, (long)&base);
  return base;
}

void point_rights_at(uintptr_t base) {
  raw_syscall(SYS_arch_prctl, ARCH_SET_GS, (long)base);
}

// Rights for threads pkguard did not start (glibc's own, clone()'s, or one
// whose stack was released as it exited): slots of half a page in pages
// under the shadow-stack key, mapped on first use. A slot is free when the
// thread that took it no longer exists; who took which lies in ordinary
// memory, and a forged entry can only make two threads share a slot, as
// such threads shared their creator's rights before they had slots.
constexpr int kForeignRightsSlots = 256;
constexpr uintptr_t kRightsSlotSize = kPageSize / 2;
uintptr_t foreign_rights = 0;
int foreign_rights_taker[kForeignRightsSlots];
int foreign_rights_lock = 0;

// A free slot, now the calling thread's, or 0 when none is left.
uintptr_t take_foreign_rights_slot() {
  SignalsBlocked blocked;
  while (__atomic_exchange_n(&foreign_rights_lock, 1, __ATOMIC_ACQUIRE))
    ;
  if (!foreign_rights) {
    MapResult pool = map_pages(nullptr, kForeignRightsSlots * kRightsSlotSize,
                               Placement::Anywhere, state().shadow_key);
    foreign_rights = (uintptr_t)pool.address;
  }
  uintptr_t slot = 0;
  for (int i = 0; foreign_rights && i < kForeignRightsSlots && !slot; ++i) {
    int taker = foreign_rights_taker[i];
    if (taker == 0 || !thread_exists(taker)) {
      foreign_rights_taker[i] = sys_gettid();
      slot = foreign_rights + i * kRightsSlotSize;
    }
  }
  __atomic_store_n(&foreign_rights_lock, 0, __ATOMIC_RELEASE);
  return slot;
}

// The forking thread's rights, copied into the child at the same GS, are
// the child's own, under its new thread id: the gates it is inside stay
// entered, and the runtime may change its rights (set_rights checks the
// owner).
void own_rights_after_fork() {
  if (keys_in_force() && rights_base())
    commit_rights(current_rights(), gate_depth(), 0, saved_rights(0));
}

} // namespace

uint32_t closed_rights(uint32_t rights) {
  return with_rights(pkru_with_secrets_closed(rights), state().shadow_key,
                     kWriteDisable);
}

void adopt_thread_rights(uintptr_t stack_low) {
  CHECK(keys_in_force());
  uintptr_t rights_page = page_down(shadow_of(page_down(stack_low)));
  CHECK(is_shadow_address(rights_page));
  point_rights_at(rights_page);
  uint32_t closed = closed_rights(read_pkru());
  commit_rights(closed, 0, 0, closed);
}

void own_rights_in_forked_children() {
  pthread_atfork(nullptr, nullptr, own_rights_after_fork);
}

uint32_t current_rights() { return read_rights_field(abi::RightsOffset); }

bool take_own_rights() {
  uintptr_t base = rights_base();
  // An inherited GS may point at rights released since, or at rights that
  // their owner is changing: they are read past PKRU, and never written
  // to PKRU, whose check a half-made change would fail.
  uint32_t inherited = abi::AllKeysClosed;
  uint32_t head[4];
  static_assert(abi::RightsOffset == 0 && abi::OwnerOffset == 12,
                "the rights' first words, as read here");
  if (base && read_ignoring_keys(base, head, sizeof head)) {
    if (head[3] == (uint32_t)sys_gettid()) {
      refresh_rights();
      return true;
    }
    inherited = head[0];
  }
  uintptr_t slot = take_foreign_rights_slot();
  if (!slot)
    return false;
  point_rights_at(slot);
  uint32_t closed = closed_rights(inherited);
  commit_rights(closed, 0, 0, closed);
  return true;
}

void drop_rights() { point_rights_at(0); }

void refresh_rights() {
  asm goto(PKGUARD_OPEN_WINDOW PKGUARD_CLOSE_WINDOW
           :
           : PKGUARD_WINDOW_OPERANDS
           : "eax", "edx", "memory", "cc"
           : forged);
  return;
forged:
  report_forged_rights(nullptr);
}

void set_rights(uint32_t rights) {
  CHECK(owns_rights());
  // A scope nested in one of the same domain, or in a gate of it, changes
  // nothing: no window. PKRU is checked too, so that one forged by other
  // means does not outlive this call (docs/sequences.md).
  if (rights == current_rights() && read_pkru() == rights)
    return;
  commit_rights(rights, gate_depth(), 0, closed_rights(rights));
}

bool enter_signal_handler() {
  if (!take_own_rights()) {
    close_all_keys();
    return false;
  }
  push_rights(closed_rights(current_rights()));
  return true;
}

void push_rights(uint32_t rights) {
  uint32_t depth = gate_depth() + 1;
  if (depth > abi::MaxGateDepth)
    report_gate_too_deep(nullptr);
  commit_rights(rights, depth, depth, current_rights());
}

void pop_rights() {
  uint32_t depth = gate_depth();
  uint32_t rights = saved_rights(depth);
  commit_rights(rights, depth ? depth - 1 : 0, 0, closed_rights(rights));
}

void reset_rights() {
  if (!take_own_rights()) {
    close_all_keys();
    return;
  }
  uint32_t closed = closed_rights(current_rights());
  commit_rights(closed, 0, 0, closed);
}

void close_all_keys() {
  asm volatile("1:\n\t"
               "movl %[closed], %%eax\n\t"
               "xorl %%ecx, %%ecx\n\t"
               "xorl %%edx, %%edx\n\t"
               ".byte 0x0f, 0x01, 0xef\n\t"
               "cmpl %[closed], %%eax\n\t"
               "jne 1b"
               :
               : [closed] "i"(abi::AllKeysClosed)
               : "eax", "ecx", "edx", "memory", "cc");
}

} // namespace pkguard
