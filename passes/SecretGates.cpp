//===- SecretGates.cpp - Opening and closing a domain around a gate -------===//
//
// Part of pkguard, under the Apache License v2.0 with LLVM Exceptions.
// See LICENSE for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// A gate opens its domain for its whole run and, on every way out, restores
// the PKRU it found, so that nested gates and recursion leave the domain as
// they found it. The PKRU it found is kept where no ordinary store reaches:
// in the shadow of the slot just below the return address, written in the
// same WRPKRU window as the return address's own shadow. A gate is thus also
// a shadow-stack function, and its entry is one sequence:
//
//   RDPKRU; save it; compute "shadow stack writable, every domain closed"
//   from the runtime's gate words; WRPKRU; check the value written; store
//   the return address and the saved PKRU in the shadow; compute "shadow
//   write-disabled, this domain open, every other domain closed"; WRPKRU;
//   check the value written.
//
// The checks are ERIM's: a jump straight onto either WRPKRU with a forged
// EAX writes a value that fails the check after it, and the gate stops with
// a report before anything else runs.
//
// Every exit loads the saved PKRU from the shadow, writes it, and checks that
// the shadow stack stayed write-disabled; returns and musttail calls also
// check the return address. Without protection keys the runtime's delta
// switches the WRPKRU sequences off, as for the shadow stack.
//
//===----------------------------------------------------------------------===//
#include "SecretGates.h"

#include "pkguard/abi.h"

#include "llvm/IR/InlineAsm.h"
#include "llvm/IR/Instructions.h"
#include "llvm/IR/MDBuilder.h"
#include "llvm/Transforms/Instrumentation.h"
#include "llvm/Transforms/Utils/BasicBlockUtils.h"
#include "llvm/Transforms/Utils/EscapeEnumerator.h"

using namespace llvm;

