//===- mode.cpp - Saying which protection is in force ---------------------===//
//
// Part of pkguard, under the Apache License v2.0 with LLVM Exceptions.
// See LICENSE for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// What PKGUARD_OPTIONS=verbose=1 prints at start-up and what
// pkguard_describe_mode returns.
//
//===----------------------------------------------------------------------===//
#include "mode.h"

#include "report.h"
#include "state.h"

#include <pkguard/pkguard.h>

#include <string.h>

namespace pkguard {

const char *describe_mode() {
  // A plain array rather than a static Report: no guard (the runtime links
  // no C++ library) and less bss than a whole report buffer.
  static char description[1024];
  Report text;
  const ProtectedState &s = state();
  switch (s.mode) {
  case PKGUARD_MODE_UNINITIALIZED:
    text.text("mode: uninitialized");
    break;
  case PKGUARD_MODE_PROTECTED:
    text.text("mode: protected (shadow stack under protection key ")
        .number(s.shadow_key)
        .text(")");
    break;
  case PKGUARD_MODE_UNPROTECTED:
    text.text("mode: unprotected (")
        .text(describe(s.support))
        .text("): the shadow stack is checked but writable");
    break;
  }
  if (s.mode != PKGUARD_MODE_UNINITIALIZED)
    text.text(pkguard_get_secret_memory() == PKGUARD_SECRETS_OUTSIDE_DIRECT_MAP
                  ? "; secrets outside the kernel's direct map (memfd_secret)"
                  : "; secrets in ordinary pages, which /proc/self/mem and "
                    "process_vm_readv can read (memfd_secret is unavailable: "
                    "it needs Linux 5.14, and on some kernels, Debian 12's "
                    "among them, the boot option secretmem.enable=1)");
  size_t length = strlen(text.c_str());
  if (length >= sizeof description)
    length = sizeof description - 1;
  memcpy(description, text.c_str(), length);
  description[length] = '\0';
  return description;
}

} // namespace pkguard
