//===- report.h - Every error pkguard reports -----------------------------===//
//
// Part of pkguard, under the Apache License v2.0 with LLVM Exceptions.
// See LICENSE for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// The catalogue of pkguard's fatal errors: one NORETURN function per kind,
// all defined in report.cpp. Each prints "pkguard: ERROR: ..." and a
// "SUMMARY: pkguard: <kind> ..." line, then kills the process with SIGABRT,
// whatever handlers the program installed. Reports come from signal
// handlers and from corrupted program states, so none of them allocates
// (report_buffer.h) and a report that faults or recurses while reporting
// ends the process at once instead of looping.
//
//===----------------------------------------------------------------------===//
#ifndef PKGUARD_RUNTIME_REPORT_H
#define PKGUARD_RUNTIME_REPORT_H

#include "report_buffer.h"

#include <pkguard/abi.h>

#include <stddef.h>
#include <stdint.h>

namespace pkguard {

// Attacks and stray accesses, found by instrumented code or by a fault.
[[noreturn]] void report_return_mismatch(const char *function,
                                         uintptr_t expected, uintptr_t found,
                                         uintptr_t *slot);
[[noreturn]] void report_key_fault(uintptr_t address, uintptr_t pc, int key,
                                   bool write);
[[noreturn]] void report_state_write(uintptr_t address, uintptr_t pc);
[[noreturn]] void report_missing_shadow(uintptr_t address, uintptr_t pc,
                                        uintptr_t sp);
[[noreturn]] void report_gate_check_failed(const abi::SecretTable &table,
                                           uint32_t domain,
                                           const char *function);
[[noreturn]] void report_gate_restore(const char *function);
// `function` is null for the runtime's own sequences.
[[noreturn]] void report_forged_rights(const char *function);
[[noreturn]] void report_gate_too_deep(const char *function);
[[noreturn]] void report_fault_in_window(uintptr_t address, uintptr_t pc);
[[noreturn]] void report_thread_without_rights(uintptr_t pc);
// PKGUARD_OPTIONS=scan=abort and a WRPKRU or XRSTOR outside pkguard's
// sequences at `address`, in `module`.
[[noreturn]] void report_unsanctioned_code(const char *kind, const char *module,
                                           uintptr_t address);

// Misuse of pkguard's C API.
[[noreturn]] void report_scope_close(uint32_t saved_pkru);
[[noreturn]] void report_foreign_secret_free(const void *secret);

// Secrets that cannot be protected.
[[noreturn]] void report_too_many_domains(const char *name, int error);
[[noreturn]] void report_invalid_domain_name(const char *name);
[[noreturn]] void report_damaged_table(const abi::SecretTable *table);
[[noreturn]] void report_secret_unprotectable(const char *name, int error);

// Start-up and set-up failures.
[[noreturn]] void report_bad_options(const char *message);
[[noreturn]] void report_pku_required(const char *why);
[[noreturn]] void report_altstack_unshadowable(uintptr_t low, int error);
[[noreturn]] void report_too_many_stacks(int limit);
// `thread` is 0 for the main thread.
[[noreturn]] void report_shadow_unmappable(int thread, uintptr_t stack,
                                           uintptr_t shadow, int error);
[[noreturn]] void report_thread_stack_unknown();
[[noreturn]] void report_missing_libc_definition(const char *name);
// A program whose own runtime is of another version than the shared
// runtime a hardened library depends on (init.cpp).
[[noreturn]] void report_program_runtime_mismatch();
[[noreturn]] void report_out_of_memory();
[[noreturn]] void report_state_unprotectable(int error);
[[noreturn]] void report_signal_setup_failed(const char *what);

// An invariant of the runtime does not hold.
[[noreturn]] void report_check_failed(const char *file, int line,
                                      const char *condition);
#define CHECK(condition)                                                       \
  do {                                                                         \
    if (!(condition))                                                          \
      ::pkguard::report_check_failed(__FILE__, __LINE__, #condition);          \
  } while (0)

// Called first by the fault handler: a fault while this thread reports is
// the report's own, and ends the process at once, saying so.
void report_if_nested_fault();

// Kills the process with SIGABRT, whatever handlers the program installed.
[[noreturn]] void die();

} // namespace pkguard

#endif
