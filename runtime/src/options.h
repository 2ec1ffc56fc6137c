//===- options.h - Run-time settings from PKGUARD_OPTIONS -----------------===//
//
// Part of pkguard, under the Apache License v2.0 with LLVM Exceptions.
// See LICENSE for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// PKGUARD_OPTIONS holds 'name=value' pairs separated by ':' or ',', as the
// sanitizers' *_OPTIONS do. An unknown name or a bad value is an error: a
// misspelt 'require_pku' must not silently leave a program unprotected.
//
//===----------------------------------------------------------------------===//
#ifndef PKGUARD_RUNTIME_OPTIONS_H
#define PKGUARD_RUNTIME_OPTIONS_H

#include <stddef.h>

namespace pkguard {

// What the runtime does when it finds WRPKRU or XRSTOR bytes outside
// pkguard's sequences in the process's code (self_scan.h).
enum class ScanPolicy : unsigned char { Off, Warn, Abort };

struct Options {
  // Use protection keys when the machine has them; 0 runs as if it had
  // none, to compare or to debug.
  bool use_pku = true;
  // Refuse to start when protection keys are unavailable.
  bool require_pku = false;
  // Print the mode in force at start-up.
  bool verbose = false;
  // scan=off|warn|abort.
  ScanPolicy scan = ScanPolicy::Warn;
};

struct OptionsError {
  bool failed = false;
  char message[160] = {};
};

// Parses `text` (may be null) into `options`; on error leaves a message.
OptionsError parse_options(const char *text, Options &options);

} // namespace pkguard

#endif
