//===- FunctionAttributes.h - pkguard's attributes on functions -----------===//
//
// Part of pkguard, under the Apache License v2.0 with LLVM Exceptions.
// See LICENSE for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
#ifndef PKGUARD_CLANG_PLUGIN_FUNCTIONATTRIBUTES_H
#define PKGUARD_CLANG_PLUGIN_FUNCTIONATTRIBUTES_H

#include "clang/Sema/ParsedAttr.h"

namespace pkguard {

// An attribute that takes no arguments, appertains to functions only, and
// lowers to annotate(Annotation). Two attributes named as each other's
// Opposite cannot both be on one function.
class FunctionAnnotationAttrInfo : public clang::ParsedAttrInfo {
public:
  FunctionAnnotationAttrInfo(const char *Annotation,
                             const char *Opposite,
                             llvm::ArrayRef<Spelling> Spellings);
  bool diagAppertainsToDecl(clang::Sema &S, const clang::ParsedAttr &Attr,
                            const clang::Decl *D) const override;
  AttrHandling handleDeclAttribute(clang::Sema &S, clang::Decl *D,
                                   const clang::ParsedAttr &Attr) const override;

private:
  const char *Annotation;
  const char *Opposite;
};

// [[pkguard::shadow_stack]]: instrument this function whatever the policy.
struct ShadowStackAttrInfo : FunctionAnnotationAttrInfo {
  ShadowStackAttrInfo();
};

// [[pkguard::no_shadow_stack]]: never instrument this function.
struct NoShadowStackAttrInfo : FunctionAnnotationAttrInfo {
  NoShadowStackAttrInfo();
};

} // namespace pkguard

#endif
