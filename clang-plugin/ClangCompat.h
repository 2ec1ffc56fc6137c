//===- ClangCompat.h - What differs between Clang 19 and 22 -----*- C++ -*-===//
//
// Part of pkguard, under the Apache License v2.0 with LLVM Exceptions.
// See LICENSE for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// The Clang plugin builds against Clang 19 or 22 (PKGUARD_LLVM_VERSION at
// configure time). Every difference between the two that the plugin meets
// is settled here, so that the plugin itself reads the same for both.
//
//===----------------------------------------------------------------------===//
#ifndef PKGUARD_CLANG_PLUGIN_CLANGCOMPAT_H
#define PKGUARD_CLANG_PLUGIN_CLANGCOMPAT_H

#include "clang/Basic/SourceLocation.h"
#include "clang/Basic/Version.h"
#include "clang/Sema/ParsedAttr.h"

namespace pkguard {

// An identifier argument of an attribute: Clang 22 hides IdentifierLoc's
// fields behind accessors.
inline clang::IdentifierInfo *identifierOf(const clang::IdentifierLoc &Loc) {
#if CLANG_VERSION_MAJOR >= 22
  return Loc.getIdentifierInfo();
#else
  return Loc.Ident;
#endif
}

inline clang::SourceLocation locationOf(const clang::IdentifierLoc &Loc) {
#if CLANG_VERSION_MAJOR >= 22
  return Loc.getLoc();
#else
  return Loc.Loc;
#endif
}

} // namespace pkguard

#endif
