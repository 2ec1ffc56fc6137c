//===- mmap_vector.h - A growable array that never calls malloc -----------===//
//
// Part of pkguard, under the Apache License v2.0 with LLVM Exceptions.
// See LICENSE for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// The runtime keeps lists (secrets, their pages) that grow while the
// program runs, including from places where malloc may not be usable (a
// fault handler reading them, a library constructor). Elements are trivially
// copyable; storage comes from mmap and doubles when full. Writers lock.
//
// A fault handler reads without the lock, so a reader must never touch
// unmapped memory: a full buffer is copied and kept mapped (the old buffers
// together are never larger than the current one), and the size is
// published after the element it covers. A reader racing with erase may
// miss or repeat an element, which only makes a report less precise.
//
//===----------------------------------------------------------------------===//
#ifndef PKGUARD_RUNTIME_MMAP_VECTOR_H
#define PKGUARD_RUNTIME_MMAP_VECTOR_H

#include "pages.h"
#include "report.h"
#include "syscalls.h"

#include <string.h>
#include <sys/mman.h>

namespace pkguard {

template <typename T> class MmapVector {
public:
  size_t size() const { return __atomic_load_n(&size_, __ATOMIC_ACQUIRE); }
  T &operator[](size_t i) { return data()[i]; }
  const T &operator[](size_t i) const { return data()[i]; }

  void push_back(const T &value) {
    if (size_ == capacity_)
      grow();
    data_[size_] = value;
    __atomic_store_n(&size_, size_ + 1, __ATOMIC_RELEASE);
  }

  void erase(size_t i) {
    memmove(&data_[i], &data_[i + 1], (size_ - i - 1) * sizeof(T));
    __atomic_store_n(&size_, size_ - 1, __ATOMIC_RELEASE);
  }

private:
  void grow() {
    size_t capacity = capacity_ ? capacity_ * 2 : kPageSize / sizeof(T);
    size_t bytes = page_up(capacity * sizeof(T));
    long mapped = sys_mmap(nullptr, bytes, PROT_READ | PROT_WRITE,
                           MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (mmap_failed(mapped))
      report_out_of_memory();
    T *data = (T *)mapped;
    if (data_)
      memcpy(data, data_, size_ * sizeof(T));
    __atomic_store_n(&data_, data, __ATOMIC_RELEASE);
    capacity_ = bytes / sizeof(T);
  }

  T *data() const { return __atomic_load_n(&data_, __ATOMIC_ACQUIRE); }

  T *data_ = nullptr;
  size_t size_ = 0;
  size_t capacity_ = 0;
};

} // namespace pkguard

#endif
