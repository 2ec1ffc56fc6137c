//===- LoadGuard.cpp - pkguard's plugins load into their own LLVM only ----===//
//
// Part of pkguard, under the Apache License v2.0 with LLVM Exceptions.
// See LICENSE for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// Both plugins take LLVM's and Clang's symbols from the program that loads
// them. Loaded into another LLVM release, the static constructors of their
// command-line options and registries call into that release's code with
// this release's data layout, and the host crashes inside dlopen, before it
// can look at a plugin's API version. This constructor runs ahead of every
// other one in the plugin (an init_array priority), asks the host for its
// LLVM version through LLVMGetVersion (a C function of the same signature
// in every release pkguard builds for), and stops the host with a pkguard
// error that names both versions when the majors differ.
//
// Compiled into each plugin; nothing else in a plugin refers to it.
//
//===----------------------------------------------------------------------===//
#include "llvm/Config/llvm-config.h"

#include <dlfcn.h>
#include <stdio.h>
#include <unistd.h>

namespace {

using GetVersionFunction = void (*)(unsigned *Major, unsigned *Minor,
                                    unsigned *Patch);

// Priority 101 is the first the toolchain leaves to programs; the
// plugins' C++ globals are constructed at the default priority, after it.
__attribute__((constructor(101))) void refuseAnotherLLVM() {
  // A host without the LLVM C API cannot say; the plugin's own API version
  // check is then the only one.
  auto GetVersion = reinterpret_cast<GetVersionFunction>(
      dlsym(RTLD_DEFAULT, "LLVMGetVersion"));
  if (!GetVersion)
    return;
  unsigned Major = 0, Minor = 0, Patch = 0;
  GetVersion(&Major, &Minor, &Patch);
  if (Major == LLVM_VERSION_MAJOR)
    return;
  Dl_info Self;
  const char *Plugin =
      dladdr(reinterpret_cast<void *>(&refuseAnotherLLVM), &Self) &&
              Self.dli_fname
          ? Self.dli_fname
          : "a pkguard plugin";
  fprintf(stderr,
          "pkguard: error: %s is built for LLVM %d but was loaded into LLVM "
          "%u.%u.%u; load it into clang or opt %d, or build pkguard with "
          "-DPKGUARD_LLVM_VERSION=%u\n",
          Plugin, LLVM_VERSION_MAJOR, Major, Minor, Patch, LLVM_VERSION_MAJOR,
          Major);
  // Unwinding or exit() would run the half-loaded plugin's code; the host
  // must stop before any of it runs.
  _exit(1);
}

} // namespace
