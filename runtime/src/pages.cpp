//===- pages.cpp - Mapping and tagging pages with protection keys ---------===//
//
// Part of pkguard, under the Apache License v2.0 with LLVM Exceptions.
// See LICENSE for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
#include "pages.h"

#include "keys.h"
#include "syscalls.h"

#include <errno.h>
#include <sys/mman.h>

namespace pkguard {

MapResult map_pages(void *where, size_t length, Placement placement, int key) {
  int flags = MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE;
  if (placement == Placement::ExactlyAt)
    flags |= MAP_FIXED_NOREPLACE;
  long result = sys_mmap(where, length, PROT_READ | PROT_WRITE, flags, -1, 0);
  if (mmap_failed(result))
    return {nullptr, (int)-result};
  void *address = (void *)result;
  // Kernels before 4.17 ignore MAP_FIXED_NOREPLACE and treat it as a hint.
  if (placement == Placement::ExactlyAt && address != where) {
    sys_munmap(address, length);
    return {nullptr, EEXIST};
  }
  int error = tag_pages(address, length, PROT_READ | PROT_WRITE, key);
  if (error != 0) {
    sys_munmap(address, length);
    return {nullptr, error};
  }
  return {address, 0};
}

int tag_pages(void *address, size_t length, int prot, int key) {
  int result = key == kNoKey ? sys_mprotect(address, length, prot)
                             : sys_pkey_mprotect(address, length, prot, key);
  return result < 0 ? -result : 0;
}

} // namespace pkguard
