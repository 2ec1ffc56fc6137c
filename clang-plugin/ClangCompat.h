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
#include "clang/Basic/Diagnostic.h"
#include "clang/Basic/Version.h"
#include "clang/Sema/ParsedAttr.h"

#include <optional>

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

// The attribute that Clang's "unknown attribute ignored" warning names:
// Clang 22 passes the attribute with its scope, Clang 19 only its name (the
// scope is then read from the source). Nothing when the warning carries
// neither.
struct UnknownAttributeName {
  llvm::StringRef Name;
  llvm::StringRef Scope;
  bool ScopeKnown; // false: Clang 19, where the scope is not passed
};

inline std::optional<UnknownAttributeName>
unknownAttributeOf(const clang::Diagnostic &Info) {
  if (Info.getNumArgs() == 0)
    return std::nullopt;
#if CLANG_VERSION_MAJOR >= 22
  if (Info.getArgKind(0) != clang::DiagnosticsEngine::ak_attr_info)
    return std::nullopt;
  const auto *Attribute =
      reinterpret_cast<const clang::AttributeCommonInfo *>(Info.getRawArg(0));
  if (!Attribute->getAttrName())
    return std::nullopt;
  const clang::IdentifierInfo *ScopeName = Attribute->getScopeName();
  return UnknownAttributeName{Attribute->getAttrName()->getName(),
                              ScopeName ? ScopeName->getName() : "", true};
#else
  if (Info.getArgKind(0) != clang::DiagnosticsEngine::ak_identifierinfo)
    return std::nullopt;
  return UnknownAttributeName{Info.getArgIdentifier(0)->getName(), "", false};
#endif
}

} // namespace pkguard

#endif
