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
// Source files and lines come from the program's own DWARF: the runtime
// reads .debug_line itself (line_table.h). What it cannot read (compressed
// or unknown DWARF) it asks of llvm-symbolizer found on PATH, as ASan's
// external symbolizer is, unless PKGUARD_OPTIONS=symbolize=0. That child is
// started with only async-signal-safe system calls (a raw fork without
// glibc's atfork handlers, execve with an empty environment, pipes), after
// the report has closed every key, so it can read no secret; it is given
// only module paths and offsets, never anything from the stack.
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

// The most frames a report shows.
constexpr int kMaxFrames = 16;

// "file:line:column" of each of a report's code addresses, or null where
// there is no line information.
struct SourceLocations {
  const char *of[kMaxFrames];
  char text[2048];
};

enum class SourceLookup { Found, NoSymbolizer, Failed };

// Finds the source locations of `count` (at most kMaxFrames) addresses,
// starting llvm-symbolizer for those whose line tables the runtime cannot
// read when `may_start_symbolizer`; NoSymbolizer when it is needed but not
// on PATH.
SourceLookup locate_sources(const uintptr_t *addresses, int count,
                            bool may_start_symbolizer, SourceLocations &out);

} // namespace pkguard

#endif
