//===- Plugin.cpp - Registration of pkguard's IR passes -------------------===//
//
// Part of pkguard, under the Apache License v2.0 with LLVM Exceptions.
// See LICENSE for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// The single registration point of the pass plugin. It names the passes for
// 'opt -passes=' and adds them to Clang's pipeline at every -O level (and in
// the pre-link half of -flto and -flto=thin): the secrets pass at its start,
// before any optimisation can move a secret's use or fold its value; the
// shadow stack at its end, after inlining, so that only functions that
// survive as real frames are instrumented. Loaded by the link (lld's
// --load-pass-plugin), it adds the shadow stack to the end of the LTO
// backend's pipeline, after link-time inlining (ShadowStack.cpp).
//
// USAGE: clang -fpass-plugin=PkguardPass.so ...
//        ld.lld --load-pass-plugin=PkguardPass.so ... (-flto objects)
//        opt -load-pass-plugin=PkguardPass.so -passes=pkguard ...
//        Options such as -pkguard-shadow-stack=all need the plugin loaded
//        as well: clang -Xclang -load -Xclang PkguardPass.so -mllvm ...
//
//===----------------------------------------------------------------------===//
#include "LLVMCompat.h"
#include "Secrets.h"
#include "ShadowStack.h"

#include "llvm/Passes/PassBuilder.h"
#include "llvm/Support/raw_ostream.h"

using namespace llvm;
using namespace pkguard;

namespace {

// "pkguard-shadow-stack" or "pkguard-shadow-stack<POLICY>".
bool parseShadowStack(StringRef Name, ModulePassManager &MPM) {
  if (!Name.consume_front("pkguard-shadow-stack"))
    return false;
  ShadowStackOptions Options = shadowStackOptionsFromCommandLine();
  if (!Name.empty()) {
    if (!Name.consume_front("<") || !Name.consume_back(">"))
      return false;
    std::optional<ShadowStackPolicy> Policy = parseShadowStackPolicy(Name);
    if (!Policy)
      return false;
    Options.Policy = *Policy;
  }
  MPM.addPass(ShadowStackPass(Options));
  return true;
}

void addShadowStack(ModulePassManager &MPM) {
  MPM.addPass(ShadowStackPass(shadowStackOptionsFromCommandLine()));
}

void registerCallbacks(PassBuilder &PB) {
  PB.registerPipelineParsingCallback(
      [](StringRef Name, ModulePassManager &MPM,
         ArrayRef<PassBuilder::PipelineElement>) {
        if (Name == "pkguard") {
          MPM.addPass(SecretsPass());
          addShadowStack(MPM);
          return true;
        }
        if (Name == "pkguard-secrets") {
          MPM.addPass(SecretsPass());
          return true;
        }
        if (parseShadowStack(Name, MPM))
          return true;
        // opt adds only "unknown pass name"; this says what is expected.
        if (Name.starts_with("pkguard"))
          errs() << "pkguard: unknown pass '" << Name
                 << "' (expected pkguard, pkguard-secrets or "
                    "pkguard-shadow-stack<all|strong|none>)\n";
        return false;
      });
  PB.registerPipelineStartEPCallback(
      [](ModulePassManager &MPM, OptimizationLevel) {
        MPM.addPass(SecretsPass());
      });
  registerOptimizerLastCallback(PB, addShadowStack);
  // The full-LTO link's backend; ThinLTO's runs the optimizer-last
  // callbacks above.
  PB.registerFullLinkTimeOptimizationLastEPCallback(
      [](ModulePassManager &MPM, OptimizationLevel) { addShadowStack(MPM); });
}

} // namespace

extern "C" LLVM_ATTRIBUTE_WEAK PassPluginLibraryInfo llvmGetPassPluginInfo() {
  return {LLVM_PLUGIN_API_VERSION, "pkguard", PKGUARD_VERSION, registerCallbacks};
}
