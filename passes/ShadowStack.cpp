//===- ShadowStack.cpp - pkguard's protection-key shadow stack ------------===//
//
// Part of pkguard, under the Apache License v2.0 with LLVM Exceptions.
// See LICENSE for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// Keeps every instrumented function's return address on a shadow stack that
// ordinary stores cannot write. The shadow stack is parallel: the copy of
// the return address stored at S lives at S + delta, a distance the runtime
// fixes at start-up, in pages it maps for every stack and tags with a
// write-disabled protection key. No shadow-stack pointer exists, so there is
// none to corrupt, and unwinding, longjmp and signal frames need no
// bookkeeping.
//
// The prologue copies the return address to its shadow slot inside a gate:
// RDPKRU, clear the shadow key's bits, WRPKRU, store, set write-disable,
// WRPKRU. Every other key's bits are preserved. Without protection keys the
// runtime switches the gate off (a flag the prologue loads into ECX, which
// the WRPKRU sequence needs to be zero anyway) and the store is plain.
//
// Before every return and every musttail call the function compares the
// return address on the stack with its shadow copy and calls the runtime's
// report, which names the function and aborts, when they differ.
//
// Under -flto the pass runs in each module's pre-link pipeline and, when
// the link loads the plugin (pkguard's linker runs lld with
// --load-pass-plugin), in the link's LTO backend too. The shadow stack
// belongs after link-time inlining, where only the frames that survive
// remain: before the link the pass stamps each function with the policy
// and elision rules its compilation asked for (the link takes no
// -mllvm options from a plugin), and the link instruments the stamped
// functions alone. pkguard-clang asks for this with -flto
// (-pkguard-shadow-stack-at-link); without it (the one-flag route, opt) the
// pass instruments before the link and keeps instrumented functions from
// inlining, and a link that loads the plugin instruments what is left by
// its policy.
//
// USAGE: opt -load-pass-plugin=PkguardPass.so
//            -passes='pkguard-shadow-stack<all|strong|none>' in.ll
//
//===----------------------------------------------------------------------===//
#include "ShadowStack.h"

#include "Annotations.h"
#include "CheckedOptionParser.h"
#include "pkguard/abi.h"
#include "PassStats.h"
#include "ShadowStackEmitter.h"
#include "TargetCheck.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallPtrSet.h"
#include "llvm/ADT/Statistic.h"
#include "llvm/ADT/StringSwitch.h"
#include "llvm/Analysis/GlobalsModRef.h"
#include "llvm/Analysis/OptimizationRemarkEmitter.h"
#include "llvm/Analysis/StackSafetyAnalysis.h"
#include "llvm/IR/Constants.h"
#include "llvm/IR/DerivedTypes.h"
#include "llvm/IR/InstIterator.h"
#include "llvm/IR/Instructions.h"
#include "llvm/IR/IntrinsicInst.h"
#include "llvm/IR/Module.h"
#include "llvm/IR/Operator.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/Transforms/Utils/ModuleUtils.h"

#include <map>
#include <memory>

using namespace llvm;

#define DEBUG_TYPE "pkguard-shadow-stack"

STATISTIC(NumInstrumented, "Functions given a shadow stack");
STATISTIC(NumElided, "Functions the policy leaves without a shadow stack");
STATISTIC(NumProvenSafe, "Functions the policy selects that an elision rule "
                         "proves need no shadow stack");
STATISTIC(NumSkipped, "Functions that cannot have a shadow stack");

