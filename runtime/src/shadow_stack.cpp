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
#include <string.h>
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
// The tables are mapped on the first stack mirrored rather than kept in
// bss, where their worst-case size would be a fixed cost of every program.
constexpr int kMaxRanges = 4096;
struct Table {
  int count;
  Range ranges[kMaxRanges];
};

// A change is made in the spare table and published with one store, so
// that a fork, which copies the table whatever another thread is doing to
// it, always gives the child a whole one: fork cannot wait for the lock
// instead, because glibc takes malloc's locks after the fork handlers, and
// a thread interrupted inside malloc by a signal whose handler takes its
// stack's first shadow fault (fault_handler.h) waits for this lock.
Table *tables = nullptr; // two, mapped together
Table *published = nullptr;
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

// The child has only the forking thread, which held no lock: any holder
// is gone, and the published table is whole.
void reset_table_lock_in_child() {
  mirrored_lock = PTHREAD_MUTEX_INITIALIZER;
}

// Returns 0 or an errno. Called with `mirrored_lock` held.
int map_mirrored_tables() {
  if (tables)
    return 0;
  MapResult result =
      map_pages(nullptr, 2 * sizeof(Table), Placement::Anywhere, kNoKey);
  if (!result.address)
    return result.error;
  tables = (Table *)result.address;
  __atomic_store_n(&published, &tables[0], __ATOMIC_RELEASE);
  pthread_atfork(nullptr, nullptr, reset_table_lock_in_child);
  return 0;
}

// The table in force, read with `mirrored_lock` held, the tables mapped.
const Table &current_table() {
  return *__atomic_load_n(&published, __ATOMIC_ACQUIRE);
}

// The spare table, holding a copy of the one in force, to be changed and
// then published. Called with `mirrored_lock` held, the tables mapped.
Table &spare_copy() {
  const Table &in_force = current_table();
  Table &spare = &in_force == &tables[0] ? tables[1] : tables[0];
  spare.count = in_force.count;
  memcpy(spare.ranges, in_force.ranges, in_force.count * sizeof(Range));
  return spare;
}

void publish(Table &table) {
  __atomic_store_n(&published, &table, __ATOMIC_RELEASE);
}

void insert_range(Table &table, uintptr_t low, uintptr_t high) {
  Range *ranges = table.ranges;
  int at = 0;
  while (at < table.count && ranges[at].high < low)
    ++at;
  // Merge every range that touches [low, high).
  int end = at;
  while (end < table.count && ranges[end].low <= high) {
    low = low < ranges[end].low ? low : ranges[end].low;
    high = high > ranges[end].high ? high : ranges[end].high;
    ++end;
  }
  int removed = end - at;
  if (removed == 0) {
    if (table.count == kMaxRanges)
      report_too_many_stacks(kMaxRanges);
    for (int i = table.count; i > at; --i)
      ranges[i] = ranges[i - 1];
    ++table.count;
  } else {
    for (int i = end; i < table.count; ++i)
      ranges[i - removed + 1] = ranges[i];
    table.count -= removed - 1;
  }
  ranges[at] = {low, high};
}

// Takes [low, high) out of the table, splitting the range it falls in.
void remove_range(Table &table, uintptr_t low, uintptr_t high) {
  Range *ranges = table.ranges;
  for (int at = 0; at < table.count; ++at) {
    Range range = ranges[at];
    if (range.high <= low || range.low >= high)
      continue;
    bool keeps_low = range.low < low, keeps_high = range.high > high;
    if (keeps_low && keeps_high) {
      ranges[at].high = low;
      insert_range(table, high, range.high);
      return;
    }
    if (keeps_low) {
      ranges[at].high = low;
    } else if (keeps_high) {
      ranges[at].low = high;
    } else {
      for (int i = at + 1; i < table.count; ++i)
        ranges[i - 1] = ranges[i];
      --table.count;
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
  int error = map_mirrored_tables();
  // Map each gap between shadow pages already mapped (neighbouring stacks
  // and reused thread stacks share pages), recording each gap as soon as
  // it is mapped, so that a failure part-way leaves the table true.
  uintptr_t cursor = shadow_low;
  while (cursor < shadow_high && !error) {
    const Table &table = current_table();
    int next = 0;
    while (next < table.count && table.ranges[next].high <= cursor)
      ++next;
    if (next < table.count && table.ranges[next].low <= cursor) {
      cursor = table.ranges[next].high;
      continue;
    }
    uintptr_t gap_end =
        next < table.count && table.ranges[next].low < shadow_high
            ? table.ranges[next].low
            : shadow_high;
    error = map_shadow_pages(cursor, gap_end);
    if (!error) {
      Table &changed = spare_copy();
      insert_range(changed, cursor, gap_end);
      publish(changed);
    }
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
  if (!tables)
    return;
  const Table &table = current_table();
  bool mirrored_any = false;
  for (int at = 0; at < table.count; ++at)
    mirrored_any |= table.ranges[at].low < shadow_high &&
                    table.ranges[at].high > shadow_low;
  if (!mirrored_any)
    return;
  if (!holds_no_stack(stack_address_of_shadow(shadow_low), low))
    shadow_low += kPageSize;
  if (!holds_no_stack(high, stack_address_of_shadow(shadow_high)))
    shadow_high -= kPageSize;
  if (shadow_high <= shadow_low)
    return;
  // Out of the table first: a fork in between leaves the child's table
  // short of pages it has, never claiming pages it lacks.
  Table &changed = spare_copy();
  remove_range(changed, shadow_low, shadow_high);
  publish(changed);
  for (int at = 0; at < table.count; ++at) {
    uintptr_t from = table.ranges[at].low > shadow_low ? table.ranges[at].low : shadow_low;
    uintptr_t to = table.ranges[at].high < shadow_high ? table.ranges[at].high : shadow_high;
    if (from < to)
      sys_munmap((void *)from, to - from);
  }
}

bool is_shadow_address(uintptr_t address) {
  MirroredTableLock lock;
  if (!tables)
    return false;
  const Table &table = current_table();
  for (int i = 0; i < table.count; ++i)
    if (address >= table.ranges[i].low && address < table.ranges[i].high)
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
