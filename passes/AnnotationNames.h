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

#include <string_view>

namespace pkguard::annotation {

// On functions: always, or never, give this function a shadow stack.
constexpr const char ShadowStack[] = "pkguard.shadow_stack";
constexpr const char NoShadowStack[] = "pkguard.no_shadow_stack";

// On variables with static storage: a secret, kept in pages that only gates
// can read. "pkey" is the default domain; "pkey:NAME" the domain NAME, which
// gets its own protection key.
constexpr const char Secret[] = "pkey";
// On functions: a gate, which opens the default domain ("...secret_access")
// or the domain NAME ("...secret_access:NAME") for its whole run.
constexpr const char SecretAccess[] = "pkguard.secret_access";
constexpr char DomainSeparator = ':';
constexpr const char DefaultDomain[] = "default";

// Domain names become parts of symbol names: [A-Za-z0-9_], 1 to 32 long.
constexpr size_t MaxDomainNameLength = 32;
constexpr bool isValidDomainName(std::string_view Name) {
  if (Name.empty() || Name.size() > MaxDomainNameLength)
    return false;
  for (char C : Name)
    if (!((C >= 'a' && C <= 'z') || (C >= 'A' && C <= 'Z') ||
          (C >= '0' && C <= '9') || C == '_'))
      return false;
  return true;
}

// Splits "PREFIX" or "PREFIX:DOMAIN"; returns false when Annotation is
// neither. An empty domain stands for the default one.
constexpr bool matchDomainAnnotation(std::string_view Annotation,
                                     std::string_view Prefix,
                                     std::string_view &Domain) {
  if (Annotation.substr(0, Prefix.size()) != Prefix)
    return false;
  std::string_view Rest = Annotation.substr(Prefix.size());
  if (Rest.empty()) {
    Domain = DefaultDomain;
    return true;
  }
  if (Rest[0] != DomainSeparator)
    return false;
  Domain = Rest.substr(1);
  return true;
}

} // namespace pkguard::annotation

#endif
