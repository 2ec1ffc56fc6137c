//===- longjmp.cpp - Leaving a gate by longjmp ----------------------------===//
//
// Part of pkguard, under the Apache License v2.0 with LLVM Exceptions.
// See LICENSE for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// A gate restores the PKRU it found on return and on unwinding, but a
// longjmp leaves it without running any of its code, and would carry its
// open domain into whatever the jump lands in. So the longjmp family is
// interposed to close every secret domain first. Code that longjmps to a
// point inside a gate then finds the domain closed and faults: the safe way
// to fail. (The shadow stack itself needs nothing here.)
//
//===----------------------------------------------------------------------===//
#include "interpose.h"
#include "pkru.h"
#include "secrets.h"
#include "state.h"

#include <setjmp.h>

using namespace pkguard;

namespace {

using LongjmpFn = void (*)(struct __jmp_buf_tag *, int);

void close_secrets() {
  if (state().mode == PKGUARD_MODE_PROTECTED && state().secret_keys_mask)
    write_pkru(pkru_with_secrets_closed(read_pkru()));
}

[[noreturn]] void jump(const char *name, LongjmpFn &cache,
                       struct __jmp_buf_tag *env, int value) {
  close_secrets();
  next_definition(name, cache)(env, value);
  __builtin_unreachable();
}

LongjmpFn real_longjmp, real__longjmp, real_siglongjmp, real_longjmp_chk;

// Looked up at start-up rather than at the first jump, which usually comes
// from a signal handler, where dlsym (it may lock or allocate) is unsafe.
__attribute__((constructor(101))) void find_longjmp_family() {
  next_definition("longjmp", real_longjmp);
  next_definition("_longjmp", real__longjmp);
  next_definition("siglongjmp", real_siglongjmp);
  next_definition("__longjmp_chk", real_longjmp_chk);
}

} // namespace

extern "C" __attribute__((visibility("default"), noreturn)) void
longjmp(struct __jmp_buf_tag *env, int value) {
  jump("longjmp", real_longjmp, env, value);
}

extern "C" __attribute__((visibility("default"), noreturn)) void
_longjmp(struct __jmp_buf_tag *env, int value) {
  jump("_longjmp", real__longjmp, env, value);
}

extern "C" __attribute__((visibility("default"), noreturn)) void
siglongjmp(struct __jmp_buf_tag *env, int value) {
  jump("siglongjmp", real_siglongjmp, env, value);
}

// What glibc's longjmp becomes under _FORTIFY_SOURCE.
extern "C" __attribute__((visibility("default"), noreturn)) void
__longjmp_chk(struct __jmp_buf_tag *env, int value) {
  jump("__longjmp_chk", real_longjmp_chk, env, value);
}
