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
// USAGE: opt -load-pass-plugin=PkguardPass.so
//            -passes='pkguard-shadow-stack<all|strong|none>' in.ll
//
//===----------------------------------------------------------------------===//
#include "ShadowStack.h"

#include "Annotations.h"
#include "RuntimeABI.h"

#include "llvm/ADT/StringSwitch.h"
#include "llvm/Analysis/StackSafetyAnalysis.h"
#include "llvm/IR/Constants.h"
#include "llvm/IR/IRBuilder.h"
#include "llvm/IR/InlineAsm.h"
#include "llvm/IR/InstIterator.h"
#include "llvm/IR/Instructions.h"
#include "llvm/IR/IntrinsicInst.h"
#include "llvm/IR/MDBuilder.h"
#include "llvm/IR/Module.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/TargetParser/Triple.h"
#include "llvm/Transforms/Instrumentation.h"
#include "llvm/Transforms/Utils/BasicBlockUtils.h"
#include "llvm/Transforms/Utils/ModuleUtils.h"

using namespace llvm;

namespace pkguard {

static cl::opt<std::string> ClPolicy(
    "pkguard-shadow-stack",
    cl::desc("which functions get a shadow stack: all, strong (default: "
             "those whose frame a memory error can overflow) or none"),
    cl::value_desc("policy"), cl::init("strong"));

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

ShadowStackOptions shadowStackOptionsFromCommandLine() {
  ShadowStackOptions Options;
  if (std::optional<ShadowStackPolicy> Policy = parseShadowStackPolicy(ClPolicy))
    Options.Policy = *Policy;
  else
    report_fatal_error(Twine("pkguard: unknown shadow-stack policy '") +
                           ClPolicy + "' (expected all, strong or none)",
                       /*gen_crash_diag=*/false);
  return Options;
}

namespace {

// Marks functions already instrumented, so that running twice is harmless.
constexpr char InstrumentedAttribute[] = "pkguard-shadow-stack";

// Operands: $0 the shadow slot (memory, written), $1 the return address,
// $2 the runtime's open mask, $3 its close bits, $4 the shadow delta, in
// RCX. The delta's low half is 0 exactly when the gates are on, which is
// also what RDPKRU and WRPKRU need ECX to be, so one load serves as address,
// switch and ECX. RDPKRU and WRPKRU are spelt as bytes so that no -mpku is
// needed and so that scanners can recognise this exact gate.
constexpr char PrologueAsm[] = "jecxz 1f\n\t"
                               "movq $1, $0\n\t"
                               "jmp 2f\n"
                               "1:\n\t"
                               ".byte 0x0f, 0x01, 0xee\n\t" // rdpkru
                               "andl $2, %eax\n\t"
                               ".byte 0x0f, 0x01, 0xef\n\t" // wrpkru
                               "movq $1, $0\n\t"
                               "orl $3, %eax\n\t"
                               ".byte 0x0f, 0x01, 0xef\n" // wrpkru
                               "2:";
constexpr char PrologueConstraints[] =
    "=*m,r,*m,*m,{rcx},~{eax},~{edx},~{dirflag},~{fpsr},~{flags}";

class ShadowStack {
public:
  ShadowStack(Module &M, ShadowStackOptions Options,
              function_ref<const StackSafetyGlobalInfo &()> GetSafety)
      : M(M), Options(Options), GetSafety(GetSafety), Notes(M),
        Int32Ty(Type::getInt32Ty(M.getContext())),
        Int64Ty(Type::getInt64Ty(M.getContext())),
        PtrTy(PointerType::getUnqual(M.getContext())) {}

  bool run();

private:
  bool isInstrumentable(const Function &F) const;
  bool isSelected(const Function &F);
  bool frameCanOverflow(const Function &F);
  void declareRuntime();
  void instrument(Function &F, ArrayRef<Instruction *> Exits);
  void insertPrologue(Function &F);
  void insertCheck(Instruction *Exit, Constant *FunctionName);
  Value *loadDelta(IRBuilder<> &IRB);
  Value *shadowSlotOf(IRBuilder<> &IRB, Value *Slot, Value *Delta);
  Constant *abiField(unsigned Offset);

