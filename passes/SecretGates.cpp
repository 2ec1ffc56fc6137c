//===- SecretGates.cpp - Opening and closing a domain around a gate -------===//
//
// Part of pkguard, under the Apache License v2.0 with LLVM Exceptions.
// See LICENSE for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// A gate opens its domain for its whole run and, on every way out, restores
// the rights it found, so that nested gates and recursion leave the domain
// as they found it. The rights it found are kept where no ordinary store
// reaches: pushed on the thread's stack of saved rights in its ThreadRights
// (<pkguard/abi.h>), which lie in shadow-stack pages and which the code
// reaches as %gs:offset, with no register an attacker could choose. A gate is
// thus also a shadow-stack function, and its entry is one sequence
// (docs/sequences.md):
//
//   open the window; store the return address in the shadow; push the
//   thread's rights; compute "shadow write-disabled, this domain open,
//   every other domain closed" from the runtime's gate words and check it;
//   make it the thread's rights; close the window with them, checked.
//
// Every exit pops the saved rights inside a window and closes with them;
// returns and musttail calls also check the return address. A jump onto
// any WRPKRU with a forged EAX closes with a value that fails the closing
// check, and the gate stops with a report. Without protection keys the
// runtime's delta switches the sequences off, as for the shadow stack.
//
//===----------------------------------------------------------------------===//
#include "SecretGates.h"

#include "LLVMCompat.h"

#include "pkguard/abi.h"

#include "llvm/Support/FormatVariadic.h"
#include "llvm/IR/Instructions.h"
#include "llvm/Transforms/Utils/BasicBlockUtils.h"
#include "llvm/Transforms/Utils/EscapeEnumerator.h"

using namespace llvm;

