//===- ShadowStackEmitter.cpp - Emits the code that reaches the shadow ---===//
//
// Part of pkguard, under the Apache License v2.0 with LLVM Exceptions.
// See LICENSE for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
#include "ShadowStackEmitter.h"

#include "AbiTypes.h"
#include "LLVMCompat.h"

#include "pkguard/abi.h"

#include "llvm/IR/InlineAsm.h"
#include "llvm/ADT/Twine.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/IR/Instructions.h"
#include "llvm/IR/IntrinsicInst.h"
#include "llvm/IR/MDBuilder.h"
#include "llvm/Transforms/Utils/BasicBlockUtils.h"

using namespace llvm;

namespace pkguard {

std::string windowSequence(StringRef WindowOperand) {
  return formatv("movl {0}, %eax\n\t"
                 "xorl %edx, %edx\n\t"
                 ".byte 0x0f, 0x01, 0xef\n\t", // wrpkru
                 WindowOperand)
      .str();
}

std::string unchangedCheck(StringRef ReturnAddress, StringRef Shadow,
                           StringRef SlotChangedLabel, StringRef RightsJump) {
  return formatv("cmpq {0}, {1}\n\t"
                 "jne {2}\n\t"
                 ".byte 0x0f, 0x01, 0xee\n\t" // rdpkru
                 "cmpl %gs:{3}, %eax\n\t"
                 "{4}\n",
                 ReturnAddress, Shadow, SlotChangedLabel, abi::RightsOffset,
                 RightsJump)
      .str();
}

std::string closingSequence(StringRef FailureLabel) {
  return formatv("xorl %gs:{0}, %eax\n\t"
                 ".byte 0x0f, 0x01, 0xef\n\t" // wrpkru
                 "cmpl %gs:{1}, %eax\n\t"
                 "jne {2}\n\t",
                 abi::RightsXorWindowOffset, abi::RightsOffset, FailureLabel)
      .str();
}

namespace {

// The prologue. Operands: $0 the shadow slot (memory, written), $1 the
// return address, $2 the runtime's window word, $3 the shadow delta, in RCX,
// $4 where a failed check goes. The delta's low half is 0 exactly when the
// keys are in force, which is also what RDPKRU and WRPKRU need ECX to be, so
// one load serves as address, switch and ECX. The WRPKRUs are spelt as
// bytes so that no -mpku is needed; the sequence is docs/sequences.md's
// "window" and "closing": whatever EAX a jump onto either WRPKRU brings, the
// closing check fails unless the thread ends with its own rights.
//
// The window opens only when it would change something: a slot that already
// holds this return address (the same call site at the same depth, as in a
// loop) with PKRU already the thread's rights leaves nothing to write, and
// the check at the return sees what the window would have stored. The slot
// is compared first, so that a miss costs two instructions; the PKRU check
// keeps a PKRU forged by other means from outliving the next sequence.
// Without keys the store is skipped the same way, so that the fallback
// path's store runs exactly as often as the windows would: callgrind counts
// them on any host (bench/).
std::string prologueAsm() {
  return ("jecxz 1f\n\t"
          "cmpq $1, $0\n\t"
          "je 2f\n\t"
          "movq $1, $0\n\t"
          "jmp 2f\n"
          "1:\n\t" +
          unchangedCheck("$1", "$0", "3f", "je 2f") + "3:\n\t" +
          windowSequence("$2") + "movq $1, $0\n\t" +
          closingSequence("${4:l}") + "2:");
}
constexpr char PrologueConstraints[] =
    "=*m,r,*m,{rcx},!i,~{eax},~{edx},~{dirflag},~{fpsr},~{flags}";

} // namespace

ShadowStackEmitter::ShadowStackEmitter(Module &M)
    : M(M), Int32Ty(Type::getInt32Ty(M.getContext())),
      Int64Ty(Type::getInt64Ty(M.getContext())),
      PtrTy(PointerType::getUnqual(M.getContext())) {
  AbiBlock = cast<GlobalVariable>(
      M.getOrInsertGlobal(abi::ShadowAbiName, shadowStackAbiType(M)));
  // The runtime is linked into the executable, so an executable reaches the
  // block directly; a shared library goes through its GOT.
  if (M.getPICLevel() == PICLevel::NotPIC ||
      M.getPIELevel() != PIELevel::Default)
    AbiBlock->setDSOLocal(true);

  LLVMContext &C = M.getContext();
  AttributeList Attrs = AttributeList::get(
      C, AttributeList::FunctionIndex,
      {Attribute::NoReturn, Attribute::Cold, Attribute::NoUnwind});
  ReportForgedRights = M.getOrInsertFunction(
      abi::ReportForgedRightsName,
      FunctionType::get(Type::getVoidTy(C), {PtrTy}, false), Attrs);
  ReportMismatch = M.getOrInsertFunction(
      abi::ReportReturnMismatchName,
      FunctionType::get(Type::getVoidTy(C), {PtrTy, Int64Ty, Int64Ty, PtrTy},
                        false),
      Attrs);
}

Constant *ShadowStackEmitter::abiField(unsigned Offset) {
  return ConstantExpr::getInBoundsGetElementPtr(
      Type::getInt8Ty(M.getContext()), AbiBlock,
      ConstantInt::get(Int64Ty, Offset));
}

// The delta is loaded where it is used, never kept: a value live from the
// prologue to the epilogues would occupy a callee-saved register, and its
// push and pop, for the whole function.
Value *ShadowStackEmitter::loadDelta(IRBuilder<> &IRB) {
  return IRB.CreateLoad(Int64Ty, abiField(abi::ShadowDeltaOffset),
                        "pkguard.delta");
}

// The skew (and any offset) is a constant displacement in the address, free
// of charge.
Value *ShadowStackEmitter::shadowOf(IRBuilder<> &IRB, Value *Slot, Value *Delta,
                              int64_t Offset) {
  Value *Base = IRB.CreateGEP(IRB.getInt8Ty(), Slot, Delta, "pkguard.unskewed");
  return IRB.CreateConstGEP1_64(IRB.getInt8Ty(), Base,
                                abi::ShadowSkew + Offset, "pkguard.shadow");
}

Value *ShadowStackEmitter::returnAddressSlot(IRBuilder<> &IRB) {
  return IRB.CreateIntrinsic(Intrinsic::addressofreturnaddress, {PtrTy}, {},
                             nullptr, "pkguard.slot");
}

// Volatile: the value must come from the stack, not from a register or an
// earlier load.
Value *ShadowStackEmitter::loadReturnAddress(IRBuilder<> &IRB, Value *Slot,
                                       const char *Name) {
  LoadInst *Load = IRB.CreateLoad(Int64Ty, Slot, Name);
  Load->setVolatile(true);
  return Load;
}

void ShadowStackEmitter::insertPrologue(Function &F, Constant *FunctionName) {
  assert(!F.isDeclaration() && "a prologue needs a body");
  assert(!F.hasFnAttribute(ShadowedAttribute) && "shadowed twice");
  BasicBlock &Entry = F.getEntryBlock();
  Instruction *Before = &*Entry.getFirstNonPHIOrDbgOrAlloca();
  InstrumentationIRBuilder IRB(Before);
  Value *Slot = returnAddressSlot(IRB);
  Value *ReturnAddress = loadReturnAddress(IRB, Slot, "pkguard.ra");
  Value *Delta = loadDelta(IRB);
  Value *Shadow = shadowOf(IRB, Slot, Delta);
  auto *AsmType = FunctionType::get(IRB.getVoidTy(),
                                    {PtrTy, Int64Ty, PtrTy, Int64Ty}, false);
  emitCheckedAsm(Before, AsmType, prologueAsm(), PrologueConstraints,
                 {Shadow, ReturnAddress, abiField(abi::WindowOffset), Delta},
                 {{0, Int64Ty}, {2, Int32Ty}},
                 {{ReportForgedRights, {FunctionName}}});
}

CallBrInst *ShadowStackEmitter::emitCheckedAsm(
    Instruction *Before, FunctionType *AsmType, StringRef Asm,
    StringRef Constraints, ArrayRef<Value *> Args,
    ArrayRef<std::pair<unsigned, Type *>> ElementTypes,
    ArrayRef<FailureReport> Failures) {
  BasicBlock *Head = Before->getParent();
  if (Head->isEntryBlock())
    hoistStaticAllocas(*Head, Before);
  BasicBlock *Tail = Head->splitBasicBlock(Before, "pkguard.checked");
  LLVMContext &C = M.getContext();
  SmallVector<BasicBlock *, 3> FailureBlocks;
  for (const FailureReport &Failure : Failures) {
    BasicBlock *Block = BasicBlock::Create(C, "pkguard.forged",
                                           Head->getParent());
    InstrumentationIRBuilder IRB(new UnreachableInst(C, Block));
    IRB.CreateCall(Failure.Report, Failure.Args)->setDoesNotReturn();
    FailureBlocks.push_back(Block);
  }
  // In place of the branch the split left.
  Instruction *Branch = Head->getTerminator();
  InstrumentationIRBuilder IRB(Branch);
  CallBrInst *Sequence = IRB.CreateCallBr(
      AsmType,
      InlineAsm::get(AsmType, Asm, Constraints, /*hasSideEffects=*/true),
      Tail, FailureBlocks, Args);
  Branch->eraseFromParent();
  for (auto [Operand, Ty] : ElementTypes)
    Sequence->addParamAttr(Operand,
                           Attribute::get(C, Attribute::ElementType, Ty));
  return Sequence;
}

// Splitting the entry block would leave the static allocas after the split
// in a block of their own, where they become dynamic: move them first.
void ShadowStackEmitter::hoistStaticAllocas(BasicBlock &Entry,
                                            Instruction *Before) {
  for (Instruction &I : make_early_inc_range(
           make_range(Before->getIterator(), Entry.end())))
    if (auto *Alloca = dyn_cast<AllocaInst>(&I))
      if (isa<ConstantInt>(Alloca->getArraySize()))
        Alloca->moveBefore(Entry, Before->getIterator());
}

void ShadowStackEmitter::insertReturnCheck(Instruction *Exit,
                                           Constant *FunctionName) {
  assert((isa<ReturnInst>(Exit) ||
          (isa<CallInst>(Exit) && cast<CallInst>(Exit)->isMustTailCall())) &&
         "the return address is checked only where the function returns");
  InstrumentationIRBuilder IRB(Exit);
  Value *Slot = returnAddressSlot(IRB);
  Value *Found = loadReturnAddress(IRB, Slot, "pkguard.found");
  // Only the prologue's gate writes the shadow slot, so this load may fold
  // into the compare.
  Value *Shadow = shadowOf(IRB, Slot, loadDelta(IRB));
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
  Value *ExpectedAgain = ReportIRB.CreateLoad(
      Int64Ty, shadowOf(ReportIRB, ReportSlot, loadDelta(ReportIRB)));
  CallInst *Call = ReportIRB.CreateCall(
      ReportMismatch, {FunctionName, ExpectedAgain, FoundAgain, ReportSlot});
  Call->setDoesNotReturn();
}

Constant *ShadowStackEmitter::functionName(Function &F) {
  IRBuilder<> IRB(M.getContext());
  return IRB.CreateGlobalString(F.getName(), "pkguard.function_name", 0, &M);
}

} // namespace pkguard
