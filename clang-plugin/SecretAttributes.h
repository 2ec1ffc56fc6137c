//===- SecretAttributes.h - [[secret]] and [[pkguard::secret_access]] -----===//
//
// Part of pkguard, under the Apache License v2.0 with LLVM Exceptions.
// See LICENSE for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
#ifndef PKGUARD_CLANG_PLUGIN_SECRETATTRIBUTES_H
#define PKGUARD_CLANG_PLUGIN_SECRETATTRIBUTES_H

#include "clang/Sema/ParsedAttr.h"

namespace pkguard {

// [[secret]], [[pkguard::secret]], __attribute__((secret)) and the C23
// spellings, with an optional domain: [[pkguard::secret("tls_keys")]].
// Appertains to variables with static storage duration; lowers to
// annotate("pkey") or annotate("pkey:DOMAIN").
class SecretAttrInfo : public clang::ParsedAttrInfo {
public:
  SecretAttrInfo();
  bool diagAppertainsToDecl(clang::Sema &S, const clang::ParsedAttr &Attr,
                            const clang::Decl *D) const override;
  AttrHandling handleDeclAttribute(clang::Sema &S, clang::Decl *D,
                                   const clang::ParsedAttr &Attr) const override;
};

// [[pkguard::secret_access]] or [[pkguard::secret_access("DOMAIN")]]: the
// function is a gate that opens one domain for its whole run. Lowers to
// annotate("pkguard.secret_access") or annotate("pkguard.secret_access:D").
class SecretAccessAttrInfo : public clang::ParsedAttrInfo {
public:
  SecretAccessAttrInfo();
  bool diagAppertainsToDecl(clang::Sema &S, const clang::ParsedAttr &Attr,
                            const clang::Decl *D) const override;
  AttrHandling handleDeclAttribute(clang::Sema &S, clang::Decl *D,
                                   const clang::ParsedAttr &Attr) const override;
};

} // namespace pkguard

#endif
