//===- SecretGates.h - Opening and closing a domain around a gate ---------===//
//
// Part of pkguard, under the Apache License v2.0 with LLVM Exceptions.
// See LICENSE for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
#ifndef PKGUARD_PASSES_SECRETGATES_H
#define PKGUARD_PASSES_SECRETGATES_H

#include "ShadowStackEmitter.h"

#include "llvm/IR/Module.h"

namespace pkguard {

// Instruments gates: see SecretGates.cpp.
class GateInstrumenter {
public:
  // Table is the module's secret table (pkguard/abi.h).
  GateInstrumenter(llvm::Module &M, llvm::GlobalVariable *Table);
  // Opens domain DomainIndex of the table on entry to F and restores the
  // PKRU F found on every exit: returns, musttail calls and unwinding.
  void instrument(llvm::Function &F, unsigned DomainIndex);

private:
  void insertOpen(llvm::Function &F, unsigned DomainIndex,
                  llvm::Constant *FunctionName);
  void insertRestore(llvm::Instruction *Before, llvm::Constant *FunctionName);
  llvm::Constant *gateWord(unsigned DomainIndex, unsigned Offset);

  ShadowStackEmitter Emitter;
  llvm::GlobalVariable *Table;
  llvm::FunctionCallee CheckFailed;
  llvm::FunctionCallee RestoreFailed;
  llvm::FunctionCallee TooDeep;
  llvm::FunctionCallee ForgedRights;
};

} // namespace pkguard

#endif
