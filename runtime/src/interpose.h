//===- interpose.h - Reaching the definitions pkguard interposes ----------===//
//
// Part of pkguard, under the Apache License v2.0 with LLVM Exceptions.
// See LICENSE for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// pkguard defines some libc functions itself (pthread_create, sigaction,
// the longjmp family, ...) and calls libc's from its own. Each is reached
// through one NextDefinition at namespace scope. Those that may be called
// from a signal handler, where dlsym is unsafe (it may lock or allocate),
// are also looked up from a start-up constructor.
//
//===----------------------------------------------------------------------===//
#ifndef PKGUARD_RUNTIME_INTERPOSE_H
#define PKGUARD_RUNTIME_INTERPOSE_H

#include "report.h"

#include <dlfcn.h>

namespace pkguard {

// Where libc's definitions are: after the program's own, which pkguard's
// are; for the shared runtime, whose definitions are hidden, the first of
// the process's (interface.h).
#ifdef PKGUARD_SHARED_RUNTIME
inline void *const kNextDefinitions = RTLD_DEFAULT;
#else
inline void *const kNextDefinitions = RTLD_NEXT;
#endif

// The definition of `name` that pkguard's own definition hides, looked up
// once. Racing threads look up the same value, so the cache needs no lock;
// the constructor is constexpr, so no C++ library guard variable either.
template <typename Fn> class NextDefinition {
public:
  constexpr explicit NextDefinition(const char *name) : name_(name) {}

  Fn get() {
    Fn found = __atomic_load_n(&cache_, __ATOMIC_ACQUIRE);
    if (!found) {
      found = (Fn)dlsym(kNextDefinitions, name_);
      if (!found)
        report_missing_libc_definition(name_);
      __atomic_store_n(&cache_, found, __ATOMIC_RELEASE);
    }
    return found;
  }

private:
  const char *name_;
  Fn cache_ = nullptr;
};

} // namespace pkguard

#endif
