//===- secret_memory.h - Secrets out of the kernel's remote-access paths --===//
//
// Part of pkguard, under the Apache License v2.0 with LLVM Exceptions.
// See LICENSE for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// Protection keys bind the CPU, not the kernel: pread of /proc/self/mem,
// process_vm_readv and ptrace reach memory through the kernel's own
// mappings, which ignore PKRU, so a program that serves files or reads
// memory for a caller can hand out its secrets without ever touching them.
// Where the kernel offers memfd_secret (Linux 5.14 and later; Debian 12's
// 6.1 kernel when booted with secretmem.enable=1), pkguard backs secret
// pages with it: the pages leave the kernel's direct map, and those paths
// fail (EIO, EFAULT) on them, while the protection key still governs the
// process's own accesses. The price: such pages are shared, not copied, by
// fork, and count against RLIMIT_MEMLOCK.
//
//===----------------------------------------------------------------------===//
#ifndef PKGUARD_RUNTIME_SECRET_MEMORY_H
#define PKGUARD_RUNTIME_SECRET_MEMORY_H

#include <stddef.h>

namespace pkguard {

// Whether this kernel's memfd_secret works.
bool probe_secret_memory();

// Replaces the whole pages at [address, address + size) with memfd_secret
// pages, holding the same bytes when `keep_contents` (they must then be
// readable), zero otherwise. Returns 0, or an errno value with the pages
// left as they were.
int move_to_secret_memory(void *address, size_t size, bool keep_contents);

} // namespace pkguard

#endif
