//===- Annotations.cpp - Reading pkguard's source annotations -------------===//
//
// Part of pkguard, under the Apache License v2.0 with LLVM Exceptions.
// See LICENSE for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
#include "Annotations.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/IR/Constants.h"
#include "llvm/IR/GlobalVariable.h"
#include "llvm/IR/Module.h"

using namespace llvm;

namespace pkguard {

Annotations::Annotations(const Module &M) {
  const GlobalVariable *List = M.getNamedGlobal("llvm.global.annotations");
  if (!List || !List->hasInitializer())
    return;
  // Each entry is { ptr value, ptr string, ptr file, i32 line, ptr args }.
  const auto *Entries = dyn_cast<ConstantArray>(List->getInitializer());
  if (!Entries)
    return;
  for (const Use &U : Entries->operands()) {
    const auto *Entry = dyn_cast<ConstantStruct>(U.get());
    if (!Entry || Entry->getNumOperands() < 2)
      continue;
    const auto *Annotated =
        dyn_cast<GlobalValue>(Entry->getOperand(0)->stripPointerCasts());
    const auto *Text =
        dyn_cast<GlobalVariable>(Entry->getOperand(1)->stripPointerCasts());
    if (!Annotated || !Text || !Text->hasInitializer())
      continue;
    const auto *Data = dyn_cast<ConstantDataSequential>(Text->getInitializer());
    if (!Data || !Data->isCString())
      continue;
    ByValue[Annotated].push_back(Data->getAsCString());
  }
}

ArrayRef<StringRef> Annotations::of(const GlobalValue &GV) const {
  auto It = ByValue.find(&GV);
  if (It == ByValue.end())
    return {};
  return It->second;
}

bool Annotations::has(const GlobalValue &GV, StringRef Annotation) const {
  return is_contained(of(GV), Annotation);
}

} // namespace pkguard
