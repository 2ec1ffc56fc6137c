//===- interpose.h - Reaching the definitions pkguard interposes ----------===//
//
// Part of pkguard, under the Apache License v2.0 with LLVM Exceptions.
// See LICENSE for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
#ifndef PKGUARD_RUNTIME_INTERPOSE_H
#define PKGUARD_RUNTIME_INTERPOSE_H

#include "report.h"

#include <dlfcn.h>

namespace pkguard {

// The definition of `name` that pkguard's own definition hides (libc's),
// looked up once. Racing threads look up the same value, so the cache needs
// no lock, and no C++ library guard variable.
template <typename Fn> Fn next_definition(const char *name, Fn &cache) {
  Fn found = __atomic_load_n(&cache, __ATOMIC_ACQUIRE);
  if (!found) {
    found = (Fn)dlsym(RTLD_NEXT, name);
    if (!found)
      fatal(Report().text("cannot find the libc definition of ").text(name));
    __atomic_store_n(&cache, found, __ATOMIC_RELEASE);
  }
  return found;
}

} // namespace pkguard

#endif
