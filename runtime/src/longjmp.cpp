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
#include "interface.h"
#include "interpose.h"
#include "pkru.h"
#include "secrets.h"
#include "state.h"
#include "thread_rights.h"

#include <setjmp.h>

using namespace pkguard;

namespace {

using LongjmpFn = void (*)(struct __jmp_buf_tag *, int);

void close_secrets() {
  if (keys_in_force())
    reset_rights();
}

NextDefinition<LongjmpFn> real_longjmp("longjmp"), real__longjmp("_longjmp"),
    real_siglongjmp("siglongjmp"), real_longjmp_chk("__longjmp_chk");

[[noreturn]] void jump(NextDefinition<LongjmpFn> &real,
                       struct __jmp_buf_tag *env, int value) {
  close_secrets();
  real.get()(env, value);
  __builtin_unreachable();
}

// Looked up at start-up rather than at the first jump, which usually comes
// from a signal handler, where dlsym (it may lock or allocate) is unsafe.
__attribute__((constructor(101))) void find_longjmp_family() {
  real_longjmp.get();
  real__longjmp.get();
  real_siglongjmp.get();
  real_longjmp_chk.get();
}

} // namespace

PKGUARD_INTERPOSER __attribute__((noreturn)) void
longjmp(struct __jmp_buf_tag *env, int value) {
  jump(real_longjmp, env, value);
}

PKGUARD_INTERPOSER __attribute__((noreturn)) void
_longjmp(struct __jmp_buf_tag *env, int value) {
  jump(real__longjmp, env, value);
}

PKGUARD_INTERPOSER __attribute__((noreturn)) void
siglongjmp(struct __jmp_buf_tag *env, int value) {
  jump(real_siglongjmp, env, value);
}

// What glibc's longjmp becomes under _FORTIFY_SOURCE.
PKGUARD_INTERPOSER __attribute__((noreturn)) void
__longjmp_chk(struct __jmp_buf_tag *env, int value) {
  jump(real_longjmp_chk, env, value);
}
