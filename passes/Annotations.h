//===- Annotations.h - Reading pkguard's source annotations ---------------===//
//
// Part of pkguard, under the Apache License v2.0 with LLVM Exceptions.
// See LICENSE for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// The Clang plugin lowers pkguard's attributes to annotate("...") strings,
// which Clang records in llvm.global.annotations; code written with the
// annotate attribute directly reads the same. This file collects them per
// global value.
//
//===----------------------------------------------------------------------===//
#ifndef PKGUARD_PASSES_ANNOTATIONS_H
#define PKGUARD_PASSES_ANNOTATIONS_H

#include "pkguard/abi.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringRef.h"

namespace llvm {
class GlobalValue;
class Module;
} // namespace llvm

namespace pkguard {

class Annotations {
public:
  explicit Annotations(const llvm::Module &M);
  bool has(const llvm::GlobalValue &GV, llvm::StringRef Annotation) const;
  llvm::ArrayRef<llvm::StringRef> of(const llvm::GlobalValue &GV) const;

private:
  llvm::DenseMap<const llvm::GlobalValue *, llvm::SmallVector<llvm::StringRef, 1>>
      ByValue;
};

} // namespace pkguard

#endif
