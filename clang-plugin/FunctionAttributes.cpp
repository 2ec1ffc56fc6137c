//===- FunctionAttributes.cpp - pkguard's attributes on functions ---------===//
//
// Part of pkguard, under the Apache License v2.0 with LLVM Exceptions.
// See LICENSE for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// Per-function choices for the shadow stack. Each is spelt
// [[pkguard::NAME]] (C++11 and C23) and __attribute__((pkguard_NAME)), and
// becomes annotate("pkguard.NAME") for the pass plugin.
//
//===----------------------------------------------------------------------===//
#include "FunctionAttributes.h"

#include "pkguard/abi.h"
#include "AttributeArguments.h"
#include "Diagnostics.h"

#include "clang/AST/Attr.h"
#include "clang/AST/DeclBase.h"
#include "clang/Basic/Diagnostic.h"
#include "clang/Sema/Sema.h"

using namespace clang;

namespace pkguard {

FunctionAnnotationAttrInfo::FunctionAnnotationAttrInfo(
    const char *Annotation, const char *Opposite,
    ArrayRef<Spelling> AttrSpellings)
    : Annotation(Annotation), Opposite(Opposite) {
  Spellings = AttrSpellings;
  // One optional argument makes Clang parse, rather than reject, arguments
  // of the GNU spelling, so that handleDeclAttribute can refuse them in
  // pkguard's words.
  OptArgs = 1;
}

bool FunctionAnnotationAttrInfo::diagAppertainsToDecl(Sema &S,
                                                      const ParsedAttr &Attr,
                                                      const Decl *D) const {
  if (isa<FunctionDecl>(D))
    return true;
  error(S, Attr.getLoc(), "%0 applies only to functions") << Attr;
  return false;
}

ParsedAttrInfo::AttrHandling
FunctionAnnotationAttrInfo::handleDeclAttribute(Sema &S, Decl *D,
                                                const ParsedAttr &Attr) const {
  SmallVector<AttributeArgument, 1> Arguments;
  if (!readArguments(S, Attr, Arguments))
    return AttributeNotApplied;
  if (!Arguments.empty()) {
    error(S, Attr.getLoc(), "%0 takes no arguments") << Attr;
    return AttributeNotApplied;
  }
  for (const auto *Existing : D->specific_attrs<AnnotateAttr>()) {
    if (Existing->getAnnotation() == Opposite) {
      error(S, Attr.getLoc(),
            "%0 contradicts an earlier pkguard attribute on this function")
          << Attr;
      S.Diag(Existing->getLocation(), diag::note_previous_attribute);
      return AttributeNotApplied;
    }
    if (Existing->getAnnotation() == Annotation)
      return AttributeApplied; // repeated: harmless
  }
  D->addAttr(AnnotateAttr::Create(S.Context, Annotation, nullptr, 0,
                                  Attr.getRange()));
  return AttributeApplied;
}

namespace {
constexpr ParsedAttrInfo::Spelling ShadowStackSpellings[] = {
    {ParsedAttr::AS_GNU, "pkguard_shadow_stack"},
    {ParsedAttr::AS_CXX11, "pkguard::shadow_stack"},
    {ParsedAttr::AS_C23, "pkguard::shadow_stack"}};
constexpr ParsedAttrInfo::Spelling NoShadowStackSpellings[] = {
    {ParsedAttr::AS_GNU, "pkguard_no_shadow_stack"},
    {ParsedAttr::AS_CXX11, "pkguard::no_shadow_stack"},
    {ParsedAttr::AS_C23, "pkguard::no_shadow_stack"}};
} // namespace

ShadowStackAttrInfo::ShadowStackAttrInfo()
    : FunctionAnnotationAttrInfo(abi::ShadowStackAnnotation,
                                 abi::NoShadowStackAnnotation,
                                 ShadowStackSpellings) {}

NoShadowStackAttrInfo::NoShadowStackAttrInfo()
    : FunctionAnnotationAttrInfo(abi::NoShadowStackAnnotation,
                                 abi::ShadowStackAnnotation,
                                 NoShadowStackSpellings) {}

} // namespace pkguard
