//===- secret_memory.cpp - Secrets out of the kernel's remote-access paths ===//
//
// Part of pkguard, under the Apache License v2.0 with LLVM Exceptions.
// See LICENSE for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
#include "secret_memory.h"

#include "pages.h"
#include "syscalls.h"

#include <string.h>
#include <sys/mman.h>

#ifndef SYS_memfd_secret
#define SYS_memfd_secret 447
#endif

namespace pkguard {
namespace {

int open_secret_memory(size_t size) {
  long fd = raw_syscall(SYS_memfd_secret, 0);
  if (fd < 0)
    return (int)fd;
  long truncated = raw_syscall(SYS_ftruncate, fd, (long)size);
  if (truncated < 0) {
    raw_syscall(SYS_close, fd);
    return (int)truncated;
  }
  return (int)fd;
}

} // namespace

bool probe_secret_memory() {
  int fd = open_secret_memory(kPageSize);
  if (fd < 0)
    return false;
  raw_syscall(SYS_close, fd);
  return true;
}

int move_to_secret_memory(void *address, size_t size, bool keep_contents) {
  int fd = open_secret_memory(size);
  if (fd < 0)
    return -fd;
  // Copy through a second view, then put the secret memory in place of the
  // original pages, which MAP_FIXED drops at once.
  long copy = sys_mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  int error = 0;
  if (mmap_failed(copy)) {
    error = (int)-copy;
  } else {
    if (keep_contents)
      memcpy((void *)copy, address, size);
    long placed = sys_mmap(address, size, PROT_READ | PROT_WRITE,
                           MAP_SHARED | MAP_FIXED, fd, 0);
    if (mmap_failed(placed))
      error = (int)-placed;
    sys_munmap((void *)copy, size);
  }
  raw_syscall(SYS_close, fd);
  return error;
}

} // namespace pkguard