namespace pkguard {

std::optional<ShadowStackPolicy> parseShadowStackPolicy(StringRef Name) {
  return StringSwitch<std::optional<ShadowStackPolicy>>(Name)
      .Case("all", ShadowStackPolicy::All)
      .Case("strong", ShadowStackPolicy::Strong)
      .Case("none", ShadowStackPolicy::None)
      .Default(std::nullopt);
}

StringRef shadowStackPolicyName(ShadowStackPolicy Policy) {
  switch (Policy) {
  case ShadowStackPolicy::All:
    return "all";
  case ShadowStackPolicy::Strong:
    return "strong";
  case ShadowStackPolicy::None:
    return "none";
  }
  llvm_unreachable("unknown shadow-stack policy");
}

namespace {

std::string policyComplaint(StringRef Name) {
  if (parseShadowStackPolicy(Name))
    return "";
  return ("pkguard: unknown shadow-stack policy '" + Name +
          "' (expected all, strong or none)")
      .str();
}

cl::opt<std::string, false, CheckedOptionParser<policyComplaint>> ClPolicy(
    "pkguard-shadow-stack",
    cl::desc("which functions get a shadow stack: all, strong (default: "
             "those whose frame a memory error can overflow) or none"),
    cl::value_desc("policy"), cl::init("strong"));

cl::opt<bool> ClAtLink(
    "pkguard-shadow-stack-at-link",
    cl::desc("under -flto, leave the shadow stack to the link, after "
             "link-time inlining (pkguard-clang gives it with -flto; the link "
             "must load PkguardPass.so, as pkguard's linker does, or it fails "
             "on an undefined symbol); without it, instrument before the "
             "link"),
    cl::init(false));

// What the pass stamps on a function before the link of -flto: the policy
// and the elision rules, as "POLICY:RULES" (RULES the set's bits).
constexpr char LinkStampAttribute[] = "pkguard-shadow-stack-at-link";
// A module with stamps also refers to this symbol, which nothing defines,
// from a global the link's pass removes: a link that does not run the pass
// (no plugin, or a ThinLTO backend at -O0, which runs no extension point)
// fails on it instead of making a program without its shadow stack.
constexpr char LinkMarkerSymbol[] =
    "__pkguard_lto_objects_need_the_link_through_pkguard";
constexpr char LinkMarkerName[] = "pkguard.link_marker";

} // namespace

ShadowStackOptions shadowStackOptionsFromCommandLine() {
  ShadowStackOptions Options;
  Options.PrintStats = printStatsRequested();
  // The parser admits known policies only.
  Options.Policy = *parseShadowStackPolicy(ClPolicy);
  Options.Elide = elisionRulesFromCommandLine();
  Options.AtLink = ClAtLink;
  return Options;
}

namespace {

class ShadowStack {
public:
  ShadowStack(Module &M, ShadowStackOptions Options,
              function_ref<const StackSafetyGlobalInfo &()> GetSafety)
      : M(M), Options(Options), GetSafety(GetSafety), Notes(M),
        Elision(M, Options.Elide, GetSafety) {
    for (ElisionRule Rule : AllElisionRules)
      Stats.provenSafe(elisionRuleName(Rule), 0); // in the rules' order
  }

  bool run();

private:
  // Where in a build the pass runs: in a compilation that makes code, in
  // one whose link will make it (-flto), or in that link.
  enum class Stage { Compile, BeforeLink, AtLink };
  Stage stage() const;
  // Before the link: stamps every function the link may instrument.
  void stampForTheLink();
  // At the link: the options a function's compilation stamped on it.
  std::optional<ShadowStackOptions> stampedOptions(const Function &F) const;
  // Why F gets no shadow stack whatever the policy says, or nullptr.
  const char *whyNotInstrumentable(const Function &F) const;
  bool policySelects(const Function &F, ShadowStackPolicy Policy);
  ShadowStackElision &elisionFor(ElisionRuleSet Rules);
  bool frameHasOverflowableBuffer(const Function &F);
  using SelectedFunction = std::pair<Function *, SmallVector<Instruction *, 4>>;
  void instrumentModule(ArrayRef<SelectedFunction> Selected);
  void instrument(Function &F, ArrayRef<Instruction *> Exits);

