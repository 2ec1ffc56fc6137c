//===- line_table.h - Source lines from DWARF .debug_line -----------------===//
//
// Part of pkguard, under the Apache License v2.0 with LLVM Exceptions.
// See LICENSE for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// Reports name file:line from the program's own DWARF. Starting
// llvm-symbolizer costs a fork and seconds (half a minute in the emulated
// machine), so the runtime reads the line tables itself: DWARF 4 and 5
// .debug_line, which is all file:line needs. It reads only the mapped file,
// bounds-checks every byte and allocates nothing, since it runs on the way
// to dying, from signal handlers too.
//
//===----------------------------------------------------------------------===//
#ifndef PKGUARD_RUNTIME_LINE_TABLE_H
#define PKGUARD_RUNTIME_LINE_TABLE_H

#include <stddef.h>
#include <stdint.h>

namespace pkguard {

struct Bytes {
  const uint8_t *data = nullptr;
  size_t size = 0;
};

// A module's line-table sections; .debug_line_str and .debug_str hold the
// names of DWARF 5 tables.
struct LineSections {
  Bytes line, line_str, str;
};

enum class LineLookup { Found, NotCovered, Unreadable };

class Report;

// Appends "DIRECTORY/FILE:LINE[:COLUMN]" of the module address `address`
// to `out`. NotCovered: no table has a row for it (or only line 0);
// Unreadable: a table is of a version or form this reader does not know.
LineLookup find_source_line(const LineSections &sections, uint64_t address,
                            Report &out);

} // namespace pkguard

#endif
