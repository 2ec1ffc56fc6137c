//===- AbiTypes.cpp - The IR types of pkguard's ABI structures ------------===//
//
// Part of pkguard, under the Apache License v2.0 with LLVM Exceptions.
// See LICENSE for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
#include "AbiTypes.h"

#include "pkguard/abi.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/Twine.h"
#include "llvm/IR/DataLayout.h"
#include "llvm/IR/Module.h"
#include "llvm/Support/ErrorHandling.h"

#include <cstddef>

using namespace llvm;
using namespace pkguard::abi;

namespace pkguard {
namespace {

// Stops the compiler when Type's layout differs from the struct's. Always
// on: Debian's LLVM, and so this plugin, is built without assertions.
StructType *checked(const Module &M, StructType *Type, const char *Name,
                    size_t Size, ArrayRef<size_t> Offsets) {
  const StructLayout *Layout = M.getDataLayout().getStructLayout(Type);
  bool Matches = Layout->getSizeInBytes() == Size &&
                 Type->getNumElements() == Offsets.size();
  for (unsigned I = 0; Matches && I < Offsets.size(); ++I)
    Matches = Layout->getElementOffset(I) == Offsets[I];
  if (!Matches)
    report_fatal_error(Twine("pkguard: the IR layout of ") + Name +
                           " differs from <pkguard/abi.h>'s",
                       /*gen_crash_diag=*/false);
  return Type;
}

} // namespace

StructType *shadowStackAbiType(const Module &M) {
  LLVMContext &C = M.getContext();
  Type *I32 = Type::getInt32Ty(C), *I64 = Type::getInt64Ty(C);
  return checked(M, StructType::get(C, {I32, I32, I64, I32, I32}),
                 "ShadowStackAbi", sizeof(ShadowStackAbi),
                 {offsetof(ShadowStackAbi, open_mask),
                  offsetof(ShadowStackAbi, close_bits),
                  offsetof(ShadowStackAbi, shadow_delta),
                  offsetof(ShadowStackAbi, restore_expect),
                  offsetof(ShadowStackAbi, window)});
}

StructType *secretEntryType(const Module &M) {
  LLVMContext &C = M.getContext();
  Type *I32 = Type::getInt32Ty(C), *I64 = Type::getInt64Ty(C);
  Type *Ptr = PointerType::getUnqual(C);
  return checked(M, StructType::get(C, {Ptr, I64, Ptr, I32, I32}),
                 "SecretEntry", sizeof(SecretEntry),
                 {offsetof(SecretEntry, address), offsetof(SecretEntry, size),
                  offsetof(SecretEntry, name), offsetof(SecretEntry, domain),
                  offsetof(SecretEntry, zero)});
}

StructType *gateWordsType(const Module &M) {
  LLVMContext &C = M.getContext();
  Type *I32 = Type::getInt32Ty(C);
  constexpr size_t Reserved = sizeof(GateWords::reserved) / sizeof(uint32_t);
  return checked(
      M, StructType::get(C, {I32, I32, I32, ArrayType::get(I32, Reserved)}),
      "GateWords", sizeof(GateWords),
      {GateClearOffset, GateOpenBitsOffset, GateOpenExpectOffset,
       offsetof(GateWords, reserved)});
}

StructType *secretTableType(const Module &M, unsigned DomainCount) {
  LLVMContext &C = M.getContext();
  Type *I32 = Type::getInt32Ty(C);
  Type *Ptr = PointerType::getUnqual(C);
  Type *Gates = ArrayType::get(gateWordsType(M), DomainCount);
  return checked(M, StructType::get(C, {I32, I32, I32, I32, Ptr, Ptr, Gates}),
                 "SecretTable",
                 sizeof(SecretTable) + DomainCount * sizeof(GateWords),
                 {offsetof(SecretTable, magic), offsetof(SecretTable, version),
                  offsetof(SecretTable, domain_count),
                  offsetof(SecretTable, secret_count),
                  offsetof(SecretTable, domain_names),
                  offsetof(SecretTable, secrets), SecretTableGatesOffset});
}

} // namespace pkguard