  Module &M;
  ShadowStackOptions Options;
  function_ref<const StackSafetyGlobalInfo &()> GetSafety;
  Annotations Notes;
  ShadowStackElision Elision;
  // At the link, for rule sets other than Options.Elide.
  std::map<unsigned long long, std::unique_ptr<ShadowStackElision>>
      StampedElision;
  std::optional<ShadowStackEmitter> Emitter;
  PassStats Stats{"shadow stack"};
};

} // namespace

// Each function's outcome as an optimization remark, for
// -Rpass=pkguard-shadow-stack and -Rpass-missed=pkguard-shadow-stack
// (opt: -pass-remarks=, -pass-remarks-missed=): the names that
// -pkguard-stats only counts.
static void remarkInstrumented(const Function &F) {
  OptimizationRemarkEmitter(&F).emit([&] {
    return OptimizationRemark(DEBUG_TYPE, "Instrumented", &F)
           << "'" << ore::NV("Function", F.getName())
           << "' has a shadow stack";
  });
}

static void remarkProvenSafe(const Function &F, ElisionRule Rule) {
  OptimizationRemarkEmitter(&F).emit([&] {
    return OptimizationRemark(DEBUG_TYPE, "ProvenSafe", &F)
           << "'" << ore::NV("Function", F.getName())
           << "' needs no shadow stack: proven safe by elision rule '"
           << ore::NV("Rule", elisionRuleName(Rule)) << "'";
  });
}

static void remarkNotInstrumented(const Function &F, StringRef Name,
                                  const Twine &Why) {
  OptimizationRemarkEmitter(&F).emit([&] {
    return OptimizationRemarkMissed(DEBUG_TYPE, Name, &F)
           << "'" << ore::NV("Function", F.getName())
           << "' has no shadow stack: " << Why.str();
  });
}

static SmallVector<Instruction *, 4> collectExits(Function &F) {
  SmallVector<Instruction *, 4> Exits;
  for (BasicBlock &BB : F) {
    if (CallInst *MustTail = BB.getTerminatingMustTailCall())
      Exits.push_back(MustTail);
    else if (auto *Return = dyn_cast<ReturnInst>(BB.getTerminator()))
      Exits.push_back(Return);
  }
  return Exits;
}

const char *ShadowStack::whyNotInstrumentable(const Function &F) const {
  if (F.hasFnAttribute(Attribute::Naked))
    return "naked";
  if (F.hasFnAttribute(Attribute::DisableSanitizerInstrumentation))
    return "disable_sanitizer_instrumentation";
  // A function that itself returns twice (a setjmp) has no single return
  // address to protect.
  if (F.hasFnAttribute(Attribute::ReturnsTwice))
    return "returns twice";
  if (F.hasFnAttribute(ShadowedAttribute))
    return "already instrumented";
  if (F.getName().starts_with(abi::RuntimePrefix) ||
      F.getName() == abi::ModuleCtorName)
    return "pkguard's own";
  if (Notes.has(F, abi::NoShadowStackAnnotation))
    return "no_shadow_stack";
  return nullptr;
}

static bool containsArray(const Type *T) {
  if (T->isArrayTy())
    return true;
  if (const auto *Struct = dyn_cast<StructType>(T))
    return any_of(Struct->elements(), containsArray);
  return false;
}

// Whether the function indexes the object at an offset known only at run
// time: a buffer in all but its type. Clang gives a union the type of its
// most aligned member, which hides an array member that is not the
// largest; a structure read as bytes is the other case.
static bool isIndexedVariably(const AllocaInst &Alloca) {
  SmallVector<const Value *, 8> Worklist{&Alloca};
  SmallPtrSet<const Value *, 8> Visited{&Alloca};
  while (!Worklist.empty()) {
    const Value *Address = Worklist.pop_back_val();
    for (const User *User : Address->users()) {
      if (const auto *GEP = dyn_cast<GEPOperator>(User)) {
        if (!GEP->hasAllConstantIndices())
          return true;
      } else if (!isa<BitCastOperator>(User) && !isa<PHINode>(User) &&
                 !isa<SelectInst>(User)) {
        continue; // a use of the address, not arithmetic on it
      }
      if (Visited.insert(User).second)
        Worklist.push_back(User);
    }
  }
  return false;
}

// A buffer as the stack protector's strong mode counts them: an array, an
// aggregate holding one, or an allocation of several objects or of a size
// known only at run time; and any object this function indexes at a
// variable offset. Left out is that mode's third reason, a local whose
// address is taken: overflowing a scalar or an array-free structure takes
// a callee that writes more than its type through its address
// (read(fd, &x, 64)), not an index past an end. docs/shadow-stack.md
// weighs the trade.
static bool isBuffer(const AllocaInst &Alloca) {
  return !Alloca.isStaticAlloca() || Alloca.isArrayAllocation() ||
         containsArray(Alloca.getAllocatedType()) || isIndexedVariably(Alloca);
}

bool ShadowStack::frameHasOverflowableBuffer(const Function &F) {
  for (const Instruction &I : instructions(F))
    if (const auto *Alloca = dyn_cast<AllocaInst>(&I))
      if (isBuffer(*Alloca) &&
          (!Alloca->isStaticAlloca() || !GetSafety().isSafe(*Alloca)))
        return true;
  return false;
}

bool ShadowStack::policySelects(const Function &F, ShadowStackPolicy Policy) {
  switch (Policy) {
  case ShadowStackPolicy::None:
    return false;
  case ShadowStackPolicy::All:
    return true;
  case ShadowStackPolicy::Strong:
    return frameHasOverflowableBuffer(F);
  }
  llvm_unreachable("unknown shadow-stack policy");
}

void ShadowStack::instrument(Function &F, ArrayRef<Instruction *> Exits) {
  if (!Emitter)
    Emitter.emplace(M);
  Constant *FunctionName = Emitter->functionName(F);
  Emitter->insertPrologue(F, FunctionName);
  for (Instruction *Exit : Exits)
    Emitter->insertReturnCheck(Exit, FunctionName);
  F.addFnAttr(ShadowedAttribute);
  // Under -flto this runs before the link, and the link-time inliner would
  // paste the prologue into a caller, where it copies the caller's return
  // address, corrupted or not, over the caller's shadow.
  F.removeFnAttr(Attribute::AlwaysInline);
  F.addFnAttr(Attribute::NoInline);
}

// A module that carries a function stamped before the link is at the link;
// one that is to be linked with LTO and carries none is before it.
ShadowStack::Stage ShadowStack::stage() const {
  for (const Function &F : M)
    if (F.hasFnAttribute(LinkStampAttribute))
      return Stage::AtLink;
  if (Options.AtLink && M.getModuleFlag("EnableSplitLTOUnit"))
    return Stage::BeforeLink;
  return Stage::Compile;
}

void ShadowStack::stampForTheLink() {
  std::string Stamp = (shadowStackPolicyName(Options.Policy) + ":" +
                       Twine(Options.Elide.to_ullong()))
                          .str();
  bool Stamped = false;
  for (Function &F : M) {
    if (F.isDeclaration() || F.hasAvailableExternallyLinkage() ||
        F.hasFnAttribute(ShadowedAttribute))
      continue;
    F.addFnAttr(LinkStampAttribute, Stamp);
    Stats.leftToTheLink();
    Stamped = true;
  }
  if (!Stamped || M.getNamedGlobal(LinkMarkerName))
    return;
  LLVMContext &C = M.getContext();
  Constant *Needed = M.getOrInsertGlobal(LinkMarkerSymbol, Type::getInt8Ty(C));
  auto *Marker = new GlobalVariable(M, Needed->getType(), /*isConstant=*/true,
                                    GlobalValue::InternalLinkage, Needed,
                                    LinkMarkerName);
  appendToUsed(M, {Marker});
}

// At the link the pass runs: the markers of the modules it instruments go.
static void removeLinkMarkers(Module &M) {
  GlobalVariable *Needed = M.getNamedGlobal(LinkMarkerSymbol);
  if (!Needed)
    return;
  SmallVector<GlobalVariable *, 4> Markers;
  for (User *U : Needed->users())
    if (auto *Marker = dyn_cast<GlobalVariable>(U))
      Markers.push_back(Marker);
  SmallPtrSet<Constant *, 4> Gone(Markers.begin(), Markers.end());
  removeFromUsedLists(M, [&](Constant *C) { return Gone.count(C); });
  for (GlobalVariable *Marker : Markers)
    Marker->eraseFromParent();
  if (Needed->use_empty())
    Needed->eraseFromParent();
}

// A gate is instrumented at the start of the pipeline (Secrets.cpp), and the
// optimiser then merges its exits' llvm.addressofreturnaddress with its
// entry's: one value that the register allocator may keep across the
// body's calls in a callee-saved register, which a callee saves on its
// stack, where a store can change it, and with it the slot the return
// check compares and the frame tag the gate's exit looks for. Each use gets
// a call of its own, just before it, where instruction selection folds the
// slot into an address on %rsp or %rbp.
static void localizeReturnAddressSlots(Function &F) {
  SmallVector<IntrinsicInst *, 8> Calls;
  for (Instruction &I : instructions(F))
    if (auto *Call = dyn_cast<IntrinsicInst>(&I))
      if (Call->getIntrinsicID() == Intrinsic::addressofreturnaddress)
        Calls.push_back(Call);
  for (IntrinsicInst *Call : Calls) {
    for (Use &U : make_early_inc_range(Call->uses())) {
      auto *User = cast<Instruction>(U.getUser());
      Instruction *Before =
          isa<PHINode>(User)
              ? cast<PHINode>(User)->getIncomingBlock(U)->getTerminator()
              : User;
      if (Before->getParent() == Call->getParent())
        continue;
      Instruction *Local = Call->clone();
      Local->insertBefore(Before);
      U.set(Local);
    }
  }
}

std::optional<ShadowStackOptions>
ShadowStack::stampedOptions(const Function &F) const {
  Attribute Stamp = F.getFnAttribute(LinkStampAttribute);
  if (!Stamp.isStringAttribute())
    return std::nullopt;
  auto [PolicyName, RulesText] = Stamp.getValueAsString().split(':');
  std::optional<ShadowStackPolicy> Policy = parseShadowStackPolicy(PolicyName);
  unsigned long long Rules;
  if (!Policy || RulesText.getAsInteger(10, Rules) ||
      Rules >> NumElisionRules) {
    // Not what stampForTheLink writes: the strongest reading.
    errs() << "pkguard: warning: function '" << F.getName()
           << "' has a malformed " << LinkStampAttribute << " stamp '"
           << Stamp.getValueAsString() << "'; it gets a shadow stack\n";
    Policy = ShadowStackPolicy::All;
    Rules = 0;
  }
  ShadowStackOptions Stamped = Options;
  Stamped.Policy = *Policy;
  Stamped.Elide = ElisionRuleSet(Rules);
  return Stamped;
}

ShadowStackElision &ShadowStack::elisionFor(ElisionRuleSet Rules) {
  if (Rules == Options.Elide)
    return Elision;
  std::unique_ptr<ShadowStackElision> &Found =
      StampedElision[Rules.to_ullong()];
  if (!Found)
    Found = std::make_unique<ShadowStackElision>(M, Rules, GetSafety);
  return *Found;
}

bool ShadowStack::run() {
  Stage Where = stage();
  // Last in every pipeline that makes code, and before the link, whose
  // optimiser may merge them again.
  for (Function &F : M)
    if (F.hasFnAttribute(ShadowedAttribute))
      localizeReturnAddressSlots(F);
  if (Where == Stage::BeforeLink) {
    stampForTheLink();
    if (Options.PrintStats)
      Stats.print(M, shadowStackPolicyName(Options.Policy));
    return true;
  }
  if (Where == Stage::AtLink)
    removeLinkMarkers(M);
  // Decide everything before changing anything, so that the analyses the
  // policy consults see the program as written.
  SmallVector<SelectedFunction> Selected;
  for (Function &F : M) {
    if (F.isDeclaration() || F.hasAvailableExternallyLinkage())
      continue; // no code of its own in this module
    std::optional<ShadowStackOptions> Stamped = stampedOptions(F);
    if (Where == Stage::AtLink && !Stamped && !F.hasFnAttribute(ShadowedAttribute))
      continue; // compiled without pkguard
    const ShadowStackOptions &Asked = Stamped ? *Stamped : Options;
    if (const char *Reason = whyNotInstrumentable(F)) {
      ++NumSkipped;
      Stats.skipped(Reason);
      remarkNotInstrumented(F, "Skipped", Reason);
      continue;
    }
    SmallVector<Instruction *, 4> Exits = collectExits(F);
    // A function that never returns has no return address to check.
    if (Exits.empty()) {
      ++NumSkipped;
      Stats.skipped("never returns");
      remarkNotInstrumented(F, "Skipped", "never returns");
    } else if (Notes.has(F, abi::ShadowStackAnnotation)) {
      Selected.emplace_back(&F, std::move(Exits)); // asked for, proof or not
    } else if (!policySelects(F, Asked.Policy)) {
      ++NumElided;
      Stats.elided();
      remarkNotInstrumented(F, "ElidedByPolicy",
                            "policy '" + shadowStackPolicyName(Asked.Policy) +
                                "' does not select it");
    } else if (std::optional<ElisionRule> Rule =
                   elisionFor(Asked.Elide).elide(F)) {
      ++NumProvenSafe;
      Stats.provenSafe(elisionRuleName(*Rule));
      remarkProvenSafe(F, *Rule);
    } else {
      Selected.emplace_back(&F, std::move(Exits));
    }
  }
  bool Changed = !Selected.empty() && checkTarget(M, "the shadow stack");
  if (Changed)
    instrumentModule(Selected);
  if (Options.PrintStats)
    Stats.print(M, shadowStackPolicyName(Options.Policy));
  return Changed;
}

void ShadowStack::instrumentModule(ArrayRef<SelectedFunction> Selected) {
  for (auto &[F, Exits] : Selected) {
    instrument(*F, Exits);
    ++NumInstrumented;
    Stats.instrumented();
    remarkInstrumented(*F);
  }
  getOrCreateSanitizerCtorAndInitFunctions(
      M, abi::ModuleCtorName, abi::InitName, {}, {},
      [&](Function *Ctor, FunctionCallee) {
        Ctor->setComdat(M.getOrInsertComdat(abi::ModuleCtorName));
        appendToGlobalCtors(M, Ctor, abi::ModuleCtorPriority, Ctor);
      },
      abi::VersionCheckName);
}

void ShadowStackPass::printPipeline(raw_ostream &OS,
                                    function_ref<StringRef(StringRef)>) {
  OS << "pkguard-shadow-stack<" << shadowStackPolicyName(Options.Policy) << ">";
}

PreservedAnalyses ShadowStackPass::run(Module &M, ModuleAnalysisManager &MAM) {
  auto GetSafety = [&]() -> const StackSafetyGlobalInfo & {
    return MAM.getResult<StackSafetyGlobalAnalysis>(M);
  };
  if (!ShadowStack(M, Options, GetSafety).run())
    return PreservedAnalyses::all();
  PreservedAnalyses PA = PreservedAnalyses::none();
  // GlobalsAA is stateless and survives none(): new calls to the runtime
  // must invalidate what it knows of the module's functions.
  PA.abandon<GlobalsAA>();
  return PA;
}

} // namespace pkguard
