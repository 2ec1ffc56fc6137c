//===- ShadowStackElision.h - Functions that need no shadow stack ---------===//
//
// Part of pkguard, under the Apache License v2.0 with LLVM Exceptions.
// See LICENSE for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// Proves, per function, that nothing the function itself executes can write
// its return address, so that a policy's shadow copy would only guard
// against writes from elsewhere (another thread, a signal handler). Each
// rule is named; docs/shadow-stack.md says what each one trades.
//
//===----------------------------------------------------------------------===//
#ifndef PKGUARD_PASSES_SHADOWSTACKELISION_H
#define PKGUARD_PASSES_SHADOWSTACKELISION_H

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringRef.h"

#include <bitset>
#include <optional>
#include <string>

namespace llvm {
class Function;
class Instruction;
class Module;
class StackSafetyGlobalInfo;
class Value;
} // namespace llvm

namespace pkguard {

enum class ElisionRule {
  // Calls nothing but intrinsics that write no memory, and every write is
  // proven in bounds of its own frame's objects or of a global.
  Leaf,
  // The same writes, and calls only functions of this module for which the
  // same holds, transitively (recursion included).
  SafeCallees,
};
constexpr unsigned NumElisionRules = 2;
inline constexpr ElisionRule AllElisionRules[NumElisionRules] = {
    ElisionRule::Leaf, ElisionRule::SafeCallees};

using ElisionRuleSet = std::bitset<NumElisionRules>;

llvm::StringRef elisionRuleName(ElisionRule Rule);
// "all", "none", or a comma-separated list of rule names; an error message
// naming the bad value otherwise.
std::optional<ElisionRuleSet> parseElisionRules(llvm::StringRef Text,
                                                std::string &Error);
// The rules given by -pkguard-shadow-stack-elide (default: all).
ElisionRuleSet elisionRulesFromCommandLine();

class ShadowStackElision {
public:
  ShadowStackElision(
      llvm::Module &M, ElisionRuleSet Enabled,
      llvm::function_ref<const llvm::StackSafetyGlobalInfo &()> GetSafety)
      : M(M), Enabled(Enabled), GetSafety(GetSafety) {}

  // The enabled rule that proves F needs no shadow stack, if any. The
  // module is analysed on the first question, so ask before changing it.
  std::optional<ElisionRule> elide(const llvm::Function &F);

private:
  void analyzeModule();
  // Whether F's own writes are all proven in bounds and its calls go only
  // to intrinsics or to functions whose definition here is the one that
  // runs; those callees are added to Callees.
  bool hasOnlySafeWrites(const llvm::Function &F,
                         llvm::SmallVectorImpl<const llvm::Function *> &Callees);
  bool isSafeCall(const llvm::Instruction &Call,
                  llvm::SmallVectorImpl<const llvm::Function *> &Callees);
  // Whether Size bytes written at Address by Write stay inside one of the
  // function's own stack objects or one global variable.
  bool isInBoundsWrite(const llvm::Instruction &Write,
                       const llvm::Value *Address,
                       std::optional<uint64_t> Size);

  llvm::Module &M;
  ElisionRuleSet Enabled;
  llvm::function_ref<const llvm::StackSafetyGlobalInfo &()> GetSafety;
  bool Analyzed = false;
  llvm::DenseMap<const llvm::Function *, ElisionRule> Proven;
};

} // namespace pkguard

#endif
