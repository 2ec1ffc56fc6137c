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
// Every exit pops, inside a window, the saved rights its own entry pushed,
// and closes with them; returns and musttail calls also check the return
// address. A gate entered with its rights already in force (nested in one
// of its domain, recursive) pushes nothing and its exits pop nothing: no
// WRPKRU runs for the gate, only its shadow-stack store when the shadow
// needs one. A jump onto any WRPKRU with a forged EAX closes with a value
// that fails the closing check, and the gate stops with a report. Without
// protection keys the runtime's delta switches the sequences off, as for
// the shadow stack.
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

static_assert(abi::gateFrameTag(0x10) == ((0x10 >> 3) | 1),
              "the frame tag, as the sequences below compute it");

// The frame tag (<pkguard/abi.h>) of the return-address slot Slot, into
// R11. The slot is the frame's own address (%rsp-based at -O2), not its
// shadow, which is RCX-based: a jump into a sequence brings any RCX.
std::string frameTag(StringRef Slot) {
  return formatv("leaq {0}, %r11\n\t"
                 "shrq $$3, %r11\n\t"
                 "orl $$1, %r11d\n\t",
                 Slot)
      .str();
}

// The gate's rights from the rights in R11, into R11: AND its clear word
// ($3), OR its open bits ($4), and check the result against its open
// expect ($5), going to $8 if it fails (a module not registered yet).
constexpr char GateRightsFromR11[] = "andl $3, %r11d\n\t"
                                     "orl $4, %r11d\n\t"
                                     "movl %r11d, %r10d\n\t"
                                     "orl $3, %r10d\n\t"
                                     "cmpl $5, %r10d\n\t"
                                     "jne ${8:l}\n\t";

// Operands: $0 the return address's shadow (written), $1 the return
// address, $2 the runtime's window word, $3 the gate's clear word, $4 its
// open bits, $5 its open expect, $6 the delta, in RCX, $7 the return
// address's slot (only its address is taken); then where a failed check
// goes: $8 the words (an unregistered module), $9 the rights, $10 the
// depth.
//
// First, as in a prologue, whether the shadow already holds the return
// address (EDX 0) or not (EDX 1), and whether PKRU is the thread's rights;
// then the gate's rights, worked out from its words and checked. If they
// are the thread's rights already (the gate is nested in one of its domain,
// or recursive), nothing is pushed: the window, if the shadow needs one,
// holds the prologue's one store. Otherwise, or if PKRU is not the rights,
// the window in which the entry pushes the rights it found, tagged with its
// frame, so that its exits know to pop them. The tag is stored before the
// new depth and again after it: a signal handler's gate between the two may
// use the same entry, and it clears the tag when it pops.
std::string openAsm() {
  return formatv("jecxz 1f\n\t"
                 "movq $1, $0\n\t" // no keys: the shadow only
                 "jmp 2f\n"
                 "1:\n\t"
                 "{0}"
                 "\tjmp 6f\n"
                 "5:\n\t"
                 ".byte 0x0f, 0x01, 0xee\n\t" // rdpkru
                 "cmpl %gs:{3}, %eax\n\t"
                 "jne 3f\n\t"
                 "movl $$1, %edx\n"
                 "6:\n\t"
                 "movl %gs:{3}, %r11d\n\t"
                 "{9}"
                 "cmpl %gs:{3}, %r11d\n\t"
                 "jne 3f\n\t"
                 "testl %edx, %edx\n\t"
                 "je 2f\n\t"
                 "{1}"
                 "movq $1, $0\n\t"
                 "{8}"
                 "jmp 2f\n"
                 "3:\n\t"
                 "{1}"
                 "movq $1, $0\n\t"
                 "movl %gs:{2}, %r10d\n\t"
                 "cmpl $${4}, %r10d\n\t"
                 "jae ${{10:l}\n\t"
                 "incl %r10d\n\t"
                 "{5}"
                 "movl %r11d, %gs:{6}(,%r10,4)\n\t"
                 "movl %r10d, %gs:{2}\n\t"
                 "movl %r11d, %gs:{6}(,%r10,4)\n\t"
                 "movl %gs:{3}, %r11d\n\t"
                 "movl %r11d, %gs:{7}(,%r10,4)\n\t"
                 "{9}"
                 "movl %r11d, %r10d\n\t"
                 "xorl $2, %r10d\n\t"
                 "shlq $$32, %r10\n\t"
                 "orq %r11, %r10\n\t"
                 "movq %r10, %gs:{3}\n\t" // rights and rights_xor_window
                 "{8}"
                 "2:",
                 unchangedCheck("$1", "$0", "5f", "jne 3f"),
                 windowSequence("$2"), abi::GateDepthOffset, abi::RightsOffset,
                 abi::MaxGateDepth, frameTag("$7"), abi::SavedFramesOffset,
                 abi::SavedRightsOffset, closingSequence("${9:l}"),
                 GateRightsFromR11)
      .str();
}
constexpr char OpenConstraints[] =
    "=*m,r,*m,*m,*m,*m,{rcx},*m,!i,!i,!i,~{eax},~{edx},~{r10},~{r11},"
    "~{memory},~{dirflag},~{fpsr},~{flags}";