namespace pkguard {
namespace {

// Result (R11): 0, or not 0 when a check after a WRPKRU failed. Operands:
// $1 the return address's shadow, $2 the saved PKRU's shadow (both
// written), $3 the return address, $4 the gate's clear word, $5 its open
// bits, $6 its open expect, $7 its write bits, $8 its write expect, $9 the
// delta, in RCX.
constexpr char OpenAsm[] = "jecxz 1f\n\t"
                           "movq $3, $1\n\t" // no keys: the shadow only
                           "xorl %r11d, %r11d\n\t"
                           "jmp 2f\n"
                           "1:\n\t"
                           ".byte 0x0f, 0x01, 0xee\n\t" // rdpkru
                           "movl %eax, %r10d\n\t"
                           "andl $4, %eax\n\t"
                           "orl $7, %eax\n\t"
                           ".byte 0x0f, 0x01, 0xef\n\t" // wrpkru
                           "movl %eax, %r11d\n\t"
                           "orl $4, %r11d\n\t"
                           "xorl $8, %r11d\n\t"
                           "jnz 2f\n\t"
                           "movq $3, $1\n\t"
                           "movq %r10, $2\n\t"
                           "movl %r10d, %eax\n\t"
                           "andl $4, %eax\n\t"
                           "orl $5, %eax\n\t"
                           ".byte 0x0f, 0x01, 0xef\n\t" // wrpkru
                           "movl %eax, %r11d\n\t"
                           "orl $4, %r11d\n\t"
                           "xorl $6, %r11d\n"
                           "2:";
constexpr char OpenConstraints[] =
    "=&{r11},=*m,=*m,r,*m,*m,*m,*m,*m,{rcx},~{eax},~{edx},~{r10},~{memory},"
    "~{dirflag},~{fpsr},~{flags}";

// Result (R11): 0, or not 0 when the restored PKRU would leave the shadow
// stack writable. Operands: $1 the saved PKRU's shadow, $2 the open mask,
// $3 the restore-expect word, $4 the delta, in RCX.
constexpr char RestoreAsm[] = "xorl %r11d, %r11d\n\t"
                              "jecxz 1f\n\t"
                              "jmp 2f\n"
                              "1:\n\t"
                              "movl $1, %eax\n\t"
                              "xorl %edx, %edx\n\t"
                              ".byte 0x0f, 0x01, 0xef\n\t" // wrpkru
                              "movl %eax, %r11d\n\t"
                              "orl $2, %r11d\n\t"
                              "xorl $3, %r11d\n"
                              "2:";
constexpr char RestoreConstraints[] =
    "=&{r11},*m,*m,*m,{rcx},~{eax},~{edx},~{memory},~{dirflag},~{fpsr},"
    "~{flags}";

void addElementTypes(CallInst *Call, ArrayRef<std::pair<unsigned, Type *>> Types) {
  for (auto [Operand, Ty] : Types)
    Call->addParamAttr(Operand, Attribute::get(Call->getContext(),
                                               Attribute::ElementType, Ty));
}

} // namespace

GateInstrumenter::GateInstrumenter(Module &M, GlobalVariable *Table)
    : Emitter(M), Table(Table) {
  LLVMContext &C = M.getContext();
  Type *VoidTy = Type::getVoidTy(C);
  CheckFailed = M.getOrInsertFunction(
      abi::GateCheckFailedName,
      FunctionType::get(VoidTy, {Emitter.PtrTy, Emitter.Int32Ty, Emitter.PtrTy},
                        false),
      AttributeList::get(
          C, AttributeList::FunctionIndex,
          {Attribute::NoReturn, Attribute::Cold, Attribute::NoUnwind}));
  RestoreFailed = M.getOrInsertFunction(
      abi::GateRestoreFailedName,
      FunctionType::get(VoidTy, {Emitter.PtrTy}, false),
      AttributeList::get(
          C, AttributeList::FunctionIndex,
          {Attribute::NoReturn, Attribute::Cold, Attribute::NoUnwind}));
}

Constant *GateInstrumenter::gateWord(unsigned DomainIndex, unsigned Offset) {
  return ConstantExpr::getInBoundsGetElementPtr(
      Type::getInt8Ty(Table->getContext()), Table,
      ConstantInt::get(Emitter.Int64Ty, abi::SecretTableGatesOffset +
                                           DomainIndex * abi::GateWordsSize +
                                           Offset));
}

void GateInstrumenter::insertOpen(Function &F, unsigned DomainIndex,
                                  Constant *FunctionName) {
  BasicBlock &Entry = F.getEntryBlock();
  Instruction *Before = &*Entry.getFirstNonPHIOrDbgOrAlloca();
  InstrumentationIRBuilder IRB(Before);
  Value *Slot = Emitter.returnAddressSlot(IRB);
  Value *ReturnAddress = Emitter.loadReturnAddress(IRB, Slot, "pkguard.ra");
  Value *Delta = Emitter.loadDelta(IRB);
  Value *Shadow = Emitter.shadowOf(IRB, Slot, Delta);
  Value *Saved = Emitter.shadowOf(IRB, Slot, Delta, abi::SavedPkruSlotOffset);
  PointerType *PtrTy = Emitter.PtrTy;
  auto *AsmType = FunctionType::get(Emitter.Int32Ty,
                                    {PtrTy, PtrTy, Emitter.Int64Ty, PtrTy, PtrTy,
                                     PtrTy, PtrTy, PtrTy, Emitter.Int64Ty},
                                    false);
  CallInst *Open = IRB.CreateCall(
      InlineAsm::get(AsmType, OpenAsm, OpenConstraints, /*hasSideEffects=*/true),
      {Shadow, Saved, ReturnAddress,
       gateWord(DomainIndex, abi::GateClearOffset),
       gateWord(DomainIndex, abi::GateOpenBitsOffset),
       gateWord(DomainIndex, abi::GateOpenExpectOffset),
       gateWord(DomainIndex, abi::GateWriteBitsOffset),
       gateWord(DomainIndex, abi::GateWriteExpectOffset), Delta},
      "pkguard.gate_check");
  addElementTypes(Open, {{0, Emitter.Int64Ty},
                         {1, Emitter.Int64Ty},
                         {3, Emitter.Int32Ty},
                         {4, Emitter.Int32Ty},
                         {5, Emitter.Int32Ty},
                         {6, Emitter.Int32Ty},
                         {7, Emitter.Int32Ty}});
  Value *Failed = IRB.CreateICmpNE(Open, IRB.getInt32(0));
  Instruction *Report = SplitBlockAndInsertIfThen(
      Failed, Before, /*Unreachable=*/true,
      MDBuilder(F.getContext()).createUnlikelyBranchWeights());
  Report->getParent()->setName("pkguard.gate_check_failed");
  InstrumentationIRBuilder ReportIRB(Report);
  ReportIRB
      .CreateCall(CheckFailed,
                  {Table, ReportIRB.getInt32(DomainIndex), FunctionName})
      ->setDoesNotReturn();
}

void GateInstrumenter::insertRestore(IRBuilder<> &At,
                                     Constant *FunctionName) {
  Instruction *Before = &*At.GetInsertPoint();
  InstrumentationIRBuilder IRB(Before);
  Value *Slot = Emitter.returnAddressSlot(IRB);
  Value *Delta = Emitter.loadDelta(IRB);
  Value *Saved = Emitter.shadowOf(IRB, Slot, Delta, abi::SavedPkruSlotOffset);
  PointerType *PtrTy = Emitter.PtrTy;
  auto *AsmType = FunctionType::get(
      Emitter.Int32Ty, {PtrTy, PtrTy, PtrTy, Emitter.Int64Ty}, false);
  CallInst *Restore = IRB.CreateCall(
      InlineAsm::get(AsmType, RestoreAsm, RestoreConstraints,
                     /*hasSideEffects=*/true),
      {Saved, Emitter.abiField(abi::OpenMaskOffset),
       Emitter.abiField(abi::RestoreExpectOffset), Delta},
      "pkguard.restore_check");
  addElementTypes(Restore, {{0, Emitter.Int32Ty},
                            {1, Emitter.Int32Ty},
                            {2, Emitter.Int32Ty}});
  Value *Failed = IRB.CreateICmpNE(Restore, IRB.getInt32(0));
  Instruction *Report = SplitBlockAndInsertIfThen(
      Failed, Before, /*Unreachable=*/true,
      MDBuilder(Before->getContext()).createUnlikelyBranchWeights());
  Report->getParent()->setName("pkguard.restore_failed");
  InstrumentationIRBuilder ReportIRB(Report);
  ReportIRB.CreateCall(RestoreFailed, {FunctionName})->setDoesNotReturn();
}

void GateInstrumenter::instrument(Function &F, unsigned DomainIndex) {
  assert(!F.isDeclaration() && "a gate needs a body");
  assert(!F.hasFnAttribute(ShadowedAttribute) && "instrumented twice");
  Constant *FunctionName = Emitter.functionName(F);
  // Exits first: the enumerator also turns calls that may throw into
  // invokes whose cleanup restores, and the entry must not be among them.
  EscapeEnumerator Exits(F, "pkguard.gate_cleanup", /*HandleExceptions=*/true);
  SmallVector<Instruction *, 8> Points;
  while (IRBuilder<> *AtExit = Exits.Next())
    Points.push_back(&*AtExit->GetInsertPoint());
  SmallVector<Instruction *, 8> Returns;
  for (Instruction *Point : Points) {
    IRBuilder<> At(Point);
    insertRestore(At, FunctionName);
    if (isa<ReturnInst>(Point) ||
        (isa<CallInst>(Point) && cast<CallInst>(Point)->isMustTailCall()))
      Returns.push_back(Point);
  }
  for (Instruction *Return : Returns)
    Emitter.insertReturnCheck(Return, FunctionName);
  insertOpen(F, DomainIndex, FunctionName);
  F.addFnAttr(ShadowedAttribute);
}

} // namespace pkguard
