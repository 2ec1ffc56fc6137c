//===- options.h - Run-time settings from PKGUARD_OPTIONS -----------------===//
//
// Part of pkguard, under the Apache License v2.0 with LLVM Exceptions.
// See LICENSE for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// PKGUARD_OPTIONS holds 'name=value' pairs separated by ':' or ',', as the
// sanitizers' *_OPTIONS do. An unknown name, a bad value or a pair without
// '=' is an error and the program refuses to start, as ASan does for bad
// values: a misspelt 'require_pku' must not silently leave a program
// unprotected. The options live in the runtime's write-protected state, so
// no string an attacker can overwrite later (log_path) is kept by pointer.
//
//===----------------------------------------------------------------------===//
#ifndef PKGUARD_RUNTIME_OPTIONS_H
#define PKGUARD_RUNTIME_OPTIONS_H

#include <stddef.h>

namespace pkguard {

// What the runtime does when it finds WRPKRU or XRSTOR bytes outside
// pkguard's sequences in the process's code (self_scan.h).
enum class ScanPolicy : unsigned char { Off, Warn, Abort };

// The longest log_path accepted, with room for ".<pid>".
constexpr size_t kMaxLogPathLength = 200;

struct Options {
  // Use protection keys when the machine has them; 0 runs as if it had
  // none, to compare or to debug.
  bool use_pku = true;
  // Refuse to start when protection keys are unavailable.
  bool require_pku = false;
  // Print the mode in force at start-up.
  bool verbose = false;
  // May start llvm-symbolizer from PATH for line tables the runtime
  // cannot read itself (compressed debug sections).
  bool symbolize = true;
  // Print every option at start-up, then run on.
  bool help = false;
  // scan=off|warn|abort.
  ScanPolicy scan = ScanPolicy::Warn;
  // Reports go to log_path.<pid> instead of standard error; empty: stderr.
  char log_path[kMaxLogPathLength + 1] = {};
};

struct OptionsError {
  bool failed = false;
  char message[160] = {};
};

// Parses `text` (may be null) into `options`; on error leaves a message
// that quotes the bad item.
OptionsError parse_options(const char *text, Options &options);

// Prints every option with its default and meaning to standard error.
void print_options_help();

} // namespace pkguard

#endif
