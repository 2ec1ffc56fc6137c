//===- SecretAttributes.cpp - [[secret]] and [[pkguard::secret_access]] ---===//
//
// Part of pkguard, under the Apache License v2.0 with LLVM Exceptions.
// See LICENSE for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// A secret is a variable with static storage duration that pkguard keeps on
// pages whose protection key denies all access outside gates. Everything
// the design cannot protect is refused here, at the attribute: locals and
// parameters (they live on the stack), fields (a page cannot protect part of
// an object), functions, and thread_local variables (per-thread storage is
// not in the secret pages). What needs the whole declaration (initialisers,
// sections) is checked once the translation unit is complete, in
// SecretChecks.cpp.
//
//===----------------------------------------------------------------------===//
#include "SecretAttributes.h"

#include "pkguard/abi.h"
#include "AttributeArguments.h"
#include "DomainAnnotations.h"
#include "Diagnostics.h"

#include "clang/AST/Attr.h"
#include "clang/AST/Decl.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/Expr.h"
#include "clang/Sema/Sema.h"

using namespace clang;

namespace pkguard {
namespace {

constexpr ParsedAttrInfo::Spelling SecretSpellings[] = {
    {ParsedAttr::AS_GNU, "secret"},
    {ParsedAttr::AS_CXX11, "secret"},
    {ParsedAttr::AS_C23, "secret"},
    {ParsedAttr::AS_GNU, "pkguard_secret"},
    {ParsedAttr::AS_CXX11, "pkguard::secret"},
    {ParsedAttr::AS_C23, "pkguard::secret"}};

constexpr ParsedAttrInfo::Spelling SecretAccessSpellings[] = {
    {ParsedAttr::AS_GNU, "pkguard_secret_access"},
    {ParsedAttr::AS_CXX11, "pkguard::secret_access"},
    {ParsedAttr::AS_C23, "pkguard::secret_access"}};

// Reads the optional domain argument. Returns false, after a diagnostic,
// when it is present but not a valid domain name.
bool readDomain(Sema &S, const ParsedAttr &Attr, std::string &Domain) {
  Domain.clear();
  SmallVector<AttributeArgument, 1> Arguments;
  if (!readArguments(S, Attr, Arguments))
    return false;
  if (Arguments.empty())
    return true;
  if (Arguments.size() > 1) {
    error(S, Arguments[1].Loc, "%0 takes at most one domain name") << Attr;
    return false;
  }
  if (!Arguments[0].IsString) {
    error(S, Arguments[0].Loc,
          "the domain of %0 must be a plain string literal, as in "
          "(\"tls_keys\")")
        << Attr;
    return false;
  }
  Domain = Arguments[0].Text;
  if (!abi::isValidDomainName(Domain)) {
    error(S, Arguments[0].Loc,
          "invalid secret domain name '%0': use 1 to %1 letters, digits "
          "and underscores")
        << Domain << unsigned(abi::MaxDomainNameLength);
    return false;
  }
  return true;
}

} // namespace

SecretAttrInfo::SecretAttrInfo() {
  OptArgs = 1;
  Spellings = SecretSpellings;
}

bool SecretAttrInfo::diagAppertainsToDecl(Sema &S, const ParsedAttr &Attr,
                                          const Decl *D) const {
  if (isa<FunctionDecl>(D)) {
    error(S, Attr.getLoc(),
          "%0 applies to variables, not functions; a function that may "
          "read secrets is marked [[pkguard::secret_access]]")
        << Attr;
    return false;
  }
  if (isa<FieldDecl>(D)) {
    error(S, Attr.getLoc(),
          "%0 cannot protect a field: protection covers whole pages, so "
          "make the whole object a secret")
        << Attr;
    return false;
  }
  if (isa<ParmVarDecl>(D)) {
    error(S, Attr.getLoc(),
          "%0 cannot protect a parameter: it lives on the stack")
        << Attr;
    return false;
  }
  const auto *Var = dyn_cast<VarDecl>(D);
  if (!Var) {
    error(S, Attr.getLoc(),
          "%0 applies only to variables with static storage duration")
        << Attr;
    return false;
  }
  if (Var->getTLSKind() != VarDecl::TLS_None) {
    error(S, Attr.getLoc(),
          "%0 cannot protect a thread-local variable: each thread's copy "
          "lives outside the secret pages")
        << Attr;
    return false;
  }
  if (!Var->hasGlobalStorage()) {
    error(S, Attr.getLoc(),
          "%0 cannot protect a local variable: it lives on the stack; "
          "make it static")
        << Attr;
    return false;
  }
  return true;
}

ParsedAttrInfo::AttrHandling
SecretAttrInfo::handleDeclAttribute(Sema &S, Decl *D,
                                    const ParsedAttr &Attr) const {
  std::string Domain;
  if (!readDomain(S, Attr, Domain))
    return AttributeNotApplied;
  auto *Var = cast<VarDecl>(D);
  if (Var->getType()->isReferenceType()) {
    error(S, Attr.getLoc(),
          "%0 cannot protect a reference: the object it refers to lives "
          "elsewhere")
        << Attr;
    return AttributeNotApplied;
  }
  if (std::optional<StringRef> Other = addDomainAnnotation(
          D, abi::SecretAnnotation, Domain, Attr.getRange())) {
    error(S, Attr.getLoc(), "a secret belongs to one domain; '%0' is "
                            "already in domain '%1'")
        << Var->getName() << *Other;
    return AttributeNotApplied;
  }
  return AttributeApplied;
}

SecretAccessAttrInfo::SecretAccessAttrInfo() {
  OptArgs = 1;
  Spellings = SecretAccessSpellings;
}

bool SecretAccessAttrInfo::diagAppertainsToDecl(Sema &S,
                                                const ParsedAttr &Attr,
                                                const Decl *D) const {
  if (isa<FunctionDecl>(D))
    return true;
  error(S, Attr.getLoc(), "%0 applies only to functions")
      << Attr;
  return false;
}

ParsedAttrInfo::AttrHandling
SecretAccessAttrInfo::handleDeclAttribute(Sema &S, Decl *D,
                                          const ParsedAttr &Attr) const {
  std::string Domain;
  if (!readDomain(S, Attr, Domain))
    return AttributeNotApplied;
  if (std::optional<StringRef> Other = addDomainAnnotation(
          D, abi::SecretAccessAnnotation, Domain, Attr.getRange())) {
    error(S, Attr.getLoc(),
          "a gate opens one domain; '%0' already opens domain '%1'")
        << cast<FunctionDecl>(D)->getName() << *Other;
    return AttributeNotApplied;
  }
  return AttributeApplied;
}

} // namespace pkguard
