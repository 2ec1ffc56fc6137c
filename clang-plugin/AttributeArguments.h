//===- AttributeArguments.h - Reading pkguard attributes' arguments -------===//
//
// Part of pkguard, under the Apache License v2.0 with LLVM Exceptions.
// See LICENSE for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// Clang parses the arguments of a plugin's GNU-spelt attribute, but skips,
// without a word, those of a scoped one ([[pkguard::secret("x")]]): it
// looks the attribute up by its unscoped name. So the arguments of scoped
// spellings are read back from the source here, and both forms come out
// the same.
//
//===----------------------------------------------------------------------===//
#ifndef PKGUARD_CLANG_PLUGIN_ATTRIBUTEARGUMENTS_H
#define PKGUARD_CLANG_PLUGIN_ATTRIBUTEARGUMENTS_H

#include "clang/Basic/SourceLocation.h"
#include "clang/Sema/ParsedAttr.h"
#include "llvm/ADT/SmallVector.h"

#include <string>

namespace pkguard {

struct AttributeArgument {
  bool IsString;    // an ordinary string literal
  std::string Text; // its contents when IsString, else its source text
  clang::SourceLocation Loc;
};

// The attribute's arguments, in order; false, after a diagnostic, when they
// cannot be read.
bool readArguments(clang::Sema &S, const clang::ParsedAttr &Attr,
                   llvm::SmallVectorImpl<AttributeArgument> &Arguments);

} // namespace pkguard

#endif