// Operands: $0 the runtime's window word, $1 its open mask, $2 its restore
// expect, $3 the delta, in RCX, $4 the return address's slot (only its
// address is taken), $5 where a failed check goes.
//
// An exit pops only what its own entry pushed: the top of the saved rights
// carries its frame's tag. An entry that pushed nothing (its rights were in
// force already), or a count that a longjmp reset, leaves the rights as
// they are, and no WRPKRU runs unless PKRU is not the thread's rights,
// which a window with nothing in it puts right. Inside the window the pop
// reads the depth again, so that nothing it writes comes from a register
// set before the window, and clears the tag. The rights popped must keep
// the shadow stack write-disabled: only the runtime's sequences, which
// refuse others, and gates' entries, which push the rights in force, write
// them.
std::string restoreAsm() {
  return formatv("jecxz 1f\n\t"
                 "jmp 2f\n"
                 "1:\n\t"
                 ".byte 0x0f, 0x01, 0xee\n\t" // rdpkru
                 "cmpl %gs:{0}, %eax\n\t"
                 "sete %dl\n\t"
                 "movl %gs:{1}, %r10d\n\t"
                 "{2}"
                 "cmpl %r11d, %gs:{3}(,%r10,4)\n\t"
                 "je 3f\n\t"
                 "testb %dl, %dl\n\t"
                 "jne 2f\n\t"
                 "{4}" // PKRU is not the rights: put them back
                 "{5}"
                 "jmp 2f\n"
                 "3:\n\t"
                 "{4}"
                 "movl %gs:{1}, %r10d\n\t"
                 "movl %gs:{6}(,%r10,4), %r11d\n\t"
                 "movl $$0, %gs:{3}(,%r10,4)\n\t"
                 "subl $$1, %r10d\n\t"
                 "adcl $$0, %r10d\n\t" // the count stays at 0
                 "movl %r10d, %gs:{1}\n\t"
                 "movl %r11d, %r10d\n\t"
                 "orl $1, %r10d\n\t"
                 "cmpl $2, %r10d\n\t"
                 "jne ${{5:l}\n\t"
                 "movl %r11d, %r10d\n\t"
                 "xorl $0, %r10d\n\t"
                 "shlq $$32, %r10\n\t"
                 "orq %r11, %r10\n\t"
                 "movq %r10, %gs:{0}\n\t" // rights and rights_xor_window
                 "{5}"
                 "2:",
                 abi::RightsOffset, abi::GateDepthOffset, frameTag("$4"),
                 abi::SavedFramesOffset, windowSequence("$0"),
                 closingSequence("${5:l}"), abi::SavedRightsOffset)
      .str();
}
constexpr char RestoreConstraints[] =
    "*m,*m,*m,{rcx},*m,!i,~{eax},~{edx},~{r10},~{r11},~{memory},~{dirflag},"
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
  auto *AsmType = FunctionType::get(IRB.getVoidTy(),
                                    {PtrTy, Emitter.Int64Ty, PtrTy, PtrTy,
                                     PtrTy, PtrTy, Emitter.Int64Ty, PtrTy},
                                    false);
  Emitter.emitCheckedAsm(
      Before, AsmType, openAsm(), OpenConstraints,
      {Shadow, ReturnAddress, Emitter.abiField(abi::WindowOffset),
       gateWord(DomainIndex, abi::GateClearOffset),
       gateWord(DomainIndex, abi::GateOpenBitsOffset),
       gateWord(DomainIndex, abi::GateOpenExpectOffset), Delta, Slot},
      {{0, Emitter.Int64Ty}, {2, Int32Ty}, {3, Int32Ty}, {4, Int32Ty},
       {5, Int32Ty}, {7, Emitter.Int64Ty}},
      {{CheckFailed, {Table, IRB.getInt32(DomainIndex), FunctionName}},
       {ForgedRights, {FunctionName}},
       {TooDeep, {FunctionName}}});
}

void GateInstrumenter::insertRestore(Instruction *Before,
                                     Constant *FunctionName) {
  InstrumentationIRBuilder IRB(Before);
  Value *Slot = Emitter.returnAddressSlot(IRB);
  Value *Delta = Emitter.loadDelta(IRB);
  PointerType *PtrTy = Emitter.PtrTy;
  Type *Int32Ty = Emitter.Int32Ty;
  auto *AsmType = FunctionType::get(
      IRB.getVoidTy(), {PtrTy, PtrTy, PtrTy, Emitter.Int64Ty, PtrTy}, false);
  Emitter.emitCheckedAsm(Before, AsmType, restoreAsm(), RestoreConstraints,
                         {Emitter.abiField(abi::WindowOffset),
                          Emitter.abiField(abi::OpenMaskOffset),
                          Emitter.abiField(abi::RestoreExpectOffset), Delta,
                          Slot},
                         {{0, Int32Ty}, {1, Int32Ty}, {2, Int32Ty},
                          {4, Emitter.Int64Ty}},
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
