//===- report.cpp - Every error pkguard reports ---------------------------===//
//
// Part of pkguard, under the Apache License v2.0 with LLVM Exceptions.
// See LICENSE for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// The catalogue of report.h, and the report entry points that instrumented
// code calls (interface.h).
//
//===----------------------------------------------------------------------===//
#include "report.h"

#include "interface.h"
#include "keys.h"
#include "pkru.h"
#include "secrets.h"
#include "shadow_stack.h"
#include "state.h"
#include "symbolizer.h"
#include "thread_rights.h"
#include "syscalls.h"

#include <errno.h>
#include <signal.h>

namespace pkguard {
namespace {

// The thread that is reporting, or 0. A second report from the same thread
// means the first one faulted or failed: the process dies at once with what
// it has. A report from another thread waits for the first to end the
// process, so that two reports never interleave.
int reporting_thread = 0;

void begin_report() {
  // After a forged sequence the PKRU may open anything: close it before
  // the report reads memory on the program's behalf.
  if (keys_in_force())
    close_all_keys();
  int self = sys_gettid();
  int expected = 0;
  if (__atomic_compare_exchange_n(&reporting_thread, &expected, self, false,
                                  __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) {
    // A report made in a fault handler runs with the fault's signal
    // blocked, and a second fault would kill the process without a word:
    // unblocked, it comes back here and says so.
    unsigned long faults = (1UL << (SIGSEGV - 1)) | (1UL << (SIGBUS - 1));
    raw_syscall(SYS_rt_sigprocmask, SIG_UNBLOCK, (long)&faults, 0,
                sizeof(unsigned long));
    return;
  }
  if (expected == self) {
    static const char kNested[] =
        "\npkguard: ERROR: a second error while reporting an error\n";
    sys_write(2, kNested, sizeof kNested - 1);
    die();
  }
  for (;;)
    raw_syscall(SYS_sched_yield);
}

// What the summary line names: the function at `pc`, when it has a name.
void append_function_at(Report &summary, uintptr_t pc) {
  Symbolized where;
  if (symbolize(pc, where) && where.function[0])
    summary.text(" in ").symbol(where.function);
}

// Prints "pkguard: ERROR: <message>", the call stack from `stack_from`
// when it is not 0, and "SUMMARY: pkguard: <summary>", and dies.
// `begin_report` has been called. The stack is walked after the message is
// out: a walk through a corrupted stack can fault, and the fault is then
// reported as a second error, after the first.
[[noreturn]] void finish(const Report &message, const Report &summary,
                         uintptr_t stack_from = 0) {
  Report line;
  line.text("pkguard: ERROR: ").text(message.c_str()).text("\n");
  line.print();
  if (stack_from)
    Report().call_stack(stack_from).print();
  Report last;
  last.text("SUMMARY: pkguard: ").text(summary.c_str()).text("\n");
  last.print();
  die();
}

// For reports whose message is all there is to say.
[[noreturn]] void fatal(const char *kind, const Report &message) {
  finish(message, Report().text(kind));
}

} // namespace

void report_if_nested_fault() {
  if (__atomic_load_n(&reporting_thread, __ATOMIC_ACQUIRE) == sys_gettid())
    begin_report();
}

void die() {
  // The program may have blocked or caught SIGABRT; neither may keep a
  // corrupted process alive. Raw calls, so that pkguard's own sigaction
  // interposer is not involved.
  struct {
    void *handler;
    unsigned long flags;
    void *restorer;
    unsigned long mask;
  } default_action = {nullptr /* SIG_DFL */, 0, nullptr, 0};
  raw_syscall(SYS_rt_sigaction, SIGABRT, (long)&default_action, 0,
              sizeof(unsigned long));
  unsigned long abort_only = 1UL << (SIGABRT - 1);
  raw_syscall(SYS_rt_sigprocmask, SIG_UNBLOCK, (long)&abort_only, 0,
              sizeof(unsigned long));
  raw_syscall(SYS_tgkill, sys_getpid(), sys_gettid(), SIGABRT);
  raw_syscall(SYS_exit_group, 134);
  __builtin_unreachable();
}

//===----------------------------------------------------------------------===//
// Attacks and stray accesses.
//===----------------------------------------------------------------------===//

void report_return_mismatch(const char *function, uintptr_t expected,
                            uintptr_t found, uintptr_t *slot) {
  begin_report();
  Report message;
  message.text("return address mismatch in ").symbol(function);
  message.text("\npkguard:   found    ").hex(found).text(" (");
  message.code_address(found).text(")");
  message.text("\npkguard:   expected ").hex(expected).text(" (");
  message.code_address(expected).text(")");
  message.text("\npkguard:   return address slot ").hex((uintptr_t)slot);
  message.text(", shadow ").hex(shadow_of((uintptr_t)slot));
  message.text(", thread ").number(sys_gettid());
  finish(message, Report().text("return-address-mismatch in ").symbol(function));
}

void report_key_fault(uintptr_t address, uintptr_t pc, int key, bool write) {
  begin_report();
  Report message, summary;
  message.text(write ? "write to " : "read of ");
  SecretLookup secret;
  KeyRole role = state().keys.role_of(key);
  if (role == KeyRole::ShadowStack) {
    message.text("the shadow stack at ").hex(address);
    summary.text("shadow-stack-write");
  } else if (role == KeyRole::SecretDomain && find_secret(address, secret)) {
    if (secret.name)
      message.text("secret '").text(secret.name).text("'");
    else
      message.text("a heap secret of ").number((long)secret.size).text(" bytes");
    message.text(" outside a gate at ").hex(address);
    if (address - secret.address >= secret.size)
      message.text(" (past its end, in its padding)");
    summary.text(write ? "secret-write" : "secret-read");
  } else {
    message.text("memory of protection key ").number(key).text(" at ");
    message.hex(address);
    summary.text("protection-key-fault");
  }
  message.text(" (");
  if (role == KeyRole::SecretDomain)
    message.text("domain '")
        .text(state().domains[state().keys.domain_of(key)].name)
        .text("', ");
  message.text("SEGV_PKUERR, protection key ").number(key).text(") in ");
  message.fault_location(pc);
  append_function_at(summary, pc);
  finish(message, summary, pc);
}

void report_state_write(uintptr_t address, uintptr_t pc) {
  begin_report();
  Report summary;
  summary.text("state-write");
  append_function_at(summary, pc);
  finish(Report()
             .text("write to pkguard's read-only state at ")
             .hex(address)
             .text(" (SEGV_ACCERR) in ")
             .fault_location(pc),
         summary, pc);
}

void report_missing_shadow(uintptr_t address, uintptr_t pc, uintptr_t sp) {
  begin_report();
  Report summary;
  summary.text("missing-shadow-stack");
  append_function_at(summary, pc);
  finish(Report()
             .text("no shadow stack for the stack at ")
             .hex(stack_address_of_shadow(address))
             .text(" (stack pointer ")
             .hex(sp)
             .text("): stacks that pkguard does not create need "
                   "pkguard_register_stack; in ")
             .fault_location(pc),
         summary, pc);
}

void report_gate_check_failed(const abi::SecretTable &table, uint32_t domain,
                              const char *function) {
  begin_report();
  Report message;
  const char *kind;
  if (table.gates[domain].clear == abi::UnregisteredGateClear) {
    kind = "gate-before-registration in ";
    message.text("gate ")
        .symbol(function)
        .text(" of domain '")
        .text(table.domain_names[domain])
        .text("' ran before its module registered its secrets (from a "
              "constructor of a library loaded before it?)");
  } else {
    kind = "gate-check-failed in ";
    message.text("gate ")
        .symbol(function)
        .text(" of domain '")
        .text(table.domain_names[domain])
        .text("' computed rights its gate words do not allow: was it "
              "entered other than by a call?");
  }
  finish(message, Report().text(kind).symbol(function));
}

void report_gate_restore(const char *function) {
  uint32_t pkru = read_pkru();
  begin_report();
  finish(Report()
             .text("the exit of gate ")
             .symbol(function)
             .text(" wrote PKRU ")
             .hex(pkru)
             .text(", not the rights saved at its entry: was it entered "
                   "other than by a call?"),
         Report().text("gate-restore-failed in ").symbol(function));
}

void report_forged_rights(const char *function) {
  uint32_t pkru = read_pkru();
  begin_report();
  Report message, summary;
  message.text("a protection-key sequence ");
  summary.text("forged-rights");
  if (function) {
    message.text("of ").symbol(function).text(" ");
    summary.text(" in ").symbol(function);
  } else {
    message.text("of pkguard's runtime ");
  }
  message.text("wrote PKRU ")
      .hex(pkru)
      .text(", not the thread's rights: it was entered other than from its "
            "start");
  finish(message, summary);
}

void report_fault_in_window(uintptr_t address, uintptr_t pc) {
  begin_report();
  Report summary;
  summary.text("forged-rights");
  append_function_at(summary, pc);
  // No call stack: the stack is whatever the jump left.
  finish(Report()
             .text("fault at ")
             .hex(address)
             .text(" inside a protection-key sequence, which was entered "
                   "other than from its start, at ")
             .code_address(pc),
         summary);
}

void report_thread_without_rights(uintptr_t pc) {
  begin_report();
  Report summary;
  summary.text("thread-without-rights");
  append_function_at(summary, pc);
  finish(Report()
             .text("instrumented code at ")
             .code_address(pc)
             .text(" runs in thread ")
             .number(sys_gettid())
             .text(", which pkguard did not start (clone()?) and which has "
                   "no protection-key rights of its own; start it with "
                   "pthread_create"),
         summary);
}

void report_unsanctioned_code(const char *kind, const char *module,
                              uintptr_t address) {
  begin_report();
  Report summary;
  summary.text("unsanctioned-code");
  append_function_at(summary, address);
  finish(Report()
             .text(kind)
             .text(" outside pkguard's sequences at ")
             .code_address(address)
             .text(" (")
             .text(module)
             .text("), refused by PKGUARD_OPTIONS=scan=abort"),
         summary);
}

void report_gate_too_deep(const char *function) {
  begin_report();
  Report message;
  message.text("gates nested more than ")
      .number(abi::MaxGateDepth)
      .text(" deep");
  if (function)
    message.text(" at ").symbol(function);
  Report summary;
  summary.text("gate-too-deep");
  if (function)
    summary.text(" in ").symbol(function);
  finish(message, summary);
}

void report_check_failed(const char *file, int line, const char *condition) {
  begin_report();
  fatal("internal-error", Report()
                              .text("internal error: ")
                              .text(file)
                              .text(":")
                              .number(line)
                              .text(": CHECK failed: ")
                              .text(condition));
}

//===----------------------------------------------------------------------===//
// Misuse of the C API.
//===----------------------------------------------------------------------===//

void report_scope_close(uint32_t saved_pkru) {
  begin_report();
  fatal("bad-secret-scope",
        Report()
            .text("pkguard_secret_close with a scope that would leave the "
                  "shadow stack writable (PKRU ")
            .hex(saved_pkru)
            .text(")"));
}

void report_foreign_secret_free(const void *secret) {
  begin_report();
  fatal("bad-secret-free",
        Report()
            .text("pkguard_secret_free of ")
            .hex((uintptr_t)secret)
            .text(", which pkguard_secret_alloc did not return"));
}

//===----------------------------------------------------------------------===//
// Secrets that cannot be protected.
//===----------------------------------------------------------------------===//

void report_too_many_domains(const char *name, int error) {
  begin_report();
  Report message;
  message
      .text("too many secret domains: no protection key is left for domain '")
      .text(name)
      .text("' (errno ")
      .number(error)
      .text("); the program already has");
  const ProtectedState &s = state();
  for (int i = 0; i < s.domain_count; ++i)
    message.text(i ? ", '" : " '").text(s.domains[i].name).text("'");
  if (s.domain_count == 0)
    message.text(" none");
  fatal("too-many-domains", message);
}

void report_invalid_domain_name(const char *name) {
  begin_report();
  fatal("invalid-domain",
        Report().text("invalid secret domain name '").text(name).text("'"));
}

void report_damaged_table(const abi::SecretTable *table) {
  begin_report();
  fatal("damaged-secret-table",
        Report()
            .text("the secret table at ")
            .code_address((uintptr_t)table)
            .text(" is damaged or from another version of pkguard"));
}

void report_secret_unprotectable(const char *name, int error) {
  begin_report();
  fatal("secret-unprotectable", Report()
                                    .text("cannot protect secret '")
                                    .text(name)
                                    .text("' (errno ")
                                    .number(error)
                                    .text(")"));
}

//===----------------------------------------------------------------------===//
// Start-up and set-up failures.
//===----------------------------------------------------------------------===//

void report_bad_options(const char *message) {
  begin_report();
  fatal("bad-options", Report().text(message));
}

void report_pku_required(const char *why) {
  begin_report();
  fatal("pku-required", Report()
                            .text("protection keys are required "
                                  "(PKGUARD_OPTIONS=require_pku=1) but "
                                  "unavailable: ")
                            .text(why));
}

void report_altstack_unshadowable(uintptr_t low, int error) {
  begin_report();
  Report message;
  message.text("cannot shadow the signal stack at ").hex(low);
  if (error == ERANGE)
    message.text(": it lies below the shadow-stack offset; allocate it with "
                 "mmap or malloc in a position-independent executable");
  else
    message.text(" (errno ").number(error).text(")");
  fatal("altstack-unshadowable", message);
}

void report_too_many_stacks(int limit) {
  begin_report();
  fatal("too-many-stacks", Report()
                               .text("too many separate stacks to shadow (")
                               .number(limit)
                               .text(")"));
}

void report_shadow_unmappable(int thread, uintptr_t stack, uintptr_t shadow,
                              int error) {
  begin_report();
  Report message;
  if (thread == 0)
    message.text("cannot map the shadow stack of the main thread at ")
        .hex(shadow);
  else
    message.text("cannot map the shadow stack of thread ")
        .number(thread)
        .text(" for its stack at ")
        .hex(stack);
  message.text(" (errno ").number(error).text(")");
  fatal("shadow-unmappable", message);
}

void report_thread_stack_unknown() {
  begin_report();
  fatal("thread-stack-unknown",
        Report().text("cannot find the stack of a new thread"));
}

void report_missing_libc_definition(const char *name) {
  begin_report();
  fatal("missing-libc-definition",
        Report().text("cannot find the libc definition of ").text(name));
}

void report_out_of_memory() {
  begin_report();
  fatal("out-of-memory", Report().text("out of memory for pkguard's bookkeeping"));
}

void report_state_unprotectable(int error) {
  begin_report();
  fatal("state-unprotectable", Report()
                                   .text("cannot protect the runtime state "
                                         "(errno ")
                                   .number(error)
                                   .text(")"));
}

void report_signal_setup_failed(const char *what) {
  begin_report();
  fatal("signal-setup-failed", Report().text(what));
}

} // namespace pkguard

//===----------------------------------------------------------------------===//
// What instrumented code calls.
//===----------------------------------------------------------------------===//

void __pkguard_report_return_mismatch(const char *function, uintptr_t expected,
                                      uintptr_t found, uintptr_t *slot) {
  pkguard::report_return_mismatch(function, expected, found, slot);
}

void __pkguard_gate_check_failed(pkguard::abi::SecretTable *table,
                                 uint32_t domain, const char *function) {
  pkguard::report_gate_check_failed(*table, domain, function);
}

void __pkguard_report_gate_restore(const char *function) {
  pkguard::report_gate_restore(function);
}

void __pkguard_report_forged_rights(const char *function) {
  pkguard::report_forged_rights(function);
}

void __pkguard_report_gate_too_deep(const char *function) {
  pkguard::report_gate_too_deep(function);
}