  Module &M;
  ShadowStackOptions Options;
  function_ref<const StackSafetyGlobalInfo &()> GetSafety;
  Annotations Notes;
  Type *Int32Ty;
  Type *Int64Ty;
  PointerType *PtrTy;
  GlobalVariable *AbiBlock = nullptr;
  FunctionCallee ReportMismatch;
};

} // namespace

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

bool ShadowStack::isInstrumentable(const Function &F) const {
  return !F.isDeclaration() && !F.hasAvailableExternallyLinkage() &&
         !F.hasFnAttribute(Attribute::Naked) &&
         !F.hasFnAttribute(Attribute::DisableSanitizerInstrumentation) &&
         // A function that itself returns twice (a setjmp) has no single
         // return address to protect.
         !F.hasFnAttribute(Attribute::ReturnsTwice) &&
         !F.hasFnAttribute(InstrumentedAttribute) &&
         !F.getName().starts_with(abi::RuntimePrefix) &&
         F.getName() != abi::ModuleCtorName &&
         !Notes.has(F, annotation::NoShadowStack);
}

bool ShadowStack::frameCanOverflow(const Function &F) {
  for (const Instruction &I : instructions(F))
    if (const auto *Alloca = dyn_cast<AllocaInst>(&I))
      if (!Alloca->isStaticAlloca() || !GetSafety().isSafe(*Alloca))
        return true;
  return false;
}

bool ShadowStack::isSelected(const Function &F) {
  if (Notes.has(F, annotation::ShadowStack))
    return true;
  switch (Options.Policy) {
  case ShadowStackPolicy::None:
    return false;
  case ShadowStackPolicy::All:
    return true;
  case ShadowStackPolicy::Strong:
    return frameCanOverflow(F);
  }
  llvm_unreachable("unknown shadow-stack policy");
}

void ShadowStack::declareRuntime() {
  if (AbiBlock)
    return;
  AbiBlock = cast<GlobalVariable>(
      M.getOrInsertGlobal(abi::ShadowAbiName, ArrayType::get(Int64Ty, 3)));
  // The runtime is linked into the executable, so an executable reaches the
  // block directly; a shared library goes through its GOT.
  if (M.getPICLevel() == PICLevel::NotPIC || M.getPIELevel() != PIELevel::Default)
    AbiBlock->setDSOLocal(true);

  LLVMContext &C = M.getContext();
  AttributeList Attrs = AttributeList::get(
      C, AttributeList::FunctionIndex,
      {Attribute::NoReturn, Attribute::Cold, Attribute::NoUnwind});
  ReportMismatch = M.getOrInsertFunction(
      abi::ReportReturnMismatchName,
      FunctionType::get(Type::getVoidTy(C), {PtrTy, Int64Ty, Int64Ty, PtrTy},
                        false),
      Attrs);
}

// The delta is loaded where it is used, never kept: a value live from the
// prologue to the epilogues would occupy a callee-saved register, and its
// push and pop, for the whole function.
Value *ShadowStack::loadDelta(IRBuilder<> &IRB) {
  return IRB.CreateLoad(Int64Ty, abiField(abi::ShadowDeltaOffset),
                        "pkguard.delta");
}

// The skew is a constant displacement in the address, free of charge.
Value *ShadowStack::shadowSlotOf(IRBuilder<> &IRB, Value *Slot, Value *Delta) {
  Value *Base = IRB.CreateGEP(IRB.getInt8Ty(), Slot, Delta, "pkguard.unskewed");
  return IRB.CreateConstGEP1_64(IRB.getInt8Ty(), Base, abi::ShadowSkew,
                                "pkguard.shadow");
}

Constant *ShadowStack::abiField(unsigned Offset) {
  return ConstantExpr::getInBoundsGetElementPtr(
      Type::getInt8Ty(M.getContext()), AbiBlock,
      ConstantInt::get(Int64Ty, Offset));
}

void ShadowStack::insertPrologue(Function &F) {
  BasicBlock &Entry = F.getEntryBlock();
  InstrumentationIRBuilder IRB(&*Entry.getFirstNonPHIOrDbgOrAlloca());
  Value *Slot = IRB.CreateIntrinsic(Intrinsic::addressofreturnaddress, {PtrTy},
                                    {}, nullptr, "pkguard.slot");
  LoadInst *ReturnAddress = IRB.CreateLoad(Int64Ty, Slot, "pkguard.ra");
  // Volatile: the copy must be taken here, from the stack, not forwarded.
  ReturnAddress->setVolatile(true);
  Value *Delta = loadDelta(IRB);
  Value *Shadow = shadowSlotOf(IRB, Slot, Delta);

  auto *AsmType = FunctionType::get(IRB.getVoidTy(),
                                    {PtrTy, Int64Ty, PtrTy, PtrTy, Int64Ty}, false);
  InlineAsm *Gate = InlineAsm::get(AsmType, PrologueAsm, PrologueConstraints,
                                   /*hasSideEffects=*/true);
  CallInst *Call = IRB.CreateCall(
      Gate, {Shadow, ReturnAddress, abiField(abi::OpenMaskOffset),
             abiField(abi::CloseBitsOffset), Delta});
  LLVMContext &C = F.getContext();
  Call->addParamAttr(0, Attribute::get(C, Attribute::ElementType, Int64Ty));
  for (unsigned Operand : {2, 3})
    Call->addParamAttr(Operand,
                       Attribute::get(C, Attribute::ElementType, Int32Ty));
}

void ShadowStack::insertCheck(Instruction *Exit, Constant *FunctionName) {
  InstrumentationIRBuilder IRB(Exit);
  Value *Slot = IRB.CreateIntrinsic(Intrinsic::addressofreturnaddress, {PtrTy},
                                    {}, nullptr, "pkguard.slot");
  LoadInst *Found = IRB.CreateLoad(Int64Ty, Slot, "pkguard.found");
  Found->setVolatile(true);
  // Only the prologue's gate writes the shadow slot, so this load may fold
  // into the compare; the return address must be read afresh from the stack.
  Value *Shadow = shadowSlotOf(IRB, Slot, loadDelta(IRB));
  Value *Expected = IRB.CreateLoad(Int64Ty, Shadow, "pkguard.expected");
  Value *Mismatch = IRB.CreateICmpNE(Found, Expected, "pkguard.mismatch");
  MDNode *Unlikely = MDBuilder(M.getContext()).createUnlikelyBranchWeights();
  Instruction *Report =
      SplitBlockAndInsertIfThen(Mismatch, Exit, /*Unreachable=*/true, Unlikely);
  Report->getParent()->setName("pkguard.report");
  Exit->getParent()->setName("pkguard.return");
  // The report block works everything out again rather than reuse the
  // values above: each load above keeps a single use and folds into the
  // compare, and at -O0 nothing is spilled to carry them across blocks.
  InstrumentationIRBuilder ReportIRB(Report);
  Value *ReportSlot = ReportIRB.CreateIntrinsic(
      Intrinsic::addressofreturnaddress, {PtrTy}, {});
  Value *FoundAgain = ReportIRB.CreateLoad(Int64Ty, ReportSlot);
  Value *ExpectedAgain =
      ReportIRB.CreateLoad(Int64Ty, shadowSlotOf(ReportIRB, ReportSlot,
                                                  loadDelta(ReportIRB)));
  CallInst *Call = ReportIRB.CreateCall(
      ReportMismatch, {FunctionName, ExpectedAgain, FoundAgain, ReportSlot});
  Call->setDoesNotReturn();
}

void ShadowStack::instrument(Function &F, ArrayRef<Instruction *> Exits) {
  declareRuntime();
  insertPrologue(F);
  IRBuilder<> IRB(M.getContext());
  Constant *FunctionName = IRB.CreateGlobalStringPtr(
      F.getName(), "pkguard.function_name", 0, &M);
  for (Instruction *Exit : Exits)
    insertCheck(Exit, FunctionName);
  F.addFnAttr(InstrumentedAttribute);
}

bool ShadowStack::run() {
  // Decide everything before changing anything, so that the analyses the
  // policy consults see the program as written.
  SmallVector<std::pair<Function *, SmallVector<Instruction *, 4>>> Selected;
  for (Function &F : M) {
    if (!isInstrumentable(F))
      continue;
    SmallVector<Instruction *, 4> Exits = collectExits(F);
    // A function that never returns has no return address to check.
    if (!Exits.empty() && isSelected(F))
      Selected.emplace_back(&F, std::move(Exits));
  }
  if (Selected.empty())
    return false;
  Triple Target(M.getTargetTriple());
  if (Target.getArch() != Triple::x86_64 || Target.isX32()) {
    M.getContext().emitError("pkguard: the shadow stack needs an x86-64 "
                             "target, not '" +
                             M.getTargetTriple() + "'");
    return false;
  }
  for (auto &[F, Exits] : Selected)
    instrument(*F, Exits);
  getOrCreateSanitizerCtorAndInitFunctions(
      M, abi::ModuleCtorName, abi::InitName, {}, {},
      [&](Function *Ctor, FunctionCallee) {
        Ctor->setComdat(M.getOrInsertComdat(abi::ModuleCtorName));
        appendToGlobalCtors(M, Ctor, abi::ModuleCtorPriority, Ctor);
      },
      abi::VersionCheckName);
  return true;
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
  return PreservedAnalyses::none();
}

} // namespace pkguard
