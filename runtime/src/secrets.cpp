//===- secrets.cpp - Secret domains, their keys and their pages -----------===//
//
// Part of pkguard, under the Apache License v2.0 with LLVM Exceptions.
// See LICENSE for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
#include "secrets.h"

#include "secret_memory.h"

#include <pkguard/abi.h>
#include "gate_words.h"
#include "interface.h"
#include "keys.h"
#include "mmap_vector.h"
#include "pages.h"
#include "pkru.h"
#include "report.h"
#include "state.h"

#include <errno.h>
#include <pthread.h>
#include <string.h>
#include <sys/mman.h>

namespace pkguard {
namespace {

// Protects the domains and the recorded secrets.
pthread_mutex_t secrets_lock = PTHREAD_MUTEX_INITIALIZER;

struct SecretRecord {
  uintptr_t address;
  size_t size;
  const char *name;
  int domain;
};
MmapVector<SecretRecord> recorded_secrets;

// Tables registered and not yet unregistered: the program's own are
// registered at start-up and again by their constructors.
MmapVector<abi::SecretTable *> registered_tables;
// How many domains existed when every registered table's gate words were
// last brought up to date.
int domains_covered_by_gate_words = 0;

bool is_registered(const abi::SecretTable *table) {
  for (size_t i = 0; i < registered_tables.size(); ++i)
    if (registered_tables[i] == table)
      return true;
  return false;
}

size_t table_bytes(const abi::SecretTable *table) {
  return page_up(sizeof(abi::SecretTable) + table->domain_count * sizeof(abi::GateWords));
}

void seal_table(abi::SecretTable *table) {
  tag_pages(table, table_bytes(table), PROT_READ, kNoKey);
}

// See GateWords in <pkguard/abi.h>. The words cover the domains known
// now (see refresh_gate_words_locked for the rest).
abi::GateWords gate_words_for(int domain) {
  const ProtectedState &s = state();
  int key = s.domains[domain].key;
  if (!keys_in_force() || key == kNoKey)
    return {};
  return compute_gate_words(s.shadow_key, s.secret_keys_mask,
                            s.secret_closed_bits, key);
}

// Domains are only ever appended, each filled in before the count grows, so
// this search needs no lock.
int global_domain_of(const char *name) {
  const ProtectedState &s = state();
  int count = __atomic_load_n(&s.domain_count, __ATOMIC_ACQUIRE);
  for (int i = 0; i < count; ++i)
    if (!strcmp(s.domains[i].name, name))
      return i;
  return -1;
}

void add_domain(ProtectedState &s, const char *name, int key) {
  SecretDomain &added = s.domains[s.domain_count];
  strncpy(added.name, name, abi::MaxDomainNameLength);
  added.name[abi::MaxDomainNameLength] = '\0';
  added.key = key;
  if (key != kNoKey) {
    s.keys.assign(key, KeyRole::SecretDomain, s.domain_count);
    s.secret_keys_mask |= rights_mask(key);
    s.secret_closed_bits |= kAccessDisable << (2 * key);
  }
  __atomic_store_n(&s.domain_count, s.domain_count + 1, __ATOMIC_RELEASE);
}

int domain_index_locked(const char *name) {
  int found = global_domain_of(name);
  if (found >= 0)
    return found;
  size_t length = strnlen(name, abi::MaxDomainNameLength + 1);
  if (length == 0 || length > (size_t)abi::MaxDomainNameLength)
    report_invalid_domain_name(name);
  if (state().domain_count == abi::MaxSecretDomains)
    report_too_many_domains(name, ENOSPC);
  int key = kNoKey;
  if (keys_in_force()) {
    KeyAllocation allocation = allocate_key(kAccessDisable);
    if (allocation.key == kNoKey)
      report_too_many_domains(name, allocation.error);
    key = allocation.key;
  }
  modify_state([&](ProtectedState &s) { add_domain(s, name, key); });
  return state().domain_count - 1;
}

void resolve_domains(const abi::SecretTable *table, int *domains) {
  for (uint32_t i = 0; i < table->domain_count; ++i)
    domains[i] = domain_index_locked(table->domain_names[i]);
}

void check_table(const abi::SecretTable *table) {
  if (table->magic != abi::SecretTableMagic ||
      table->version != abi::SecretTableVersion ||
      table->domain_count > (uint32_t)abi::MaxSecretDomains)
    report_damaged_table(table);
}

} // namespace

bool secrets_in_ordinary_memory = false;

int domain_index(const char *name) {
  if (!name)
    name = "default";
  int index = global_domain_of(name);
  if (index >= 0)
    return index;
  pthread_mutex_lock(&secrets_lock);
  index = domain_index_locked(name);
  pthread_mutex_unlock(&secrets_lock);
  return index;
}

uint32_t pkru_with_domain_open(uint32_t pkru, int domain) {
  int key = state().domains[domain].key;
  return key == kNoKey ? pkru : with_rights(pkru, key, kAllRights);
}

uint32_t pkru_with_secrets_closed(uint32_t pkru) {
  const ProtectedState &s = state();
  return (pkru & ~s.secret_keys_mask) | s.secret_closed_bits;
}

int protect_secret_pages(void *address, size_t size, int domain,
                         bool keep_contents) {
  size = page_up(size);
  // Out of the kernel's direct map where it can be; otherwise the key alone
  // guards them, and the mode says so.
  if (!state().secret_memory ||
      move_to_secret_memory(address, size, keep_contents) != 0)
    __atomic_store_n(&secrets_in_ordinary_memory, true, __ATOMIC_RELAXED);
  int error = tag_pages(address, size, PROT_READ | PROT_WRITE,
                        state().domains[domain].key);
  if (error)
    return error;
  // A core dump must not carry the secrets; locking keeps them out of swap
  // where RLIMIT_MEMLOCK allows, and is only a wish otherwise (memfd_secret
  // pages are locked already).
  sys_madvise(address, size, MADV_DONTDUMP);
  raw_syscall(SYS_mlock, (long)address, (long)size);
  return 0;
}

void record_secret(const void *address, size_t size, const char *name,
                   int domain) {
  pthread_mutex_lock(&secrets_lock);
  recorded_secrets.push_back({(uintptr_t)address, size, name, domain});
  pthread_mutex_unlock(&secrets_lock);
}

bool take_allocated_secret(const void *address, SecretLookup &found) {
  bool taken = false;
  pthread_mutex_lock(&secrets_lock);
  for (size_t i = 0; i < recorded_secrets.size(); ++i) {
    const SecretRecord &r = recorded_secrets[i];
    if (r.address == (uintptr_t)address && !r.name) {
      found = {r.name, r.address, r.size, r.domain};
      recorded_secrets.erase(i);
      taken = true;
      break;
    }
  }
  pthread_mutex_unlock(&secrets_lock);
  return taken;
}

bool find_secret(uintptr_t address, SecretLookup &found) {
  // Called from the fault handler, without the lock: MmapVector's readers
  // always see mapped memory (see there).
  for (size_t i = 0; i < recorded_secrets.size(); ++i) {
    const SecretRecord &r = recorded_secrets[i];
    if (address >= r.address && address < r.address + page_up(r.size)) {
      found = {r.name, r.address, r.size, r.domain};
      return true;
    }
  }
  return false;
}

namespace {

void fill_gate_words(abi::SecretTable *table, const int *domains) {
  for (uint32_t i = 0; i < table->domain_count; ++i)
    table->gates[i] = gate_words_for(domains[i]);
}

// Gate words cover the domains that existed when they were filled in. The
// program's tables are filled in at start-up, before the libraries linked
// with it add their domains in their constructors; once those have run,
// every table's words are filled in again, so that a gate closes every
// domain of the program and of those libraries. (Rewriting them later,
// while other threads may be inside gates, could make a gate read half old
// and half new words; domains of libraries loaded by dlopen stay as each
// older gate finds them.)
void refresh_gate_words_locked() {
  if (state().domain_count == domains_covered_by_gate_words)
    return;
  for (size_t t = 0; t < registered_tables.size(); ++t) {
    abi::SecretTable *table = registered_tables[t];
    int domains[abi::MaxSecretDomains];
    resolve_domains(table, domains);
    tag_pages(table, table_bytes(table), PROT_READ | PROT_WRITE, kNoKey);
    fill_gate_words(table, domains);
    seal_table(table);
  }
  domains_covered_by_gate_words = state().domain_count;
}

void register_table(abi::SecretTable *table) {
  check_table(table);
  pthread_mutex_lock(&secrets_lock);
  if (is_registered(table)) {
    // One of the program's own tables, back from its constructor, after the
    // constructors of every library linked with the program.
    refresh_gate_words_locked();
    pthread_mutex_unlock(&secrets_lock);
    return;
  }
  registered_tables.push_back(table);
  int domains[abi::MaxSecretDomains];
  resolve_domains(table, domains);
  fill_gate_words(table, domains);
  for (uint32_t i = 0; i < table->secret_count; ++i) {
    const abi::SecretEntry &secret = table->secrets[i];
    int domain = domains[secret.domain];
    int error = protect_secret_pages(secret.address, secret.size, domain,
                                     /*keep_contents=*/true);
    if (error)
      report_secret_unprotectable(secret.name, error);
    recorded_secrets.push_back(
        {(uintptr_t)secret.address, secret.size, secret.name, domain});
  }
  seal_table(table);
  pthread_mutex_unlock(&secrets_lock);
}

} // namespace

// Every module linked into the program puts its table in section
// pkguard_tables, one after the other, each a whole number of pages; the
// linker marks the section's bounds. A program without secrets has no such
// section, and the weak bounds are null.
extern "C" char __start_pkguard_tables[] __attribute__((weak, visibility("hidden")));
extern "C" char __stop_pkguard_tables[] __attribute__((weak, visibility("hidden")));

void register_program_secrets() {
  for (char *at = __start_pkguard_tables; at && at < __stop_pkguard_tables;) {
    auto *table = (abi::SecretTable *)at;
    register_table(table);
    at += table_bytes(table);
  }
}

} // namespace pkguard

using namespace pkguard;

PKGUARD_INTERFACE void
__pkguard_register_secrets(abi::SecretTable *table) {
  __pkguard_init();
  register_table(table);
}

PKGUARD_INTERFACE void
__pkguard_unregister_secrets(abi::SecretTable *table) {
  pthread_mutex_lock(&secrets_lock);
  for (size_t i = 0; i < registered_tables.size(); ++i)
    if (registered_tables[i] == table) {
      registered_tables.erase(i);
      break;
    }
  for (uint32_t i = 0; i < table->secret_count; ++i)
    for (size_t j = 0; j < recorded_secrets.size(); ++j)
      if (recorded_secrets[j].address == (uintptr_t)table->secrets[i].address) {
        recorded_secrets.erase(j);
        break;
      }
  pthread_mutex_unlock(&secrets_lock);
}

