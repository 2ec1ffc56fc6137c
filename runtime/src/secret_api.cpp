//===- secret_api.cpp - Heap secrets and scoped access --------------------===//
//
// Part of pkguard, under the Apache License v2.0 with LLVM Exceptions.
// See LICENSE for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// The C API for what the attributes cannot express. A heap secret is an
// mmap of its own: a guard page, the secret's pages tagged with its
// domain's key, a guard page. Freeing zeroes it, with the domain opened for
// the zeroing only, before unmapping. Scoped access opens a domain in the
// calling thread and puts back what it found.
//
//===----------------------------------------------------------------------===//
#include "keys.h"
#include "interface.h"
#include "pages.h"
#include "pkru.h"
#include "report.h"
#include "secrets.h"
#include "state.h"
#include "syscalls.h"
#include "thread_rights.h"

#include <errno.h>
#include <pkguard/pkguard.h>
#include <string.h>
#include <sys/mman.h>

using namespace pkguard;

PKGUARD_INTERFACE void *
pkguard_secret_alloc(const char *domain, size_t size) {
  __pkguard_init();
  int index = domain_index(domain);
  if (size == 0)
    size = 1;
  size_t pages = page_up(size);
  if (pages < size) {
    errno = ENOMEM;
    return nullptr;
  }
  long mapped = sys_mmap(nullptr, pages + 2 * kPageSize, PROT_NONE,
                         MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (mmap_failed(mapped)) {
    errno = (int)-mapped;
    return nullptr;
  }
  void *secret = (char *)mapped + kPageSize;
  int error = protect_secret_pages(secret, pages, index,
                                   /*keep_contents=*/false);
  if (error) {
    sys_munmap((void *)mapped, pages + 2 * kPageSize);
    errno = error;
    return nullptr;
  }
  record_secret(secret, size, nullptr, index);
  return secret;
}

PKGUARD_INTERFACE void
pkguard_secret_free(void *secret) {
  if (!secret)
    return;
  SecretLookup found;
  if (!take_allocated_secret(secret, found))
    report_foreign_secret_free(secret);
  size_t pages = page_up(found.size);
  uint32_t saved = 0;
  if (keys_in_force()) {
    saved = current_rights();
    set_rights(pkru_with_domain_open(saved, found.domain));
  }
  // Through a volatile pointer: a memset before munmap is dead to the
  // compiler, and the secret must not outlive its memory.
  volatile unsigned char *bytes = (volatile unsigned char *)secret;
  for (size_t i = 0; i < found.size; ++i)
    bytes[i] = 0;
  if (keys_in_force())
    set_rights(saved);
  sys_munmap((char *)secret - kPageSize, pages + 2 * kPageSize);
}

PKGUARD_INTERFACE pkguard_secret_scope
pkguard_secret_open(const char *domain) {
  __pkguard_init();
  if (!keys_in_force())
    return {0};
  int index = domain_index(domain);
  uint32_t saved = current_rights();
  set_rights(pkru_with_domain_open(saved, index));
  return {saved};
}

PKGUARD_INTERFACE void
pkguard_secret_close(pkguard_secret_scope scope) {
  if (!keys_in_force())
    return;
  // The saved value lives in the caller's memory; it may not reopen the
  // shadow stack.
  const abi::ShadowStackAbi &abi = state().shadow_abi;
  if ((scope.saved | abi.open_mask) != abi.restore_expect)
    report_scope_close(scope.saved);
  set_rights(scope.saved);
}
