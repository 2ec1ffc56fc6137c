//===- self_scan.h - WRPKRU and XRSTOR bytes in the process's code --------===//
//
// Part of pkguard, under the Apache License v2.0 with LLVM Exceptions.
// See LICENSE for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// The runtime scans the code of every module in the process at start-up,
// after every dlopen, and any memory made executable through mmap or
// mprotect, for WRPKRU bytes that are not one of pkguard's sequences and for
// XRSTOR (which loads PKRU from memory) with a memory operand, and warns or
// aborts as PKGUARD_OPTIONS=scan says. XRSTORS is left out: it faults in
// user mode. Two sites every dynamically linked process has are accepted,
// since refusing them would refuse every program (docs/sequences.md): the
// XRSTOR of ld.so's lazy-binding trampoline, and the WRPKRU of glibc's
// pkey_set, which pkguard interposes. A PKRU forged through either lasts
// only until the next pkguard sequence, which writes the thread's rights
// from protected storage.
//
//===----------------------------------------------------------------------===//
#ifndef PKGUARD_RUNTIME_SELF_SCAN_H
#define PKGUARD_RUNTIME_SELF_SCAN_H

#include <stddef.h>
#include <stdint.h>

namespace pkguard {

// Scans every module not scanned yet.
void scan_loaded_modules();

// Scans [address, address + length), about to become or just made
// executable, on behalf of `what` ("mprotect", "mmap").
void scan_new_code(const void *address, size_t length, const char *what);

} // namespace pkguard

#endif
