//===- LLVMCompat.h - What differs between LLVM 19 and 22 -------*- C++ -*-===//
//
// Part of pkguard, under the Apache License v2.0 with LLVM Exceptions.
// See LICENSE for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// The pass plugin builds against LLVM 19 or 22 (PKGUARD_LLVM_VERSION at
// configure time). Every difference between the two that the passes meet
// is settled here, so that the passes themselves read the same for both:
// headers that moved, and API that changed shape.
//
//===----------------------------------------------------------------------===//
#ifndef PKGUARD_PASSES_LLVMCOMPAT_H
#define PKGUARD_PASSES_LLVMCOMPAT_H

#include "llvm/Config/llvm-config.h"
#include "llvm/Passes/PassBuilder.h"

#if LLVM_VERSION_MAJOR >= 22
// LLVM 22 keeps the pass plugin interface in its own folder.
#include "llvm/Plugins/PassPlugin.h"
#else
#include "llvm/Passes/PassPlugin.h"
#endif

#if LLVM_VERSION_MAJOR >= 22
// LLVM 22 keeps the sanitizer helpers the passes use (InstrumentationIRBuilder,
// createSanitizerCtor) in Utils, apart from the instrumentation passes.
#include "llvm/Transforms/Utils/Instrumentation.h"
#else
#include "llvm/Transforms/Instrumentation.h"
#endif

namespace pkguard {

// Runs Callback(MPM) at the end of every optimisation pipeline. LLVM 22
// also tells the callback which LTO phase the pipeline is for; pkguard
// instruments the same in every phase, as LLVM 19 let it.
template <typename CallbackT>
void registerOptimizerLastCallback(llvm::PassBuilder &PB, CallbackT Callback) {
#if LLVM_VERSION_MAJOR >= 22
  PB.registerOptimizerLastEPCallback(
      [Callback](llvm::ModulePassManager &MPM, llvm::OptimizationLevel,
                 llvm::ThinOrFullLTOPhase) { Callback(MPM); });
#else
  PB.registerOptimizerLastEPCallback(
      [Callback](llvm::ModulePassManager &MPM, llvm::OptimizationLevel) {
        Callback(MPM);
      });
#endif
}

} // namespace pkguard

#endif
