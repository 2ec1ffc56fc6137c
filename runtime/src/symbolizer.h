//===- symbolizer.h - Naming code addresses in reports --------------------===//
//
// Part of pkguard, under the Apache License v2.0 with LLVM Exceptions.
// See LICENSE for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// A report must name the function. dladdr only knows exported symbols, and
// most functions of a program are not exported, so the symbolizer reads the
// module's own symbol table (.symtab, else .dynsym) from its file. It runs
// on the way to dying, from signal handlers too, and so uses no malloc.
//
//===----------------------------------------------------------------------===//
#ifndef PKGUARD_RUNTIME_SYMBOLIZER_H
#define PKGUARD_RUNTIME_SYMBOLIZER_H

#include <stddef.h>
#include <stdint.h>

namespace pkguard {

struct Symbolized {
  char function[256]; // empty when unknown
  uintptr_t offset;   // of the address within the function
  char module[128];   // file name without directories; empty when unknown
};

// Returns false when the address lies in no loaded module.
bool symbolize(uintptr_t address, Symbolized &out);

} // namespace pkguard

#endif
