//===- DomainAnnotations.cpp - annotate("PREFIX[:DOMAIN]") on declarations -===//
//
// Part of pkguard, under the Apache License v2.0 with LLVM Exceptions.
// See LICENSE for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
#include "DomainAnnotations.h"

#include "pkguard/abi.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/Attr.h"

using namespace clang;

namespace pkguard {

std::optional<StringRef> annotatedDomain(const Decl *D, StringRef Prefix) {
  for (const auto *Attr : D->specific_attrs<AnnotateAttr>()) {
    StringRef Text = Attr->getAnnotation();
    std::string_view Domain;
    if (abi::matchDomainAnnotation(
            std::string_view(Text.data(), Text.size()),
            std::string_view(Prefix.data(), Prefix.size()), Domain))
      return StringRef(Domain.data(), Domain.size());
  }
  return std::nullopt;
}

std::optional<StringRef> addDomainAnnotation(Decl *D, StringRef Prefix,
                                             StringRef Domain,
                                             SourceRange Range) {
  if (Domain.empty())
    Domain = abi::DefaultDomain;
  if (std::optional<StringRef> Existing = annotatedDomain(D, Prefix)) {
    if (*Existing == Domain)
      return std::nullopt;
    return Existing;
  }
  std::string Text = Prefix.str();
  if (Domain != abi::DefaultDomain)
    Text += abi::DomainSeparator + Domain.str();
  ASTContext &Context = D->getASTContext();
  D->addAttr(AnnotateAttr::Create(Context, Text, nullptr, 0, Range));
  return std::nullopt;
}

} // namespace pkguard
