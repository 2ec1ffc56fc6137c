//===- mode.h - Saying which protection is in force -----------------------===//
//
// Part of pkguard, under the Apache License v2.0 with LLVM Exceptions.
// See LICENSE for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
#ifndef PKGUARD_RUNTIME_MODE_H
#define PKGUARD_RUNTIME_MODE_H

namespace pkguard {

// "mode: protected (...)" or "mode: unprotected (<why>) ...".
const char *describe_mode();

} // namespace pkguard

#endif
