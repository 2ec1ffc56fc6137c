//===- Secrets.h - Key-protected secrets and their gates ------------------===//
//
// Part of pkguard, under the Apache License v2.0 with LLVM Exceptions.
// See LICENSE for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
#ifndef PKGUARD_PASSES_SECRETS_H
#define PKGUARD_PASSES_SECRETS_H

#include "llvm/IR/PassManager.h"

namespace pkguard {

// Checks that only gates use secrets, moves every secret into pages of its
// own, records the module's secrets and domains for the runtime, and wraps
// every gate in the checked WRPKRU sequences that open and close its
// domain. Runs at the start of the pipeline, before any optimisation can
// move a secret's use or fold its value.
class SecretsPass : public llvm::PassInfoMixin<SecretsPass> {
public:
  llvm::PreservedAnalyses run(llvm::Module &M,
                              llvm::ModuleAnalysisManager &MAM);
  void printPipeline(llvm::raw_ostream &OS,
                     llvm::function_ref<llvm::StringRef(llvm::StringRef)>) {
    OS << "pkguard-secrets";
  }
  static bool isRequired() { return true; }
};

} // namespace pkguard

#endif
