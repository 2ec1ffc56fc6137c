//===- ShadowStack.h - pkguard's protection-key shadow stack --------------===//
//
// Part of pkguard, under the Apache License v2.0 with LLVM Exceptions.
// See LICENSE for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
#ifndef PKGUARD_PASSES_SHADOWSTACK_H
#define PKGUARD_PASSES_SHADOWSTACK_H

#include "ShadowStackElision.h"

#include "llvm/ADT/StringRef.h"
#include "llvm/IR/PassManager.h"

#include <optional>

namespace pkguard {

// Which functions get a shadow-stack prologue and epilogue check.
enum class ShadowStackPolicy {
  None,   // only functions annotated pkguard.shadow_stack
  Strong, // functions whose frame a memory error can overflow (see docs)
  All,    // every function that returns
};

std::optional<ShadowStackPolicy> parseShadowStackPolicy(llvm::StringRef Name);
llvm::StringRef shadowStackPolicyName(ShadowStackPolicy Policy);

struct ShadowStackOptions {
  ShadowStackPolicy Policy = ShadowStackPolicy::Strong;
  // The proofs that may leave a function the policy selects without a
  // shadow stack (see ShadowStackElision.h).
  ElisionRuleSet Elide = ElisionRuleSet().set();
  // Print what the pass did to the module on stderr (see PassStats.h).
  bool PrintStats = false;
  // Under -flto, leave the shadow stack to the link's LTO backend, after
  // link-time inlining (see ShadowStack.cpp).
  bool AtLink = false;
};

// The policy given by -pkguard-shadow-stack, or Strong, the rules given by
// -pkguard-shadow-stack-elide, -pkguard-shadow-stack-at-link and
// -pkguard-stats.
ShadowStackOptions shadowStackOptionsFromCommandLine();

class ShadowStackPass : public llvm::PassInfoMixin<ShadowStackPass> {
public:
  explicit ShadowStackPass(ShadowStackOptions Options = {})
      : Options(Options) {}
  llvm::PreservedAnalyses run(llvm::Module &M,
                              llvm::ModuleAnalysisManager &MAM);
  // Prints the pipeline text that parses back: pkguard-shadow-stack<POLICY>.
  void printPipeline(llvm::raw_ostream &OS,
                     llvm::function_ref<llvm::StringRef(llvm::StringRef)>);
  static bool isRequired() { return true; }

private:
  ShadowStackOptions Options;
};

} // namespace pkguard

#endif
