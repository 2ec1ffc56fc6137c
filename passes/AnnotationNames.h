//===- AnnotationNames.h - The annotate() strings pkguard understands -----===//
//
// Part of pkguard, under the Apache License v2.0 with LLVM Exceptions.
// See LICENSE for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// pkguard's source attributes are lowered by the Clang plugin to
// __attribute__((annotate("..."))) with these strings, which the pass plugin
// reads back. Code may also write the annotations by hand. Shared by both
// plugins; it depends on nothing.
//
//===----------------------------------------------------------------------===//
#ifndef PKGUARD_PASSES_ANNOTATIONNAMES_H
#define PKGUARD_PASSES_ANNOTATIONNAMES_H

namespace pkguard::annotation {

// On functions: always, or never, give this function a shadow stack.
constexpr const char ShadowStack[] = "pkguard.shadow_stack";
constexpr const char NoShadowStack[] = "pkguard.no_shadow_stack";

} // namespace pkguard::annotation

#endif
