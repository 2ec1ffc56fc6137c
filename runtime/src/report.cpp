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
#include <fcntl.h>
#include <signal.h>
#include <sys/uio.h>

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
    // A symbolizer that dies early must not end the report with SIGPIPE.
    unsigned long pipe = 1UL << (SIGPIPE - 1);
    raw_syscall(SYS_rt_sigprocmask, SIG_BLOCK, (long)&pipe, 0,
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

// Where this report goes: standard error, or log_path.<pid>, opened per
// report so that a forked child writes its own file.
int open_report_output() {
  const char *base = state().options.log_path;
  if (!base[0])
    return 2;
  Report path;
  path.text(base).text(".").number(sys_getpid());
  int fd = (int)raw_syscall(SYS_openat, AT_FDCWD, (long)path.c_str(),
                            O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  return fd >= 0 ? fd : 2;
}

// Where the report being made writes: set once its first line is due, so
// that every line of one report goes to the same place.
int report_fd = 2;

// Prints "pkguard: ERROR: <message>". `begin_report` has been called. The
// call stack is walked after the message is out: a walk through a
// corrupted stack can fault, and the fault is then reported as a second
// error, after the first.
void print_error(const Report &message) {
  report_fd = open_report_output();
  Report line;
  line.text("pkguard: ERROR: ").text(message.c_str()).text("\n");
  line.print(report_fd);
}

// Prints the call stack, one "pkguard:   #N ADDRESS in FUNCTION+OFFSET in
// MODULE FILE:LINE:COLUMN" line a frame, unless it is only the one code
// address the message names already, and "SUMMARY: pkguard: <kind> in
// <function> <file:line:column>", naming `function` when the instrumented
// code gave it, else the first frame with a name; and dies.
[[noreturn]] void finish(const char *kind, const CallStack &stack,
                         const char *function = nullptr,
                         bool print_frames = true) {
  SourceLocations sources;
  SourceLookup lookup = locate_sources(stack.frames, stack.count,
                                       state().options.symbolize, sources);
  Symbolized named;
  int named_frame = function ? 0 : -1;
  for (int i = 0; i < stack.count; ++i) {
    Report frame;
    frame.text("pkguard:   #").number(i).text(" ").hex(stack.frames[i]);
    Symbolized where;
    if (symbolize(stack.frames[i], where)) {
      if (where.function[0])
        frame.text(" in ").symbol(where.function).text("+").hex(where.offset);
      if (where.module[0])
        frame.text(" in ").text(where.module);
      if (named_frame < 0 && where.function[0]) {
        named_frame = i;
        named = where;
      }
    }
    if (sources.of[i])
      frame.text(" ").text(sources.of[i]);
    if (print_frames)
      frame.text("\n").print(report_fd);
  }
  if (lookup == SourceLookup::NoSymbolizer)
    Report()
        .text("pkguard:   (no symbolizer: these line tables need "
              "llvm-symbolizer, which is not on PATH)\n")
        .print(report_fd);
  Report last;
  last.text("SUMMARY: pkguard: ").text(kind);
  if (named_frame >= 0)
    last.text(" in ").symbol(function ? function : named.function);
  if (named_frame >= 0 && named_frame < stack.count && sources.of[named_frame])
    last.text(" ").text(sources.of[named_frame]);
  last.text("\n").print(report_fd);
  die();
}

// For reports whose message is all there is to say.
[[noreturn]] void fatal(const char *kind, const Report &message) {
  print_error(message);
  finish(kind, CallStack());
}

// For reports about the code at one address, whose stack says nothing
// (a jump left it, or it is not a call).
[[noreturn]] void fatal_at(const char *kind, const Report &message,
                           uintptr_t address, const char *function = nullptr) {
  print_error(message);
  CallStack stack;
  stack.add(address);
  finish(kind, stack, function, /*print_frames=*/false);
}

// For reports made where instrumented code called the runtime: `caller` is
// the return address into it.
[[noreturn]] void fatal_in_caller(const char *kind, const Report &message,
                                  uintptr_t caller, const char *function) {
  print_error(message);
  CallStack stack;
  if (caller)
    stack.unwind_from(caller, /*pc_is_return_address=*/true);
  finish(kind, stack, function);
}

// Copies `size` bytes at `address` through the kernel, which ignores PKRU
// (the report has closed every key, the shadow stack's too) and fails
// instead of faulting where nothing is mapped.
bool read_memory(uintptr_t address, void *to, size_t size) {
  struct iovec local = {to, size}, remote = {(void *)address, size};
  return raw_syscall(SYS_process_vm_readv, sys_getpid(), (long)&local, 1,
                     (long)&remote, 1, 0) == (long)size;
}

// The call stack of a function whose return address was overwritten. The
// unwinder would follow the forged address; the shadow stack holds the
// return addresses instrumented functions saw on entry, where the overflow
// cannot reach. A shadow word above the slot counts as a frame while the
// stack word it mirrors still holds it, as in every live instrumented
// frame, or holds the forged address: an overflow writes its payload over
// the frames above the smashed one too. Frames of uninstrumented functions
// do not appear. The walk ends where the stack or its shadow is not mapped.
void shadow_call_stack(uintptr_t pc, uintptr_t expected, uintptr_t found,
                       uintptr_t *slot, CallStack &stack) {
  constexpr int kWordsRead = 64;
  constexpr int kMaxReads = 512;
  if (pc)
    stack.add(pc - 1);
  stack.add(expected - 1);
  uintptr_t at = (uintptr_t)(slot + 1);
  for (int i = 0; i < kMaxReads && stack.count < kMaxFrames; ++i) {
    uintptr_t words[kWordsRead], shadows[kWordsRead];
    if (!read_memory(at, words, sizeof words) ||
        !read_memory(shadow_of(at), shadows, sizeof shadows))
      return;
    for (int w = 0; w < kWordsRead; ++w)
      if (shadows[w] && (shadows[w] == words[w] || words[w] == found))
        stack.add(shadows[w] - 1);
    at += sizeof words;
  }
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

namespace {

// `caller`, the return address into the function, is 0 when unknown.
[[noreturn]] void return_mismatch(const char *function, uintptr_t expected,
                                  uintptr_t found, uintptr_t *slot,
                                  uintptr_t caller) {
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
  print_error(message);
  CallStack stack;
  shadow_call_stack(caller, expected, found, slot, stack);
  finish("return-address-mismatch", stack, function);
}

} // namespace

void report_return_mismatch(const char *function, uintptr_t expected,
                            uintptr_t found, uintptr_t *slot) {
  return_mismatch(function, expected, found, slot, 0);
}

void report_key_fault(uintptr_t address, uintptr_t pc, int key, bool write) {
  begin_report();
  CallStack stack;
  stack.unwind_from(pc, /*pc_is_return_address=*/false);
  Report message;
  const char *kind;
  SecretLookup secret;
  KeyRole role = state().keys.role_of(key);
  message.text(write ? "write to " : "read of ");
  if (role == KeyRole::ShadowStack) {
    message.text("the shadow stack at ").hex(address);
    kind = "shadow-stack-write";
  } else if (role == KeyRole::SecretDomain && find_secret(address, secret)) {
    if (secret.name)
      message.text("secret '").text(secret.name).text("'");
    else
      message.text("a heap secret of ").number((long)secret.size).text(" bytes");
    message.text(" outside a gate at ").hex(address);
    if (address - secret.address >= secret.size)
      message.text(" (past its end, in its padding)");
    kind = write ? "secret-write" : "secret-read";
  } else {
    message.text("memory of protection key ").number(key).text(" at ");
    message.hex(address);
    kind = "protection-key-fault";
  }
  message.text(" (");
  if (role == KeyRole::SecretDomain)
    message.text("domain '")
        .text(state().domains[state().keys.domain_of(key)].name)
        .text("', ");
  message.text("SEGV_PKUERR, protection key ").number(key).text(") in ");
  message.fault_location(stack);
  print_error(message);
  finish(kind, stack);
}

void report_state_write(uintptr_t address, uintptr_t pc) {
  begin_report();
  CallStack stack;
  stack.unwind_from(pc, /*pc_is_return_address=*/false);
  print_error(Report()
                  .text("write to pkguard's read-only state at ")
                  .hex(address)
                  .text(" (SEGV_ACCERR) in ")
                  .fault_location(stack));
  finish("state-write", stack);
}

void report_missing_shadow(uintptr_t address, uintptr_t pc, uintptr_t sp) {
  begin_report();
  CallStack stack;
  stack.unwind_from(pc, /*pc_is_return_address=*/false);
  print_error(Report()
                  .text("no shadow stack for the stack at ")
                  .hex(stack_address_of_shadow(address))
                  .text(" (stack pointer ")
                  .hex(sp)
                  .text("): stacks that pkguard does not create need "
                        "pkguard_register_stack; in ")
                  .fault_location(stack));
  finish("missing-shadow-stack", stack);
}

namespace {

[[noreturn]] void gate_check_failed(const abi::SecretTable &table,
                                    uint32_t domain, const char *function,
                                    uintptr_t caller) {
  begin_report();
  bool unregistered =
      table.gates[domain].clear == abi::UnregisteredGateClear;
  fatal_in_caller(
      unregistered ? "gate-before-registration" : "gate-check-failed",
      Report()
          .text("gate ")
          .symbol(function)
          .text(" of domain '")
          .text(table.domain_names[domain])
          .text(unregistered
                    ? "' ran before its module registered its secrets (from a "
                      "constructor of a library loaded before it?)"
                    : "' computed rights its gate words do not allow: was it "
                      "entered other than by a call?"),
      caller, function);
}

[[noreturn]] void gate_restore_failed(const char *function, uintptr_t caller) {
  uint32_t pkru = read_pkru();
  begin_report();
  fatal_in_caller("gate-restore-failed",
                  Report()
                      .text("the exit of gate ")
                      .symbol(function)
                      .text(" wrote PKRU ")
                      .hex(pkru)
                      .text(", not the rights saved at its entry: was it "
                            "entered other than by a call?"),
                  caller, function);
}

// `caller` is 0 for the runtime's own sequences. No call stack: the stack
// is whatever the jump into the sequence left.
[[noreturn]] void forged_rights(const char *function, uintptr_t caller) {
  uint32_t pkru = read_pkru();
  begin_report();
  Report message;
  message.text("a protection-key sequence ");
  if (function)
    message.text("of ").symbol(function).text(" ");
  else
    message.text("of pkguard's runtime ");
  message.text("wrote PKRU ")
      .hex(pkru)
      .text(", not the thread's rights: it was entered other than from its "
            "start");
  if (caller)
    fatal_at("forged-rights", message, caller - 1, function);
  print_error(message);
  finish("forged-rights", CallStack(), function);
}

[[noreturn]] void gate_too_deep(const char *function, uintptr_t caller) {
  begin_report();
  Report message;
  message.text("gates nested more than ")
      .number(abi::MaxGateDepth)
      .text(" deep");
  if (function)
    message.text(" at ").symbol(function);
  fatal_in_caller("gate-too-deep", message, caller, function);
}

} // namespace

void report_gate_check_failed(const abi::SecretTable &table, uint32_t domain,
                              const char *function) {
  gate_check_failed(table, domain, function, 0);
}

void report_gate_restore(const char *function) {
  gate_restore_failed(function, 0);
}

void report_forged_rights(const char *function) { forged_rights(function, 0); }

void report_gate_too_deep(const char *function) { gate_too_deep(function, 0); }

void report_fault_in_window(uintptr_t address, uintptr_t pc) {
  begin_report();
  // No call stack: the stack is whatever the jump left.
  fatal_at("forged-rights",
           Report()
               .text("fault at ")
               .hex(address)
               .text(" inside a protection-key sequence, which was entered "
                     "other than from its start, at ")
               .code_address(pc),
           pc);
}

void report_thread_without_rights(uintptr_t pc) {
  begin_report();
  fatal_at("thread-without-rights",
           Report()
               .text("instrumented code at ")
               .code_address(pc)
               .text(" runs in thread ")
               .number(sys_gettid())
               .text(", which pkguard did not start (clone()?) and which has "
                     "no protection-key rights of its own; start it with "
                     "pthread_create"),
           pc);
}

void report_unsanctioned_code(const char *kind, const char *module,
                              uintptr_t address) {
  begin_report();
  fatal_at("unsanctioned-code",
           Report()
               .text(kind)
               .text(" outside pkguard's sequences at ")
               .code_address(address)
               .text(" (")
               .text(module)
               .text("), refused by PKGUARD_OPTIONS=scan=abort"),
           address);
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

void report_program_runtime_mismatch() {
  begin_report();
  fatal("runtime-version-mismatch",
        Report()
            .text("a hardened library brought pkguard's shared runtime into "
                  "a program whose own pkguard runtime is of another version "
                  "(it lacks ")
            .text(abi::VersionCheckName)
            .text("): rebuild the program or the library with the same "
                  "pkguard"));
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
  pkguard::return_mismatch(function, expected, found, slot,
                           (uintptr_t)__builtin_return_address(0));
}

// The return address into instrumented code names where the report came
// from.
void __pkguard_gate_check_failed(pkguard::abi::SecretTable *table,
                                 uint32_t domain, const char *function) {
  pkguard::gate_check_failed(*table, domain, function,
                             (uintptr_t)__builtin_return_address(0));
}

void __pkguard_report_gate_restore(const char *function) {
  pkguard::gate_restore_failed(function,
                               (uintptr_t)__builtin_return_address(0));
}

void __pkguard_report_forged_rights(const char *function) {
  pkguard::forged_rights(function, (uintptr_t)__builtin_return_address(0));
}

void __pkguard_report_gate_too_deep(const char *function) {
  pkguard::gate_too_deep(function, (uintptr_t)__builtin_return_address(0));
}
