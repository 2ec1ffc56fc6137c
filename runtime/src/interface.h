//===- interface.h - The runtime's exported entry points ------------------===//
//
// Part of pkguard, under the Apache License v2.0 with LLVM Exceptions.
// See LICENSE for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// The runtime is built with hidden visibility; only what instrumented code,
// the public C API (<pkguard/pkguard.h>) and interposition need is exported,
// each through PKGUARD_INTERFACE. The entry points that instrumented code
// calls are declared here, with the layouts they take from <pkguard/abi.h>.
//
//===----------------------------------------------------------------------===//
#ifndef PKGUARD_RUNTIME_INTERFACE_H
#define PKGUARD_RUNTIME_INTERFACE_H

#include <pkguard/abi.h>

#include <stdint.h>

// Marks a definition that other modules of the process reach by name.
#define PKGUARD_VISIBLE __attribute__((visibility("default")))
#define PKGUARD_INTERFACE extern "C" PKGUARD_VISIBLE

// Marks pkguard's definition of a libc function (interpose.h). The program
// that carries the runtime exports it, so that it comes before libc's. The
// shared runtime, which hardened libraries load into programs built without
// pkguard, comes after libc in every lookup and could not interpose: there
// its definitions serve only the runtime's own calls.
#ifdef PKGUARD_SHARED_RUNTIME
#define PKGUARD_INTERPOSER extern "C" __attribute__((visibility("hidden")))
#else
#define PKGUARD_INTERPOSER PKGUARD_INTERFACE
#endif

// After a corrupted return or a forged jump the stack may be misaligned;
// entry points that instrumented code calls to report realign it before
// anything uses aligned vector stores.
#define PKGUARD_REPORT_ENTRY                                                   \
  PKGUARD_INTERFACE __attribute__((noreturn, force_align_arg_pointer))

PKGUARD_INTERFACE void __pkguard_init(void);
PKGUARD_INTERFACE void __pkguard_version_mismatch_check_v3(void);
PKGUARD_INTERFACE void
__pkguard_register_secrets(pkguard::abi::SecretTable *table);
PKGUARD_INTERFACE void
__pkguard_unregister_secrets(pkguard::abi::SecretTable *table);
PKGUARD_REPORT_ENTRY void
__pkguard_report_return_mismatch(const char *function, uintptr_t expected,
                                 uintptr_t found, uintptr_t *slot);
PKGUARD_REPORT_ENTRY void
__pkguard_gate_check_failed(pkguard::abi::SecretTable *table, uint32_t domain,
                            const char *function);
PKGUARD_REPORT_ENTRY void __pkguard_report_gate_restore(const char *function);
PKGUARD_REPORT_ENTRY void __pkguard_report_forged_rights(const char *function);
PKGUARD_REPORT_ENTRY void __pkguard_report_gate_too_deep(const char *function);

#endif
