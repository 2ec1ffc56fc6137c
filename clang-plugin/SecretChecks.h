//===- SecretChecks.h - Compile-time rules for secrets ---------------------===//
//
// Part of pkguard, under the Apache License v2.0 with LLVM Exceptions.
// See LICENSE for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
#ifndef PKGUARD_CLANG_PLUGIN_SECRETCHECKS_H
#define PKGUARD_CLANG_PLUGIN_SECRETCHECKS_H

#include "clang/Frontend/FrontendAction.h"

namespace pkguard {

// The plugin takes no -fplugin-arg-...: reports each given and returns
// false when there are any. Every action of the plugin refuses them so.
bool refusePluginArguments(const clang::CompilerInstance &CI,
                           const std::vector<std::string> &Args);

// Runs with every compilation that loads the plugin and reports misuse of
// secrets once the translation unit is parsed (see SecretChecks.cpp).
class SecretChecksAction : public clang::PluginASTAction {
protected:
  std::unique_ptr<clang::ASTConsumer>
  CreateASTConsumer(clang::CompilerInstance &CI, llvm::StringRef) override;
  bool ParseArgs(const clang::CompilerInstance &CI,
                 const std::vector<std::string> &Args) override;
  ActionType getActionType() override;
};

} // namespace pkguard

#endif
