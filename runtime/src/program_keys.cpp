//===- program_keys.cpp - Protection keys the program uses itself ---------===//
//
// Part of pkguard, under the Apache License v2.0 with LLVM Exceptions.
// See LICENSE for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// A program may allocate protection keys of its own. Every pkguard sequence
// closes by writing the thread's rights (thread_rights.h), so a change the
// program makes to its keys' rights must become part of those rights, or
// the next instrumented call would undo it. glibc's pkey_set is also a
// WRPKRU that any caller could use to open pkguard's keys: pkguard's own
// refuses them.
//
//===----------------------------------------------------------------------===//
#include "interface.h"
#include "interpose.h"
#include "keys.h"
#include "pkru.h"
#include "state.h"
#include "thread_rights.h"

#include <errno.h>

using namespace pkguard;

namespace {

using PkeyAllocFn = int (*)(unsigned, unsigned);
using PkeySetFn = int (*)(int, unsigned);

NextDefinition<PkeyAllocFn> real_pkey_alloc("pkey_alloc");
NextDefinition<PkeySetFn> real_pkey_set("pkey_set");

constexpr unsigned kAllRightsBits = kAccessDisable | kWriteDisable;

} // namespace

PKGUARD_INTERPOSER int pkey_alloc(unsigned flags, unsigned rights) {
  int key = real_pkey_alloc.get()(flags, rights);
  // The kernel has set the new key's rights in this thread's PKRU.
  if (key > 0 && key < kMaxKeys && keys_in_force() &&
      (rights & ~kAllRightsBits) == 0)
    set_rights(with_rights(current_rights(), key, rights));
  return key;
}

PKGUARD_INTERPOSER int pkey_set(int key, unsigned rights) {
  if (!keys_in_force())
    return real_pkey_set.get()(key, rights);
  if (key < 0 || key >= kMaxKeys || (rights & ~kAllRightsBits) != 0) {
    errno = EINVAL;
    return -1;
  }
  if (state().keys.role_of(key) != KeyRole::Unused) {
    errno = EPERM;
    return -1;
  }
  set_rights(with_rights(current_rights(), key, rights));
  return 0;
}
