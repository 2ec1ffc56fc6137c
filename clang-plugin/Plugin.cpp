//===- Plugin.cpp - Registration of pkguard's Clang plugin ----------------===//
//
// Part of pkguard, under the Apache License v2.0 with LLVM Exceptions.
// See LICENSE for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// The single registration point of the Clang plugin: every attribute it
// adds, and the checks on secrets that run after parsing. Each attribute
// lowers to annotate("...") for the pass plugin, so the plugin changes no
// code generation by itself.
//
// USAGE: clang -fplugin=PkguardClang.so ...
//
//===----------------------------------------------------------------------===//
#include "FunctionAttributes.h"
#include "SecretAttributes.h"
#include "SecretChecks.h"
#include "UnknownAttributes.h"

#include "clang/Frontend/FrontendPluginRegistry.h"

using namespace clang;
using namespace pkguard;

static ParsedAttrInfoRegistry::Add<ShadowStackAttrInfo>
    ShadowStack("pkguard_shadow_stack",
                "instrument this function with the shadow stack");
static ParsedAttrInfoRegistry::Add<NoShadowStackAttrInfo>
    NoShadowStack("pkguard_no_shadow_stack",
                  "never instrument this function with the shadow stack");
static ParsedAttrInfoRegistry::Add<SecretAttrInfo>
    Secret("pkguard_secret", "keep this variable in key-protected pages");
static ParsedAttrInfoRegistry::Add<SecretAccessAttrInfo>
    SecretAccess("pkguard_secret_access",
                 "let this function read and write one domain's secrets");
static FrontendPluginRegistry::Add<SecretChecksAction>
    SecretChecks("pkguard-secret-checks",
                 "check that only gates use secrets");
static FrontendPluginRegistry::Add<UnknownAttributesAction>
    UnknownAttributes("pkguard-unknown-attributes",
                      "make misspelt pkguard attributes errors");
