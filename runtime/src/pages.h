//===- pages.h - Mapping and tagging pages with protection keys -----------===//
//
// Part of pkguard, under the Apache License v2.0 with LLVM Exceptions.
// See LICENSE for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// Every page pkguard protects is tagged with one of its keys. Without PKU the
// same calls still map the pages, untagged, so that instrumented code runs
// unchanged but unprotected. A fresh mmap over a range resets its key to 0,
// so ranges are tagged after they are mapped, never before.
//
//===----------------------------------------------------------------------===//
#ifndef PKGUARD_RUNTIME_PAGES_H
#define PKGUARD_RUNTIME_PAGES_H

#include <stddef.h>
#include <stdint.h>

namespace pkguard {

constexpr uintptr_t kPageSize = 4096;

constexpr uintptr_t page_down(uintptr_t address) {
  return address & ~(kPageSize - 1);
}
constexpr uintptr_t page_up(uintptr_t address) {
  return (address + kPageSize - 1) & ~(kPageSize - 1);
}

enum class Placement {
  Anywhere,   // let the kernel choose
  ExactlyAt,  // at `where`, failing if anything is mapped there already
};

struct MapResult {
  void *address; // nullptr on failure
  int error;     // errno on failure
};

// Maps `length` bytes of zeroed, lazily committed memory readable and
// writable, tagged with `key` (kNoKey: left untagged).
MapResult map_pages(void *where, size_t length, Placement placement, int key);

// Tags [address, address + length) with `key`, keeping protection `prot`.
// With kNoKey it only changes the protection. Returns 0 or an errno.
int tag_pages(void *address, size_t length, int prot, int key);

} // namespace pkguard

#endif
