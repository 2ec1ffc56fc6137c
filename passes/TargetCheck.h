//===- TargetCheck.h - pkguard's instrumentation targets x86-64 only -------===//
//
// Part of pkguard, under the Apache License v2.0 with LLVM Exceptions.
// See LICENSE for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// Both passes emit x86-64 inline assembly (RDPKRU, WRPKRU, the return
// address slot). On another target that would be a backend error about
// assembly the user never wrote, or, worse, a silently unprotected build;
// pkguard says what is wrong instead.
//
//===----------------------------------------------------------------------===//
#ifndef PKGUARD_PASSES_TARGETCHECK_H
#define PKGUARD_PASSES_TARGETCHECK_H

#include "llvm/ADT/Twine.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/Module.h"
#include "llvm/TargetParser/Triple.h"

namespace pkguard {

// True for x86-64 (not x32); otherwise reports that `Feature` needs it.
inline bool checkTarget(llvm::Module &M, const llvm::Twine &Feature) {
  llvm::Triple Target(M.getTargetTriple());
  if (Target.getArch() == llvm::Triple::x86_64 && !Target.isX32())
    return true;
  M.getContext().emitError("pkguard: " + Feature +
                           " needs an x86-64 target, not '" +
                           Target.str() + "'");
  return false;
}

} // namespace pkguard

#endif
