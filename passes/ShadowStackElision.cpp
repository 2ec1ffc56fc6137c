//===- ShadowStackElision.cpp - Functions that need no shadow stack -------===//
//
// Part of pkguard, under the Apache License v2.0 with LLVM Exceptions.
// See LICENSE for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// A function's return address can be overwritten while the function runs
// only by a write: one the function executes, one a callee executes, or one
// from outside (another thread, a signal handler). The rules here prove the
// first two impossible, so that a shadow copy would guard against the third
// only; that is the trade docs/shadow-stack.md spells out per rule.
//
// A write is proven harmless when its address is a constant distance into
// one of the function's own stack objects or into a global variable, and
// the access ends inside that object, or when LLVM's stack-safety analysis
// proves an access to a stack object in bounds. Such an address is computed
// from the stack pointer or a link-time constant only, never from a value
// in memory or an argument, so an attacker who corrupts memory beforehand
// cannot redirect it. A store through any other pointer (an argument, a
// loaded pointer, a phi of two objects) is not proven, whatever alias
// analysis says about well-defined programs: the threat is a program that
// is not well defined.
//
// A call is harmless when it goes to an intrinsic that writes no memory, to
// a memory intrinsic whose destination is proven as above, or directly to a
// function defined in this module, whose definition is the one that runs
// (exact, not interposable, local to the executable or library), and that is
// itself proven. The last condition is a greatest fixed point over the call
// graph: every function starts proven, and one that calls an unproven
// function loses its proof until nothing changes, so recursion among proven
// functions stays proven.
//
// Stack safety is a whole-module analysis; it is asked for only when a
// write's address is not a constant offset, which after the optimisation
// pipeline is rare.
//
//===----------------------------------------------------------------------===//
#include "ShadowStackElision.h"

#include "CheckedOptionParser.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/Statistic.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Analysis/StackSafetyAnalysis.h"
#include "llvm/IR/DataLayout.h"
#include "llvm/IR/InstIterator.h"
#include "llvm/IR/Instructions.h"
#include "llvm/IR/IntrinsicInst.h"
#include "llvm/IR/Module.h"
#include "llvm/IR/Operator.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/Debug.h"

using namespace llvm;

#define DEBUG_TYPE "pkguard-shadow-stack-elision"

STATISTIC(NumElidedLeaf, "Functions without a shadow stack by rule 'leaf'");
STATISTIC(NumElidedSafeCallees,
          "Functions without a shadow stack by rule 'safe-callees'");

