//===- init.cpp - Start-up of the pkguard runtime -------------------------===//
//
// Part of pkguard, under the Apache License v2.0 with LLVM Exceptions.
// See LICENSE for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// The runtime starts from .preinit_array, before any constructor of the
// program or of its shared libraries, so that instrumented constructors
// already find their shadow stack. Every instrumented module also calls
// __pkguard_init from its own constructor; the call is idempotent and only
// matters where pre-initialisation does not exist.
//
//===----------------------------------------------------------------------===//
#include <pkguard/abi.h>
#include "cpu.h"
#include "interface.h"
#include "keys.h"
#include "mode.h"
#include "options.h"
#include "report.h"
#include "secret_memory.h"
#include "secrets.h"
#include "self_scan.h"
#include "shadow_stack.h"
#include "signals.h"
#include "state.h"
#include "syscalls.h"
#include "thread_rights.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>

namespace pkguard {
namespace {

struct Settings {
  Options options;
  PkuSupport support;
  int shadow_key;
  int64_t shadow_delta;
  bool secret_memory;
};

void apply_settings(ProtectedState &s, const Settings &settings) {
  s.options = settings.options;
  s.secret_memory = settings.secret_memory;
  s.support = settings.support;
  s.shadow_key = settings.shadow_key;
  if (settings.shadow_key != kNoKey) {
    s.keys.assign(settings.shadow_key, KeyRole::ShadowStack);
    uint32_t open_mask = ~rights_mask(settings.shadow_key);
    uint32_t close_bits = kWriteDisable << (2 * settings.shadow_key);
    uint32_t window = kDefaultLinuxPkru & open_mask;
    s.shadow_abi = {open_mask, close_bits, settings.shadow_delta,
                    open_mask | close_bits, window};
    s.mode = PKGUARD_MODE_PROTECTED;
    s.xsave_pkru_offset = xsave_pkru_offset();
  } else {
    s.shadow_abi = {~0u, 0, settings.shadow_delta, ~0u, 0};
    s.mode = PKGUARD_MODE_UNPROTECTED;
  }
  s.initialized = true;
}

// At pre-initialisation libc has not set up environ yet, so the loader's
// own environment vector is used when there is one.
char **startup_environment;

const char *find_setting(const char *name) {
  if (!startup_environment)
    return getenv(name);
  size_t length = strlen(name);
  for (char **entry = startup_environment; *entry; ++entry)
    if (!strncmp(*entry, name, length) && (*entry)[length] == '=')
      return *entry + length + 1;
  return nullptr;
}

void initialize_once() {
  Settings settings;
  // In secure-execution mode (setuid, setgid, file capabilities) the
  // environment comes from a less privileged user, who must not be able to
  // turn the protection off: the defaults apply.
  const char *options_text =
      getauxval(AT_SECURE) ? nullptr : find_setting("PKGUARD_OPTIONS");
  OptionsError error = parse_options(options_text, settings.options);
  if (error.failed)
    report_bad_options(error.message);
  if (settings.options.help)
    print_options_help();

  settings.support = settings.options.use_pku ? detect_pku_support()
                                              : PkuSupport::TurnedOff;
  settings.shadow_key = kNoKey;
  if (settings.support == PkuSupport::Available) {
    KeyAllocation allocation = allocate_key(kWriteDisable);
    settings.shadow_key = allocation.key;
    if (allocation.key == kNoKey)
      settings.support = PkuSupport::NoFreeKey;
  }
  settings.secret_memory = probe_secret_memory();
  settings.shadow_delta = choose_shadow_delta(
      main_stack_top(), /*gates_on=*/settings.shadow_key != kNoKey);
  if (settings.shadow_key == kNoKey && settings.options.require_pku)
    report_pku_required(describe(settings.support));

  modify_state([&](ProtectedState &s) { apply_settings(s, settings); });
  seal_state();
  uintptr_t main_stack_low = mirror_main_stack();
  // The shared runtime may start in any thread of its program (a library
  // loaded from a worker); other threads take rights of their own on their
  // first instrumented call (fault_handler.h).
  if (keys_in_force() && sys_gettid() == sys_getpid())
    adopt_thread_rights(main_stack_low);
  if (keys_in_force())
    own_rights_in_forked_children();
  install_signal_dispatch();
  register_program_secrets();
  scan_loaded_modules();
  if (settings.options.verbose)
    note(Report().text(describe_mode()));
}

pthread_once_t once = PTHREAD_ONCE_INIT;

// Only executables have pre-initialisation; the shared runtime starts when
// the first hardened library's constructor calls __pkguard_init.
#ifndef PKGUARD_SHARED_RUNTIME
void initialize_from_preinit(int, char **, char **environment) {
  startup_environment = environment;
  __pkguard_init();
  startup_environment = nullptr;
}

__attribute__((section(".preinit_array"), used)) void (*preinit_entry)(
    int, char **, char **) = initialize_from_preinit;
#endif

#ifdef PKGUARD_SHARED_RUNTIME
extern "C" __attribute__((visibility("hidden"))) const char
    __pkguard_state_local[];

// Whether `address` lies in this shared runtime. (Its own references by
// exported name reach a program's runtime where there is one;
// __pkguard_state_local, hidden, is always this runtime's.)
bool in_this_runtime(const void *address) {
  Dl_info found, self;
  return address && dladdr(address, &found) &&
         dladdr(__pkguard_state_local, &self) &&
         found.dli_fbase == self.dli_fbase;
}

// In a program that carries its own runtime, the program's definitions come
// first, and the hardened library that brought this runtime calls them: the
// program's runtime must be of the library's version. When it is older,
// the lookup of this version's check finds this runtime's own.
__attribute__((constructor(101))) void check_program_runtime() {
  if (in_this_runtime(dlsym(RTLD_DEFAULT, abi::ShadowAbiName)))
    return; // this runtime is the program's only one
  if (in_this_runtime(dlsym(RTLD_DEFAULT, abi::VersionCheckName)))
    report_program_runtime_mismatch();
}
#endif

// Loading the unwinder needs a working libc, which pre-initialisation does
// not have yet; the earliest constructor does.
__attribute__((constructor(101))) void load_unwinder() { prepare_backtraces(); }

} // namespace
} // namespace pkguard

PKGUARD_INTERFACE void __pkguard_init(void) {
  pthread_once(&pkguard::once, pkguard::initialize_once);
}

PKGUARD_INTERFACE void
__pkguard_version_mismatch_check_v3(void) {}