namespace pkguard {
namespace {

static_assert(abi::RightsXorWindowOffset == abi::RightsOffset + 4,
              "one 8-byte store at %gs:RightsOffset writes both words");

// Operands: $0 the return address's shadow (written), $1 the return
// address, $2 the runtime's window word, $3 the gate's clear word, $4 its
// open bits, $5 its open expect, $6 the delta, in RCX; then where a failed
// check goes: $7 the words (an unregistered module), $8 the rights, $9 the
// depth.
std::string openAsm() {
  return formatv("jecxz 1f\n\t"
                 "movq $1, $0\n\t" // no keys: the shadow only
                 "jmp 2f\n"
                 "1:\n\t"
                 "{0}"
                 "movq $1, $0\n\t"
                 "movl %gs:{1}, %r10d\n\t"
                 "cmpl $${2}, %r10d\n\t"
                 "jae ${{9:l}\n\t"
                 "incl %r10d\n\t"
                 "movl %gs:{3}, %r11d\n\t"
                 "movl %r11d, %gs:{4}(,%r10,4)\n\t"
                 "movl %r10d, %gs:{1}\n\t"
                 "andl $3, %r11d\n\t"
                 "orl $4, %r11d\n\t"
                 "movl %r11d, %r10d\n\t"
                 "orl $3, %r10d\n\t"
                 "cmpl $5, %r10d\n\t"
                 "jne ${{7:l}\n\t"
                 "movl %r11d, %r10d\n\t"
                 "xorl $2, %r10d\n\t"
                 "shlq $$32, %r10\n\t"
                 "orq %r11, %r10\n\t"
                 "movq %r10, %gs:{3}\n\t" // rights and rights_xor_window
                 "{5}"
                 "2:",
                 windowSequence("$2"), abi::GateDepthOffset,
                 abi::MaxGateDepth, abi::RightsOffset, abi::SavedRightsOffset,
                 closingSequence("${8:l}"))
      .str();
}
constexpr char OpenConstraints[] =
    "=*m,r,*m,*m,*m,*m,{rcx},!i,!i,!i,~{eax},~{edx},~{r10},~{r11},~{memory},"
    "~{dirflag},~{fpsr},~{flags}";

// Operands: $0 the runtime's window word, $1 its open mask, $2 its restore
// expect, $3 the delta, in RCX, $4 where a failed check goes. With no entry
// recorded (a longjmp reset the count) the pop finds saved_rights[0], the
// thread's rights with every domain closed. The rights popped must keep the
// shadow stack write-disabled: only the runtime's sequences, which refuse
// others, and gates' entries, which push the rights in force, write them.
std::string restoreAsm() {
  return formatv("jecxz 1f\n\t"
                 "jmp 2f\n"
                 "1:\n\t"
                 "{0}"
                 "movl %gs:{1}, %r10d\n\t"
                 "movl %gs:{2}(,%r10,4), %r11d\n\t"
                 "subl $$1, %r10d\n\t"
                 "adcl $$0, %r10d\n\t" // the count stays at 0
                 "movl %r10d, %gs:{1}\n\t"
                 "movl %r11d, %r10d\n\t"
                 "orl $1, %r10d\n\t"
                 "cmpl $2, %r10d\n\t"
                 "jne ${{4:l}\n\t"
                 "movl %r11d, %r10d\n\t"
                 "xorl $0, %r10d\n\t"
                 "shlq $$32, %r10\n\t"
                 "orq %r11, %r10\n\t"
                 "movq %r10, %gs:{3}\n\t" // rights and rights_xor_window
                 "{4}"
                 "2:",
                 windowSequence("$0"), abi::GateDepthOffset,
                 abi::SavedRightsOffset, abi::RightsOffset,
                 closingSequence("${4:l}"))
      .str();
}
constexpr char RestoreConstraints[] =
    "*m,*m,*m,{rcx},!i,~{eax},~{edx},~{r10},~{r11},~{memory},~{dirflag},"
    "~{fpsr},~{flags}";

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
  AttributeList Reporting = AttributeList::get(
      C, AttributeList::FunctionIndex,
      {Attribute::NoReturn, Attribute::Cold, Attribute::NoUnwind});
  FunctionType *NamesFunction =
      FunctionType::get(VoidTy, {Emitter.PtrTy}, false);
  RestoreFailed = M.getOrInsertFunction(abi::GateRestoreFailedName,
                                        NamesFunction, Reporting);
  TooDeep =
      M.getOrInsertFunction(abi::GateTooDeepName, NamesFunction, Reporting);
  ForgedRights = M.getOrInsertFunction(abi::ReportForgedRightsName,
                                       NamesFunction, Reporting);
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
  PointerType *PtrTy = Emitter.PtrTy;
  Type *Int32Ty = Emitter.Int32Ty;
  auto *AsmType = FunctionType::get(
      IRB.getVoidTy(),
      {PtrTy, Emitter.Int64Ty, PtrTy, PtrTy, PtrTy, PtrTy, Emitter.Int64Ty},
      false);
  Emitter.emitCheckedAsm(
      Before, AsmType, openAsm(), OpenConstraints,
      {Shadow, ReturnAddress, Emitter.abiField(abi::WindowOffset),
       gateWord(DomainIndex, abi::GateClearOffset),
       gateWord(DomainIndex, abi::GateOpenBitsOffset),
       gateWord(DomainIndex, abi::GateOpenExpectOffset), Delta},
      {{0, Emitter.Int64Ty}, {2, Int32Ty}, {3, Int32Ty}, {4, Int32Ty},
       {5, Int32Ty}},
      {{CheckFailed, {Table, IRB.getInt32(DomainIndex), FunctionName}},
       {ForgedRights, {FunctionName}},
       {TooDeep, {FunctionName}}});
}

void GateInstrumenter::insertRestore(Instruction *Before,
                                     Constant *FunctionName) {
  InstrumentationIRBuilder IRB(Before);
  Value *Delta = Emitter.loadDelta(IRB);
  PointerType *PtrTy = Emitter.PtrTy;
  Type *Int32Ty = Emitter.Int32Ty;
  auto *AsmType = FunctionType::get(
      IRB.getVoidTy(), {PtrTy, PtrTy, PtrTy, Emitter.Int64Ty}, false);
  Emitter.emitCheckedAsm(Before, AsmType, restoreAsm(), RestoreConstraints,
                         {Emitter.abiField(abi::WindowOffset),
                          Emitter.abiField(abi::OpenMaskOffset),
                          Emitter.abiField(abi::RestoreExpectOffset), Delta},
                         {{0, Int32Ty}, {1, Int32Ty}, {2, Int32Ty}},
                         {{RestoreFailed, {FunctionName}}});
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
    insertRestore(Point, FunctionName);
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
