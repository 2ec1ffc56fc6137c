//===- options.cpp - Run-time settings from PKGUARD_OPTIONS ---------------===//
//
// Part of pkguard, under the Apache License v2.0 with LLVM Exceptions.
// See LICENSE for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
#include "options.h"

#include <string.h>

namespace pkguard {

namespace {

struct BoolOption {
  const char *name;
  bool Options::*field;
};

constexpr BoolOption kBoolOptions[] = {
    {"use_pku", &Options::use_pku},
    {"require_pku", &Options::require_pku},
    {"verbose", &Options::verbose},
};

struct ScanChoice {
  const char *name;
  ScanPolicy policy;
};

constexpr ScanChoice kScanChoices[] = {
    {"off", ScanPolicy::Off},
    {"warn", ScanPolicy::Warn},
    {"abort", ScanPolicy::Abort},
};

bool parse_scan(const char *value, size_t length, ScanPolicy &out) {
  for (const ScanChoice &choice : kScanChoices)
    if (strlen(choice.name) == length && !strncmp(choice.name, value, length)) {
      out = choice.policy;
      return true;
    }
  return false;
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

bool parse_bool(const char *value, size_t length, bool &out) {
  if ((length == 1 && value[0] == '1') ||
      (length == 4 && !strncmp(value, "true", 4))) {
    out = true;
    return true;
  }
  if ((length == 1 && value[0] == '0') ||
      (length == 5 && !strncmp(value, "false", 5))) {
    out = false;
    return true;
  }
  return false;
}

} // namespace

OptionsError parse_options(const char *text, Options &options) {
  OptionsError error;
  if (!text)
    return error;
  const char *item = text;
  while (*item) {
    size_t length = strcspn(item, ":,");
    const char *equals = (const char *)memchr(item, '=', length);
    if (length > 0) {
      if (!equals) {
        set_error(error, "missing '=' in", item, length);
        return error;
      }
      size_t name_length = (size_t)(equals - item);
      const char *value = equals + 1;
      size_t value_length = length - name_length - 1;
      if (name_length == 4 && !strncmp(item, "scan", 4)) {
        if (!parse_scan(value, value_length, options.scan)) {
          set_error(error, "expected off, warn or abort in", item, length);
          return error;
        }
        item += length;
        if (*item)
          ++item;
        continue;
      }
      const BoolOption *match = nullptr;
      for (const BoolOption &option : kBoolOptions)
        if (strlen(option.name) == name_length &&
            !strncmp(option.name, item, name_length))
          match = &option;
      if (!match) {
        set_error(error, "unknown option", item, name_length);
        return error;
      }
      if (!parse_bool(value, value_length, options.*(match->field))) {
        set_error(error, "expected 0 or 1 in", item, length);
        return error;
      }
    }
    item += length;
    if (*item)
      ++item;
  }
  return error;
}

} // namespace pkguard
