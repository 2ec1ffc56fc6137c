//===- options.cpp - Run-time settings from PKGUARD_OPTIONS ---------------===//
//
// Part of pkguard, under the Apache License v2.0 with LLVM Exceptions.
// See LICENSE for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// One table names every option, its kind, its default and its meaning: the
// parser and help=1 both read it, so the help cannot fall out of date.
//
//===----------------------------------------------------------------------===//
#include "options.h"

#include "report_buffer.h"

#include <stddef.h>
#include <string.h>

namespace pkguard {

namespace {

enum class Kind : unsigned char { Bool, Scan, Path };

struct OptionSpec {
  const char *name;
  Kind kind;
  unsigned char offset; // of the field in Options
  const char *default_value;
  const char *meaning;
};

constexpr OptionSpec kOptions[] = {
    {"use_pku", Kind::Bool, offsetof(Options, use_pku), "1",
     "use protection keys when the CPU has them; 0 runs unprotected"},
    {"require_pku", Kind::Bool, offsetof(Options, require_pku), "0",
     "refuse to start without protection keys"},
    {"verbose", Kind::Bool, offsetof(Options, verbose), "0",
     "print the mode in force at start-up"},
    {"scan", Kind::Scan, offsetof(Options, scan), "warn",
     "off|warn|abort: WRPKRU or XRSTOR bytes outside pkguard's sequences"},
    {"symbolize", Kind::Bool, offsetof(Options, symbolize), "1",
     "0: never start llvm-symbolizer for line tables pkguard cannot read"},
    {"log_path", Kind::Path, offsetof(Options, log_path), "",
     "write reports to PATH.<pid> instead of standard error"},
    {"help", Kind::Bool, offsetof(Options, help), "0",
     "print these options at start-up"},
};

constexpr const char *kScanNames[] = {"off", "warn", "abort"};

bool equals(const char *name, const char *text, size_t length) {
  return strlen(name) == length && !strncmp(name, text, length);
}

bool parse_value(const OptionSpec &spec, const char *value, size_t length,
                 Options &options) {
  char *field = (char *)&options + spec.offset;
  switch (spec.kind) {
  case Kind::Bool:
    if (equals("1", value, length) || equals("true", value, length))
      *(bool *)field = true;
    else if (equals("0", value, length) || equals("false", value, length))
      *(bool *)field = false;
    else
      return false;
    return true;
  case Kind::Scan:
    for (unsigned i = 0; i < sizeof kScanNames / sizeof *kScanNames; ++i)
      if (equals(kScanNames[i], value, length)) {
        *(ScanPolicy *)field = (ScanPolicy)i;
        return true;
      }
    return false;
  case Kind::Path:
    if (length == 0 || length > kMaxLogPathLength)
      return false;
    memcpy(field, value, length);
    field[length] = '\0';
    return true;
  }
  return false;
}

const char *expected_value(Kind kind) {
  switch (kind) {
  case Kind::Bool:
    return "expected 0 or 1 in";
  case Kind::Scan:
    return "expected off, warn or abort in";
  case Kind::Path:
    return "expected a path of 1 to 200 characters in";
  }
  return "";
}

void set_error(OptionsError &error, const char *what, const char *item,
               size_t length) {
  error.failed = true;
  size_t used = 0;
  auto append = [&](const char *s, size_t n) {
    for (size_t i = 0; i < n && s[i] && used + 1 < sizeof error.message; ++i)
      error.message[used++] = s[i];
  };
  append(what, strlen(what));
  append(" '", 2);
  append(item, length);
  append("' in PKGUARD_OPTIONS", 20);
  error.message[used] = '\0';
}

} // namespace

OptionsError parse_options(const char *text, Options &options) {
  OptionsError error;
  for (const char *item = text; item && *item;) {
    size_t length = strcspn(item, ":,");
    if (length > 0) {
      const char *equals_sign = (const char *)memchr(item, '=', length);
      if (!equals_sign) {
        set_error(error, "missing '=' in", item, length);
        return error;
      }
      size_t name_length = (size_t)(equals_sign - item);
      const OptionSpec *match = nullptr;
      for (const OptionSpec &spec : kOptions)
        if (equals(spec.name, item, name_length))
          match = &spec;
      if (!match) {
        set_error(error, "unknown option", item, name_length);
        return error;
      }
      if (!parse_value(*match, equals_sign + 1, length - name_length - 1,
                       options)) {
        set_error(error, expected_value(match->kind), item, length);
        return error;
      }
    }
    item += length;
    if (*item)
      ++item;
  }
  return error;
}

void print_options_help() {
  note(Report().text("PKGUARD_OPTIONS, 'name=value' separated by ':' or ','; "
                     "an unknown name or bad value stops the program:"));
  for (const OptionSpec &spec : kOptions)
    note(Report()
             .text("  ")
             .text(spec.name)
             .text(" (default '")
             .text(spec.default_value)
             .text("'): ")
             .text(spec.meaning));
}

} // namespace pkguard
