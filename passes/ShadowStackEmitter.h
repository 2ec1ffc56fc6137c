//===- ShadowStackEmitter.h - Emits the code that reaches the shadow stack ===//
//
// Part of pkguard, under the Apache License v2.0 with LLVM Exceptions.
// See LICENSE for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// What the shadow-stack pass and the secret gates both emit: addresses in
// the shadow stack, loads from the runtime's read-only ABI block, the
// prologue that copies the return address, and the check before a return.
//
//===----------------------------------------------------------------------===//
#ifndef PKGUARD_PASSES_SHADOWSTACKEMITTER_H
#define PKGUARD_PASSES_SHADOWSTACKEMITTER_H

#include "llvm/IR/IRBuilder.h"
#include "llvm/IR/Instructions.h"
#include "llvm/IR/Module.h"

#include <string>

namespace pkguard {

// Marks functions whose return address is already shadowed, so that running
// a pass twice, or both passes, instruments a function once.
constexpr char ShadowedAttribute[] = "pkguard-shadow-stack";

// The two halves of every WRPKRU sequence pkguard emits (docs/sequences.md;
// the bytes are in <pkguard/abi.h>): the window, whose value is the operand
// WindowOperand (e.g. "$2", the runtime's window word), and the closing,
// which writes the thread's rights, checks them and jumps to FailureLabel
// (e.g. "${4:l}") when they are not what it wrote.
std::string windowSequence(llvm::StringRef WindowOperand);
std::string closingSequence(llvm::StringRef FailureLabel);
// What decides whether a window is needed at all (docs/sequences.md):
// compares the shadow slot Shadow with ReturnAddress, jumping to
// SlotChangedLabel when they differ, then PKRU with the thread's rights,
// followed by RightsJump ("je <done>" in a prologue). Needs ECX 0 (RDPKRU);
// clobbers EAX and EDX, which is 0 after it. The shadow is read before PKRU
// is known: where the thread runs with the shadow's key access-disabled (a
// handler the kernel called directly), the read faults and the runtime
// resumes it with the thread's rights.
std::string unchangedCheck(llvm::StringRef ReturnAddress,
                           llvm::StringRef Shadow,
                           llvm::StringRef SlotChangedLabel,
                           llvm::StringRef RightsJump);

class ShadowStackEmitter {
public:
  // A noreturn runtime call made when a checked sequence fails.
  struct FailureReport {
    llvm::FunctionCallee Report;
    llvm::SmallVector<llvm::Value *, 3> Args;
  };

  explicit ShadowStackEmitter(llvm::Module &M);

  // A pointer into the runtime's ABI block (pkguard/abi.h).
  llvm::Constant *abiField(unsigned Offset);
  // The shadow delta, loaded at the point of use.
  llvm::Value *loadDelta(llvm::IRBuilder<> &IRB);
  // The shadow of the word at Slot + Offset.
  llvm::Value *shadowOf(llvm::IRBuilder<> &IRB, llvm::Value *Slot,
                        llvm::Value *Delta, int64_t Offset = 0);
  llvm::Value *returnAddressSlot(llvm::IRBuilder<> &IRB);
  // Reads the return address afresh from the stack.
  llvm::Value *loadReturnAddress(llvm::IRBuilder<> &IRB, llvm::Value *Slot,
                                 const char *Name);

  // Copies the return address to its shadow inside a checked window; a
  // failed check reports FunctionName.
  void insertPrologue(llvm::Function &F, llvm::Constant *FunctionName);
  // Ends Before's block with the inline assembly Asm as a callbr, whose
  // indirect destinations are new blocks making the calls of Failures, in
  // order; the code from Before on continues in a block of its own.
  llvm::CallBrInst *
  emitCheckedAsm(llvm::Instruction *Before, llvm::FunctionType *AsmType,
                 llvm::StringRef Asm, llvm::StringRef Constraints,
                 llvm::ArrayRef<llvm::Value *> Args,
                 llvm::ArrayRef<std::pair<unsigned, llvm::Type *>> ElementTypes,
                 llvm::ArrayRef<FailureReport> Failures);
  // Compares the return address with its shadow before Exit and reports a
  // mismatch, naming FunctionName.
  void insertReturnCheck(llvm::Instruction *Exit, llvm::Constant *FunctionName);
  // The function's name, as reports print it.
  llvm::Constant *functionName(llvm::Function &F);

  llvm::Module &M;
  llvm::Type *Int32Ty;
  llvm::Type *Int64Ty;
  llvm::PointerType *PtrTy;

private:
  void hoistStaticAllocas(llvm::BasicBlock &Entry, llvm::Instruction *Before);

  llvm::GlobalVariable *AbiBlock;
  llvm::FunctionCallee ReportMismatch;
  llvm::FunctionCallee ReportForgedRights;
};

} // namespace pkguard

#endif
