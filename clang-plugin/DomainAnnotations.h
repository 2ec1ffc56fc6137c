//===- DomainAnnotations.h - annotate("PREFIX[:DOMAIN]") on declarations ---===//
//
// Part of pkguard, under the Apache License v2.0 with LLVM Exceptions.
// See LICENSE for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// Secrets and gates carry their domain in their annotation. These read and
// add such annotations, whether the plugin's attributes wrote them or the
// programmer did by hand.
//
//===----------------------------------------------------------------------===//
#ifndef PKGUARD_CLANG_PLUGIN_DOMAINANNOTATIONS_H
#define PKGUARD_CLANG_PLUGIN_DOMAINANNOTATIONS_H

#include "clang/AST/DeclBase.h"
#include "clang/Basic/SourceLocation.h"
#include "llvm/ADT/StringRef.h"

#include <optional>

namespace pkguard {

// The domain of D's annotation with this prefix ("default" when it names
// none), if D has one.
std::optional<llvm::StringRef> annotatedDomain(const clang::Decl *D,
                                               llvm::StringRef Prefix);

// Annotates D with PREFIX, or PREFIX:DOMAIN for a domain other than the
// default, unless it has that already. When D already has the prefix with
// another domain, adds nothing and returns that domain.
std::optional<llvm::StringRef> addDomainAnnotation(clang::Decl *D,
                                                   llvm::StringRef Prefix,
                                                   llvm::StringRef Domain,
                                                   clang::SourceRange Range);

} // namespace pkguard

#endif
