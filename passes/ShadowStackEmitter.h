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
#include "llvm/IR/Module.h"

namespace pkguard {

// Marks functions whose return address is already shadowed, so that running
// a pass twice, or both passes, instruments a function once.
constexpr char ShadowedAttribute[] = "pkguard-shadow-stack";

class ShadowStackEmitter {
public:
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

  // Copies the return address to its shadow through the WRPKRU gate.
  void insertPrologue(llvm::Function &F);
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
  llvm::GlobalVariable *AbiBlock;
  llvm::FunctionCallee ReportMismatch;
};

} // namespace pkguard

#endif
