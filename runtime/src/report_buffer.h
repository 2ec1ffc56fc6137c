//===- report_buffer.h - Building a report's text without malloc ---------===//
//
// Part of pkguard, under the Apache License v2.0 with LLVM Exceptions.
// See LICENSE for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// Reports are built in a fixed buffer and written with one write(2), since
// they are made from signal handlers and from a corrupted program state
// where malloc and stdio cannot be trusted. What each report says is in
// report.cpp, the catalogue of reports; this is only the text.
//
//===----------------------------------------------------------------------===//
#ifndef PKGUARD_RUNTIME_REPORT_BUFFER_H
#define PKGUARD_RUNTIME_REPORT_BUFFER_H

#include "symbolizer.h"

#include <stddef.h>
#include <stdint.h>

namespace pkguard {

// The code addresses of a report's call stack, innermost first, each
// inside its function: return addresses are stepped back into their call.
struct CallStack {
  uintptr_t frames[kMaxFrames];
  int count = 0;
  void add(uintptr_t address) {
    if (count < kMaxFrames)
      frames[count++] = address;
  }
  // Unwinds the stack from `pc` on: the interrupted instruction of a fault,
  // or a return address into the code that called the runtime. The walk
  // starts in the runtime; frames before pc's are left out.
  void unwind_from(uintptr_t pc, bool pc_is_return_address);
};

class Report {
public:
  // Only the terminator: zeroing the whole buffer would be kilobytes of
  // stores inlined at each of the many cold report sites.
  Report() { buffer_[0] = '\0'; }
  Report &text(const char *s);
  Report &hex(uintptr_t value);
  Report &number(long value);
  // Appends "NAME+0xOFF in MODULE" for a code address, or its hex value.
  Report &code_address(uintptr_t address);
  // Appends where a fault happened: the function of the stack's first
  // frame or, when it has no name (inside libc, say), the module and the
  // first named caller.
  Report &fault_location(const CallStack &stack);
  // Appends a C++ name demangled where a demangler is linked in.
  Report &symbol(const char *name);
  // Writes the text to `fd` with as few write(2) calls as it takes.
  void print(int fd = 2) const;
  const char *c_str() const { return buffer_; }

private:
  char buffer_[2048];
  size_t length_ = 0;
};

// Loads what the call-stack walk needs, so that a fault handler does not
// have to (it may have interrupted malloc).
void prepare_backtraces();

// Prints "pkguard: <message>": information, not an error.
void note(const Report &message);

} // namespace pkguard

#endif
