//===- shadow_stack.cpp - Shadow pages for every stack --------------------===//
//
// Part of pkguard, under the Apache License v2.0 with LLVM Exceptions.
// See LICENSE for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
#include "shadow_stack.h"

#include <pkguard/abi.h>
#include "keys.h"
#include "pages.h"
#include "report.h"
#include "state.h"
#include "syscalls.h"

#include <errno.h>
#include <pthread.h>
#include <sys/resource.h>

extern "C" void *__libc_stack_end;

namespace pkguard {

namespace {

struct Range {
  uintptr_t low, high;
};

// Merged, sorted ranges of shadow pages that are mapped. It only decides
// what to map: a forged entry can leave a new stack without a shadow,
// which stops the program at the stack's first instrumented call.
// The table is mapped on the first stack mirrored rather than kept in bss,
// where its worst-case size would be a fixed cost of every program.
constexpr int kMaxRanges = 4096;
Range *mirrored = nullptr;
int mirrored_count = 0;
pthread_mutex_t mirrored_lock = PTHREAD_MUTEX_INITIALIZER;

// The table's lock, taken with signals blocked: the fault handler mirrors
// stacks too, and must never wait for the thread it interrupted.
class MirroredTableLock {
public:
  MirroredTableLock() { pthread_mutex_lock(&mirrored_lock); }
  ~MirroredTableLock() { pthread_mutex_unlock(&mirrored_lock); }
  MirroredTableLock(const MirroredTableLock &) = delete;
  MirroredTableLock &operator=(const MirroredTableLock &) = delete;

private:
  SignalsBlocked blocked_;
};

// A fork while another thread holds the lock would leave it held forever
// in the child: fork waits for the table to be consistent.
void lock_table_for_fork() { pthread_mutex_lock(&mirrored_lock); }
void unlock_table_after_fork() { pthread_mutex_unlock(&mirrored_lock); }

// Returns 0 or an errno. Called with `mirrored_lock` held.
int map_mirrored_table() {
  if (mirrored)
    return 0;
  MapResult result =
      map_pages(nullptr, kMaxRanges * sizeof(Range), Placement::Anywhere, kNoKey);
  if (!result.address)
    return result.error;
  mirrored = (Range *)result.address;
  pthread_atfork(lock_table_for_fork, unlock_table_after_fork,
                 unlock_table_after_fork);
  return 0;
}

void insert_range(uintptr_t low, uintptr_t high) {
  int at = 0;
  while (at < mirrored_count && mirrored[at].high < low)
    ++at;
  // Merge every range that touches [low, high).
  int end = at;
  while (end < mirrored_count && mirrored[end].low <= high) {
    low = low < mirrored[end].low ? low : mirrored[end].low;
    high = high > mirrored[end].high ? high : mirrored[end].high;
    ++end;
  }
  int removed = end - at;
  if (removed == 0) {
    if (mirrored_count == kMaxRanges)
      report_too_many_stacks(kMaxRanges);
    for (int i = mirrored_count; i > at; --i)
      mirrored[i] = mirrored[i - 1];
    ++mirrored_count;
  } else {
    for (int i = end; i < mirrored_count; ++i)
      mirrored[i - removed + 1] = mirrored[i];
    mirrored_count -= removed - 1;
  }
  mirrored[at] = {low, high};
}

// Takes [low, high) out of the table, splitting the range it falls in.
void remove_range(uintptr_t low, uintptr_t high) {
  for (int at = 0; at < mirrored_count; ++at) {
    Range range = mirrored[at];
    if (range.high <= low || range.low >= high)
      continue;
    bool keeps_low = range.low < low, keeps_high = range.high > high;
    if (keeps_low && keeps_high) {
      mirrored[at].high = low;
      insert_range(high, range.high);
      return;
    }
    if (keeps_low) {
      mirrored[at].high = low;
    } else if (keeps_high) {
      mirrored[at].low = high;
    } else {
      for (int i = at + 1; i < mirrored_count; ++i)
        mirrored[i - 1] = mirrored[i];
      --mirrored_count;
      --at;
    }
  }
}

// Whether no stack can lie in [low, high), which lies within one page: it
// is not mapped at all.
bool holds_no_stack(uintptr_t low, uintptr_t high) {
  return low >= high || !pages_mapped(page_down(low), kPageSize);
}

int map_shadow_pages(uintptr_t low, uintptr_t high) {
  MapResult result = map_pages((void *)low, high - low, Placement::ExactlyAt,
                               state().shadow_key);
  return result.address ? 0 : result.error;
}

} // namespace

int64_t choose_shadow_delta(uintptr_t stack_top, bool gates_on) {
  int64_t distance = stack_top > kUserAddressEnd / 2
                         ? -(int64_t)abi::ShadowStackDistance
                         : (int64_t)abi::ShadowStackDistance;
  return distance + (gates_on ? 0 : abi::GatesOffDelta);
}

uintptr_t shadow_of(uintptr_t address) {
  return address + (uintptr_t)(state().shadow_abi.shadow_delta + abi::ShadowSkew);
}

uintptr_t stack_address_of_shadow(uintptr_t shadow) {
  return shadow - (uintptr_t)(state().shadow_abi.shadow_delta + abi::ShadowSkew);
}

int mirror_stack(uintptr_t low, uintptr_t high) {
  // Whole pages of stack, and the shadow pages their slots fall in. The
  // shadow must lie inside the user address space, page 0 excluded;
  // unsigned wrap-around shows up as a shadow above the end.
  uintptr_t shadow_low = page_down(shadow_of(page_down(low)));
  uintptr_t shadow_high = page_up(shadow_of(page_up(high)));
  if (shadow_low < kPageSize || shadow_high > kUserAddressEnd ||
      shadow_high <= shadow_low)
    return ERANGE;
  MirroredTableLock lock;
  int error = map_mirrored_table();
  // Map each gap between shadow pages already mapped (neighbouring stacks
  // and reused thread stacks share pages), recording each gap as soon as
  // it is mapped, so that a failure part-way leaves the table true.
  uintptr_t cursor = shadow_low;
  while (cursor < shadow_high && !error) {
    int next = 0;
    while (next < mirrored_count && mirrored[next].high <= cursor)
      ++next;
    if (next < mirrored_count && mirrored[next].low <= cursor) {
      cursor = mirrored[next].high;
      continue;
    }
    uintptr_t gap_end = next < mirrored_count && mirrored[next].low < shadow_high
                            ? mirrored[next].low
                            : shadow_high;
    error = map_shadow_pages(cursor, gap_end);
    if (!error)
      insert_range(cursor, gap_end);
    cursor = gap_end;
  }
  return error;
}

void release_stack(uintptr_t low, uintptr_t high) {
  // The shadow pages that mirror only [low, high), and the two at its ends
  // when the other part of what they mirror holds no stack either.
  if (high <= low)
    return;
  uintptr_t shadow_low = page_down(shadow_of(low));
  uintptr_t shadow_high = page_up(shadow_of(high));
  MirroredTableLock lock;
  bool mirrored_any = false;
  for (int at = 0; at < mirrored_count; ++at)
    mirrored_any |= mirrored[at].low < shadow_high && mirrored[at].high > shadow_low;
  if (!mirrored_any)
    return;
  if (!holds_no_stack(stack_address_of_shadow(shadow_low), low))
    shadow_low += kPageSize;
  if (!holds_no_stack(high, stack_address_of_shadow(shadow_high)))
    shadow_high -= kPageSize;
  if (shadow_high <= shadow_low)
    return;
  for (int at = 0; at < mirrored_count; ++at) {
    uintptr_t from = mirrored[at].low > shadow_low ? mirrored[at].low : shadow_low;
    uintptr_t to = mirrored[at].high < shadow_high ? mirrored[at].high : shadow_high;
    if (from < to)
      sys_munmap((void *)from, to - from);
  }
  remove_range(shadow_low, shadow_high);
}

bool is_shadow_address(uintptr_t address) {
  MirroredTableLock lock;
  for (int i = 0; i < mirrored_count; ++i)
    if (address >= mirrored[i].low && address < mirrored[i].high)
      return true;
  return false;
}

uintptr_t main_stack_top() {
  return page_up((uintptr_t)__libc_stack_end + 1);
}

uintptr_t mirror_main_stack() {
  struct rlimit limit;
  uintptr_t size = kMaxMainStackMirror;
  if (getrlimit(RLIMIT_STACK, &limit) == 0 && limit.rlim_cur < size)
    size = limit.rlim_cur;
  uintptr_t top = main_stack_top();
  uintptr_t low = top - page_up(size);
  int error = mirror_stack(low, top);
  if (error != 0)
    report_shadow_unmappable(0, low, page_down(shadow_of(low)), error);
  return low;
}

uintptr_t mirror_current_thread_stack() {
  pthread_attr_t attributes;
  void *stack;
  size_t size;
  if (pthread_getattr_np(pthread_self(), &attributes) != 0 ||
      pthread_attr_getstack(&attributes, &stack, &size) != 0)
    report_thread_stack_unknown();
  pthread_attr_destroy(&attributes);
  int error = mirror_stack((uintptr_t)stack, (uintptr_t)stack + size);
  if (error != 0)
    report_shadow_unmappable(sys_gettid(), (uintptr_t)stack, 0, error);
  return (uintptr_t)stack;
}

} // namespace pkguard
