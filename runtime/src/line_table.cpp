//===- line_table.cpp - Source lines from DWARF .debug_line ---------------===//
//
// Part of pkguard, under the Apache License v2.0 with LLVM Exceptions.
// See LICENSE for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// Runs each unit's line-number program (DWARF 5, section 6.2) until a row
// and the next one of the same sequence bracket the address, then names
// that row's file from the unit's directory and file tables. The tables
// are read again rather than stored, so nothing is allocated.
//
//===----------------------------------------------------------------------===//
#include "line_table.h"

#include "report_buffer.h"

#include <string.h>

namespace pkguard {
namespace {

// A bounds-checked reader: reading past the end marks it bad and yields 0.
// Out of line: inlined at each of their many uses, they would double the
// size of this cold code.
#define PKGUARD_OUT_OF_LINE __attribute__((noinline))
struct Cursor {
  const uint8_t *at, *end;
  bool bad = false;

  PKGUARD_OUT_OF_LINE bool has(uint64_t n) {
    if ((uint64_t)(end - at) >= n)
      return true;
    bad = true;
    at = end;
    return false;
  }
  PKGUARD_OUT_OF_LINE uint64_t fixed(int n) {
    uint64_t value = 0;
    if (has(n))
      for (int i = 0; i < n; ++i)
        value |= (uint64_t)*at++ << (8 * i);
    return value;
  }
  PKGUARD_OUT_OF_LINE uint64_t uleb() {
    uint64_t value = 0;
    for (int shift = 0; has(1); shift += 7) {
      uint8_t byte = *at++;
      if (shift < 64)
        value |= (uint64_t)(byte & 0x7f) << shift;
      if (!(byte & 0x80))
        break;
    }
    return value;
  }
  PKGUARD_OUT_OF_LINE int64_t sleb() {
    uint64_t value = 0;
    int shift = 0;
    uint8_t byte = 0;
    do {
      if (!has(1))
        return 0;
      byte = *at++;
      if (shift < 64)
        value |= (uint64_t)(byte & 0x7f) << shift;
      shift += 7;
    } while (byte & 0x80);
    if (shift < 64 && (byte & 0x40))
      value |= ~uint64_t(0) << shift;
    return (int64_t)value;
  }
  PKGUARD_OUT_OF_LINE const char *string() {
    const uint8_t *start = at;
    while (at < end && *at)
      ++at;
    if (!has(1))
      return nullptr;
    ++at;
    return (const char *)start;
  }
  PKGUARD_OUT_OF_LINE void skip(uint64_t n) {
    if (has(n))
      at += n;
  }
};

const char *string_at(const Bytes &section, uint64_t offset) {
  if (offset >= section.size ||
      !memchr(section.data + offset, 0, section.size - offset))
    return nullptr;
  return (const char *)section.data + offset;
}

// DWARF 5 forms and content types of directory and file entries.
enum : uint64_t {
  FormData2 = 0x05,
  FormData4 = 0x06,
  FormData8 = 0x07,
  FormString = 0x08,
  FormBlock = 0x09,
  FormData1 = 0x0b,
  FormStrp = 0x0e,
  FormUdata = 0x0f,
  FormData16 = 0x1e,
  FormLineStrp = 0x1f,
};
enum : uint64_t { ContentPath = 1, ContentDirectoryIndex = 2 };

struct Entry {
  const char *path = nullptr;
  uint64_t directory = 0;
};

// The size of each fixed-size form this reader knows; 0: not fixed.
uint8_t fixed_size(uint64_t form) {
  switch (form) {
  case FormData1:
    return 1;
  case FormData2:
    return 2;
  case FormData4:
  case FormStrp: // 32-bit DWARF offsets
  case FormLineStrp:
    return 4;
  case FormData8:
    return 8;
  case FormData16:
    return 16;
  }
  return 0;
}

// Reads one value of `form`, a string or a number; false for a form this
// reader does not know.
bool read_form(Cursor &c, uint64_t form, const LineSections &sections,
               const char *&string, uint64_t &number) {
  string = nullptr;
  number = 0;
  if (form == FormString) {
    string = c.string();
  } else if (form == FormUdata) {
    number = c.uleb();
  } else if (form == FormBlock) {
    c.skip(c.uleb());
  } else if (uint8_t size = fixed_size(form)) {
    number = size <= 8 ? c.fixed(size) : (c.skip(size), 0);
    if (form == FormStrp || form == FormLineStrp)
      string = string_at(form == FormStrp ? sections.str : sections.line_str,
                         number);
  } else {
    return false;
  }
  return !c.bad;
}

// Reads a whole DWARF 5 directory or file table (its entry format, then
// its entries), keeping entry `wanted`.
bool read_entries(Cursor &c, const LineSections &sections, uint64_t wanted,
                  Entry &out) {
  uint64_t format_count = c.fixed(1);
  Cursor formats = c;
  for (uint64_t i = 0; i < format_count; ++i) {
    c.uleb();
    c.uleb();
  }
  uint64_t count = c.uleb();
  for (uint64_t entry = 0; entry < count && !c.bad; ++entry) {
    Cursor format = formats;
    for (uint64_t i = 0; i < format_count; ++i) {
      uint64_t content = format.uleb(), form = format.uleb();
      const char *string;
      uint64_t number;
      if (!read_form(c, form, sections, string, number))
        return false;
      if (entry == wanted && content == ContentPath)
        out.path = string;
      if (entry == wanted && content == ContentDirectoryIndex)
        out.directory = number;
    }
  }
  return !c.bad;
}

struct Row {
  uint64_t address = 0, file = 1, column = 0;
  int64_t line = 1;
};

// A relative directory is relative to the compilation directory, entry 0
// of a DWARF 5 table.
void append_location(const Entry &file, const Entry &directory,
                     const Entry &compilation, const Row &row, Report &out) {
  if (file.path[0] != '/' && directory.path && directory.path[0] != '/' &&
      compilation.path && compilation.path[0])
    out.text(compilation.path).text("/");
  if (file.path[0] != '/' && directory.path && directory.path[0])
    out.text(directory.path).text("/");
  out.text(file.path).text(":").number(row.line);
  if (row.column)
    out.text(":").number((long)row.column);
}

// Runs one unit's program; Found with the location written to `out`.
LineLookup find_in_unit(Cursor unit, const LineSections &sections,
                        uint64_t address, Report &out) {
  // DWARF 5, as Clang and GCC emit by default; older tables are left to
  // llvm-symbolizer.
  if (unit.fixed(2) != 5 || unit.fixed(1) != 8) // version, address size
    return LineLookup::Unreadable;
  unit.fixed(1); // segment selector size
  uint64_t header_length = unit.fixed(4);
  Cursor program = unit;
  program.skip(header_length);
  uint64_t min_instruction_length = unit.fixed(1);
  unit.fixed(1); // maximum operations per instruction: VLIW only
  unit.fixed(1); // default is_stmt
  int8_t line_base = (int8_t)unit.fixed(1);
  uint64_t line_range = unit.fixed(1);
  uint64_t opcode_base = unit.fixed(1);
  const uint8_t *standard_lengths = unit.at;
  unit.skip(opcode_base ? opcode_base - 1 : 0);
  if (unit.bad || program.bad || line_range == 0 || opcode_base == 0)
    return LineLookup::Unreadable;
  Cursor tables = unit;

  Row row, previous;
  bool has_previous = false, found = false;
  // Called for each row: the previous row covers [its address, this one's).
  auto emit = [&]() {
    if (has_previous && previous.address <= address && address < row.address)
      found = true;
    else
      previous = row;
    has_previous = true;
  };
  while (!found && !program.bad && program.at < program.end) {
    uint64_t opcode = program.fixed(1);
    if (opcode >= opcode_base) {
      uint64_t adjusted = opcode - opcode_base;
      row.address += adjusted / line_range * min_instruction_length;
      row.line += line_base + (int64_t)(adjusted % line_range);
      emit();
      continue;
    }
    switch (opcode) {
    case 0: { // extended
      uint64_t length = program.uleb();
      Cursor operands = program;
      program.skip(length);
      uint64_t sub = operands.fixed(1);
      if (sub == 1) { // end_sequence
        emit();
        row = Row();
        has_previous = false;
      } else if (sub == 2) { // set_address
        row.address = operands.fixed(8);
      }
      break;
    }
    case 1: // copy
      emit();
      break;
    case 2: // advance_pc
      row.address += program.uleb() * min_instruction_length;
      break;
    case 3: // advance_line
      row.line += program.sleb();
      break;
    case 4: // set_file
      row.file = program.uleb();
      break;
    case 5: // set_column
      row.column = program.uleb();
      break;
    case 8: // const_add_pc
      row.address += (255 - opcode_base) / line_range * min_instruction_length;
      break;
    case 9: // fixed_advance_pc
      row.address += program.fixed(2);
      break;
    default: // operands this reader does not use
      for (uint8_t i = 0; i < standard_lengths[opcode - 1]; ++i)
        program.uleb();
    }
  }
  if (!found)
    return program.bad ? LineLookup::Unreadable : LineLookup::NotCovered;
  if (previous.line <= 0)
    return LineLookup::NotCovered;

  Entry file, directory, compilation, unused;
  Cursor files = tables, directories = tables, compilation_directory = tables;
  if (!read_entries(files, sections, ~uint64_t(0), unused) ||
      !read_entries(files, sections, previous.file, file) ||
      !read_entries(directories, sections, file.directory, directory) ||
      !read_entries(compilation_directory, sections, 0, compilation))
    return LineLookup::Unreadable;
  if (!file.path)
    return LineLookup::Unreadable;
  append_location(file, directory, compilation, previous, out);
  return LineLookup::Found;
}

} // namespace

LineLookup find_source_line(const LineSections &sections, uint64_t address,
                            Report &out) {
  Cursor units = {sections.line.data, sections.line.data + sections.line.size};
  bool unreadable = false;
  while (units.at < units.end && !units.bad) {
    uint64_t length = units.fixed(4);
    if (length == 0xffffffff) // 64-bit DWARF, which no x86-64 linker emits
      return LineLookup::Unreadable;
    if (!units.has(length))
      break;
    Cursor unit = {units.at, units.at + length};
    units.at += length;
    LineLookup result = find_in_unit(unit, sections, address, out);
    if (result == LineLookup::Found)
      return result;
    unreadable |= result == LineLookup::Unreadable;
  }
  return unreadable || units.bad ? LineLookup::Unreadable
                                 : LineLookup::NotCovered;
}

} // namespace pkguard
