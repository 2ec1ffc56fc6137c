//===- report_buffer.cpp - Building a report's text without malloc -------===//
//
// Part of pkguard, under the Apache License v2.0 with LLVM Exceptions.
// See LICENSE for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
#include "report_buffer.h"

#include "symbolizer.h"
#include "syscalls.h"

#include <execinfo.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

// Present in C++ programs (libstdc++ or libc++abi); weak so that C programs
// link without a C++ library and get mangled names.
extern "C" char *__cxa_demangle(const char *, char *, size_t *, int *)
    __attribute__((weak));

namespace pkguard {

Report &Report::text(const char *s) {
  while (s && *s && length_ + 1 < sizeof buffer_)
    buffer_[length_++] = *s++;
  buffer_[length_] = '\0';
  return *this;
}

Report &Report::hex(uintptr_t value) {
  char digits[19] = "0x";
  int count = 0;
  char reversed[16];
  do {
    reversed[count++] = "0123456789abcdef"[value & 15];
    value >>= 4;
  } while (value != 0);
  for (int i = 0; i < count; ++i)
    digits[2 + i] = reversed[count - 1 - i];
  digits[2 + count] = '\0';
  return text(digits);
}

Report &Report::number(long value) {
  char digits[21];
  int i = sizeof digits - 1;
  digits[i] = '\0';
  unsigned long magnitude = value < 0 ? 0UL - (unsigned long)value : value;
  do {
    digits[--i] = (char)('0' + magnitude % 10);
    magnitude /= 10;
  } while (magnitude != 0);
  if (value < 0)
    digits[--i] = '-';
  return text(digits + i);
}

Report &Report::symbol(const char *name) {
  if (!name)
    return text("<unknown>");
  if (__cxa_demangle && name[0] == '_' && name[1] == 'Z') {
    // Demangling allocates; acceptable on the way to dying, and skipped for
    // names that are not mangled.
    int status = -1;
    char *demangled = __cxa_demangle(name, nullptr, nullptr, &status);
    if (status == 0 && demangled) {
      text(demangled);
      free(demangled);
      return *this;
    }
  }
  return text(name);
}

Report &Report::code_address(uintptr_t address) {
  Symbolized where;
  if (!symbolize(address, where))
    return hex(address);
  if (where.function[0])
    symbol(where.function).text("+").hex(where.offset);
  else
    hex(address);
  if (where.module[0])
    text(" in ").text(where.module);
  return *this;
}

namespace {
// The unwinder's walk starts in the runtime, a few frames before pc's.
constexpr int kMaxUnwound = kMaxFrames + 16;

bool has_name(uintptr_t address) {
  Symbolized where;
  return symbolize(address, where) && where.function[0];
}
} // namespace

void CallStack::unwind_from(uintptr_t pc, bool pc_is_return_address) {
  void *unwound[kMaxUnwound];
  int total = backtrace(unwound, kMaxUnwound);
  int first = 0;
  while (first < total && (uintptr_t)unwound[first] != pc)
    ++first;
  if (first == total) { // pc's frame was not found: pc alone
    add(pc - pc_is_return_address);
    return;
  }
  for (int i = first; i < total; ++i)
    add((uintptr_t)unwound[i] - (i > first || pc_is_return_address));
}

Report &Report::fault_location(const CallStack &stack) {
  if (stack.count == 0)
    return *this;
  code_address(stack.frames[0]);
  if (has_name(stack.frames[0]))
    return *this;
  for (int i = 1; i < stack.count; ++i)
    if (has_name(stack.frames[i]))
      return text(", called from ").code_address(stack.frames[i]);
  return *this;
}

void prepare_backtraces() {
  void *frame;
  backtrace(&frame, 1);
}

void Report::print(int fd) const {
  const char *p = buffer_;
  size_t left = length_;
  while (left > 0) {
    long n = sys_write(fd, p, left);
    if (n == -4) // EINTR
      continue;
    if (n <= 0)
      return;
    p += n;
    left -= (size_t)n;
  }
}

void note(const Report &message) {
  Report line;
  line.text("pkguard: ").text(message.c_str()).text("\n");
  line.print();
}

} // namespace pkguard
