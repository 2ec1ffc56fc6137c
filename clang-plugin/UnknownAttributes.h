//===- UnknownAttributes.h - Misspelt pkguard attributes are errors -------===//
//
// Part of pkguard, under the Apache License v2.0 with LLVM Exceptions.
// See LICENSE for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
#ifndef PKGUARD_CLANG_PLUGIN_UNKNOWNATTRIBUTES_H
#define PKGUARD_CLANG_PLUGIN_UNKNOWNATTRIBUTES_H

#include "clang/Frontend/FrontendAction.h"

namespace pkguard {

// Turns Clang's "unknown attribute ignored" warning into an error for any
// attribute spelt in pkguard's namespace or with its prefix (see
// UnknownAttributes.cpp).
class UnknownAttributesAction : public clang::PluginASTAction {
protected:
  std::unique_ptr<clang::ASTConsumer>
  CreateASTConsumer(clang::CompilerInstance &CI, llvm::StringRef) override;
  bool ParseArgs(const clang::CompilerInstance &CI,
                 const std::vector<std::string> &Args) override;
  ActionType getActionType() override;
};

} // namespace pkguard

#endif
