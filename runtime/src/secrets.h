//===- secrets.h - Secret domains, their keys and their pages -------------===//
//
// Part of pkguard, under the Apache License v2.0 with LLVM Exceptions.
// See LICENSE for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// A secret domain is a name with its own protection key, allocated the
// first time a module or pkguard_secret_alloc names it, access-disabled
// everywhere but inside gates. This file keeps the domains, tags static
// secrets (the program's at start-up, a library's by its constructor) and
// heap secrets with their domain's key, fills in and seals the modules'
// gate words, and names the secret behind a protection-key fault.
//
//===----------------------------------------------------------------------===//
#ifndef PKGUARD_RUNTIME_SECRETS_H
#define PKGUARD_RUNTIME_SECRETS_H

#include <stddef.h>
#include <stdint.h>

namespace pkguard {

// Registers the secret tables of the modules linked into the program
// itself, at start-up, before any library's constructor can run: the
// modules' own constructors find them registered.
void register_program_secrets();

// The index of the domain, added (and given a key) when new; dies with a
// report when no key is left for it.
int domain_index(const char *name);

// PKRU with the given domain opened, every other key unchanged.
uint32_t pkru_with_domain_open(uint32_t pkru, int domain);

// PKRU with every secret domain closed, every other key unchanged.
uint32_t pkru_with_secrets_closed(uint32_t pkru);

// Set once a secret has been placed in ordinary pages (secret_memory.h).
extern bool secrets_in_ordinary_memory;

// Places [address, address + size) in secret memory where it can
// (secret_memory.h), tags it with the domain's key, keeps it out of
// core dumps and, where allowed, locked in memory. Returns 0 or an errno.
// `keep_contents` when the pages hold the secret's initial value already;
// otherwise they are inaccessible, and come back zeroed.
int protect_secret_pages(void *address, size_t size, int domain,
                         bool keep_contents);

// Remembers a secret's pages for fault reports; name may be null (a
// secret from pkguard_secret_alloc).
void record_secret(const void *address, size_t size, const char *name,
                   int domain);

struct SecretLookup {
  const char *name; // null for heap secrets
  uintptr_t address;
  size_t size;
  int domain;
};

// The recorded secret containing `address`; false when there is none.
// Takes no lock, for the fault handler.
bool find_secret(uintptr_t address, SecretLookup &found);

// Finds and forgets, in one step under the lock, the unnamed secret that
// starts at `address`; false when there is none, so that of two racing
// frees of one secret only one succeeds.
bool take_allocated_secret(const void *address, SecretLookup &found);

} // namespace pkguard

#endif
