//===- AbiTypes.h - The IR types of pkguard's ABI structures --------------===//
//
// Part of pkguard, under the Apache License v2.0 with LLVM Exceptions.
// See LICENSE for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// The structures that instrumented code shares with the runtime are C++
// structs in <pkguard/abi.h>; the passes build the same layouts as IR types.
// Each type is checked, when it is built, against the struct's size and
// offsets under the module's data layout, so that a change on one side
// without the other stops the compiler instead of producing code that reads
// the wrong words.
//
//===----------------------------------------------------------------------===//
#ifndef PKGUARD_PASSES_ABITYPES_H
#define PKGUARD_PASSES_ABITYPES_H

#include "llvm/IR/DerivedTypes.h"

namespace llvm {
class Module;
} // namespace llvm

namespace pkguard {

// abi::ShadowStackAbi.
llvm::StructType *shadowStackAbiType(const llvm::Module &M);
// abi::SecretEntry.
llvm::StructType *secretEntryType(const llvm::Module &M);
// abi::GateWords.
llvm::StructType *gateWordsType(const llvm::Module &M);
// abi::SecretTable with DomainCount gate words.
llvm::StructType *secretTableType(const llvm::Module &M,
                                  unsigned DomainCount);

} // namespace pkguard

#endif