namespace pkguard {

StringRef elisionRuleName(ElisionRule Rule) {
  switch (Rule) {
  case ElisionRule::Leaf:
    return "leaf";
  case ElisionRule::SafeCallees:
    return "safe-callees";
  }
  llvm_unreachable("unknown elision rule");
}

std::optional<ElisionRuleSet> parseElisionRules(StringRef Text,
                                                std::string &Error) {
  ElisionRuleSet Rules;
  if (Text == "all")
    return Rules.set();
  if (Text == "none")
    return Rules;
  SmallVector<StringRef, NumElisionRules> Names;
  Text.split(Names, ',');
  for (StringRef Name : Names) {
    const ElisionRule *Rule = find_if(AllElisionRules, [&](ElisionRule R) {
      return elisionRuleName(R) == Name;
    });
    if (Rule == std::end(AllElisionRules)) {
      Error = ("pkguard: unknown shadow-stack elision rule '" + Name +
               "' (expected all, none, or a comma-separated list of leaf "
               "and safe-callees)")
                  .str();
      return std::nullopt;
    }
    Rules.set(static_cast<unsigned>(*Rule));
  }
  return Rules;
}

namespace {

// A typo must not silently change what is elided.
std::string rulesComplaint(StringRef Text) {
  std::string Error;
  parseElisionRules(Text, Error);
  return Error;
}

cl::opt<std::string, false, CheckedOptionParser<rulesComplaint>> ClElide(
    "pkguard-shadow-stack-elide",
    cl::desc("which proofs may leave a function the policy selects without "
             "a shadow stack: all (default), none, or a comma-separated "
             "list of leaf and safe-callees"),
    cl::value_desc("rules"), cl::init("all"));

} // namespace

ElisionRuleSet elisionRulesFromCommandLine() {
  std::string Error;
  // The parser admits valid lists only.
  return *parseElisionRules(ClElide, Error);
}

std::optional<ElisionRule> ShadowStackElision::elide(const Function &F) {
  if (!Analyzed)
    analyzeModule();
  auto It = Proven.find(&F);
  if (It == Proven.end() || !Enabled.test(static_cast<unsigned>(It->second)))
    return std::nullopt;
  if (It->second == ElisionRule::Leaf)
    ++NumElidedLeaf;
  else
    ++NumElidedSafeCallees;
  return It->second;
}

void ShadowStackElision::analyzeModule() {
  Analyzed = true;
  DenseMap<const Function *, SmallVector<const Function *, 4>> CalleesOf;
  for (const Function &F : M) {
    if (F.isDeclaration())
      continue;
    SmallVector<const Function *, 4> Callees;
    if (hasOnlySafeWrites(F, Callees))
      CalleesOf[&F] = std::move(Callees);
  }
  // The greatest fixed point: withdraw the proof of every function that
  // calls an unproven one, then of its callers, and so on.
  DenseMap<const Function *, SmallVector<const Function *, 4>> CallersOf;
  SmallVector<const Function *> Withdrawn;
  for (auto &[F, Callees] : CalleesOf) {
    for (const Function *Callee : Callees) {
      CallersOf[Callee].push_back(F);
      if (!CalleesOf.contains(Callee))
        Withdrawn.push_back(F);
    }
  }
  while (!Withdrawn.empty()) {
    const Function *F = Withdrawn.pop_back_val();
    if (!CalleesOf.erase(F))
      continue; // withdrawn before
    LLVM_DEBUG(dbgs() << "pkguard: " << F->getName()
                      << " calls a function that may write anywhere\n");
    append_range(Withdrawn, CallersOf.lookup(F));
  }
  for (auto &[F, Callees] : CalleesOf)
    Proven[F] = Callees.empty() ? ElisionRule::Leaf : ElisionRule::SafeCallees;
}

bool ShadowStackElision::hasOnlySafeWrites(
    const Function &F, SmallVectorImpl<const Function *> &Callees) {
  const DataLayout &DL = M.getDataLayout();
  for (const Instruction &I : instructions(F)) {
    // Every call counts, even to a function whose memory attributes say it
    // writes nothing: those attributes leave out the callee's own stack
    // objects, which an out-of-bounds write in it could pass.
    if (!I.mayWriteToMemory() && !isa<CallBase>(&I))
      continue;
    bool Safe = false;
    if (const auto *Store = dyn_cast<StoreInst>(&I)) {
      TypeSize Size = DL.getTypeStoreSize(Store->getValueOperand()->getType());
      Safe = !Size.isScalable() &&
             isInBoundsWrite(I, Store->getPointerOperand(),
                             Size.getFixedValue());
    } else if (const auto *RMW = dyn_cast<AtomicRMWInst>(&I)) {
      Safe = isInBoundsWrite(I, RMW->getPointerOperand(),
                             DL.getTypeStoreSize(RMW->getValOperand()->getType())
                                 .getFixedValue());
    } else if (const auto *CmpXchg = dyn_cast<AtomicCmpXchgInst>(&I)) {
      Safe = isInBoundsWrite(
          I, CmpXchg->getPointerOperand(),
          DL.getTypeStoreSize(CmpXchg->getNewValOperand()->getType())
              .getFixedValue());
    } else if (isa<FenceInst>(&I) || isa<LoadInst>(&I)) {
      Safe = true; // a volatile or ordered load counts as a write, is none
    } else if (isa<CallBase>(&I)) {
      Safe = isSafeCall(I, Callees);
    }
    if (!Safe) {
      LLVM_DEBUG(dbgs() << "pkguard: " << F.getName()
                        << " may write anywhere: " << I << "\n");
      return false;
    }
  }
  return true;
}

bool ShadowStackElision::isSafeCall(const Instruction &I,
                                    SmallVectorImpl<const Function *> &Callees) {
  const auto &Call = cast<CallBase>(I);
  if (const auto *Intrinsic = dyn_cast<IntrinsicInst>(&Call)) {
    if (const auto *Mem = dyn_cast<MemIntrinsic>(Intrinsic)) {
      std::optional<uint64_t> Size;
      if (const auto *Length = dyn_cast<ConstantInt>(Mem->getLength()))
        Size = Length->getZExtValue();
      return isInBoundsWrite(I, Mem->getRawDest(), Size);
    }
    // An intrinsic's attributes describe the operation itself, so one that
    // does not write memory is harmless. Annotations (lifetime markers,
    // assumptions) are modelled as writes but write nothing.
    return !Intrinsic->mayWriteToMemory() ||
           Intrinsic->isAssumeLikeIntrinsic();
  }
  // An indirect call or inline assembly may do anything.
  const Function *Callee = Call.getCalledFunction();
  if (!Callee || Callee->isDeclaration())
    return false;
  // The proof is about the definition here: another module's copy of a
  // linkonce_odr or weak function, or an interposed one, may be what runs.
  if (!Callee->hasExactDefinition() || Callee->isInterposable() ||
      !Callee->isDSOLocal())
    return false;
  Callees.push_back(Callee);
  return true;
}

// The stack object Address points into through address arithmetic alone,
// if any: not through a phi, a select, a call or memory.
static const AllocaInst *indexedStackObject(const Value *Address) {
  while (true) {
    Address = Address->stripPointerCasts();
    const auto *GEP = dyn_cast<GEPOperator>(Address);
    if (!GEP)
      return dyn_cast<AllocaInst>(Address);
    Address = GEP->getPointerOperand();
  }
}

bool ShadowStackElision::isInBoundsWrite(const Instruction &Write,
                                         const Value *Address,
                                         std::optional<uint64_t> Size) {
  const DataLayout &DL = M.getDataLayout();
  APInt Offset(DL.getIndexTypeSizeInBits(Address->getType()), 0);
  const Value *Base = Address->stripAndAccumulateConstantOffsets(
      DL, Offset, /*AllowNonInbounds=*/true);
  std::optional<TypeSize> ObjectSize;
  if (const auto *Alloca = dyn_cast<AllocaInst>(Base))
    ObjectSize = Alloca->getAllocationSize(DL);
  else if (const auto *Global = dyn_cast<GlobalVariable>(Base))
    if (Global->getValueType()->isSized())
      ObjectSize = DL.getTypeAllocSize(Global->getValueType());
  if (Size && ObjectSize && !ObjectSize->isScalable() &&
      *Size <= ObjectSize->getFixedValue() && Offset.isNonNegative() &&
      Offset.ule(ObjectSize->getFixedValue() - *Size))
    return true;
  // A variable index or length into a stack object: stack safety bounds it
  // with the ranges scalar evolution finds. It judges accesses to stack
  // objects only and calls any other access safe, so the address must be
  // seen to come from one.
  const AllocaInst *Alloca = indexedStackObject(Address);
  return Alloca && Alloca->isStaticAlloca() &&
         GetSafety().stackAccessIsSafe(Write);
}

} // namespace pkguard
