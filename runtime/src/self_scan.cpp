//===- self_scan.cpp - WRPKRU and XRSTOR bytes in the process's code ------===//
//
// Part of pkguard, under the Apache License v2.0 with LLVM Exceptions.
// See LICENSE for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
#include "self_scan.h"

#include "interface.h"
#include "interpose.h"
#include "mmap_vector.h"
#include "report.h"
#include "state.h"
#include "symbolizer.h"

#include <pkguard/sequences.h>

#include <dlfcn.h>
#include <link.h>
#include <pthread.h>
#include <string.h>
#include <sys/mman.h>

namespace pkguard {
namespace {

// Findings reported per stretch of code; the rest are counted.
constexpr int kFindingsShown = 4;

pthread_mutex_t scan_lock = PTHREAD_MUTEX_INITIALIZER;
// The start addresses of the code segments already scanned.
MmapVector<uintptr_t> scanned_segments;

const char *base_name(const char *path) {
  const char *slash = strrchr(path, '/');
  return slash ? slash + 1 : path;
}

// What the bytes at `at` can do to PKRU, or null. XRSTORS is left out: it
// cannot run in user mode.
const char *pkru_changer_at(const unsigned char *begin, const unsigned char *end,
                            const unsigned char *at) {
  switch (abi::pkru_changer_at(begin, end, at)) {
  case abi::PkruChanger::UnsanctionedWrpkru:
    return "WRPKRU";
  case abi::PkruChanger::Xrstor:
    return "XRSTOR";
  case abi::PkruChanger::Xrstors:
  case abi::PkruChanger::None:
    break;
  }
  return nullptr;
}

// The two sites of glibc that every dynamically linked process has.
bool is_accepted(const char *kind, const char *module, uintptr_t address) {
  if (!strcmp(kind, "XRSTOR"))
    return !strncmp(module, "ld-linux", 8);
  Symbolized where;
  return !strncmp(module, "libc.so", 7) && symbolize(address, where) &&
         !strcmp(where.function, "pkey_set");
}

// Calls `found(at)` at every 0f byte that `second` follows: memchr finds
// the rarer second byte (ef for WRPKRU, ae for XRSTOR) much faster than a
// walk over every 0f, which x86 code is full of.
template <typename Found>
void each_opcode(const unsigned char *begin, const unsigned char *end,
                 unsigned char second, Found found) {
  for (const unsigned char *at = begin + 1; at < end; ++at) {
    at = (const unsigned char *)memchr(at, second, end - at);
    if (!at)
      return;
    if (second == 0xae ? at[-1] == 0x0f
                       : (at - 2 >= begin && at[-2] == 0x0f && at[-1] == 0x01))
      found(second == 0xae ? at - 1 : at - 2);
  }
}

void scan_range(const unsigned char *begin, const unsigned char *end,
                const char *module) {
  ScanPolicy policy = state().options.scan;
  int found = 0;
  auto consider = [&](const unsigned char *at) {
    const char *kind = pkru_changer_at(begin, end, at);
    if (!kind || is_accepted(kind, module, (uintptr_t)at))
      return;
    if (policy == ScanPolicy::Abort)
      report_unsanctioned_code(kind, module, (uintptr_t)at);
    if (found++ < kFindingsShown)
      note(Report()
               .text("WARNING: ")
               .text(kind)
               .text(" outside pkguard's sequences at ")
               .code_address((uintptr_t)at)
               .text(" (")
               .text(module)
               .text("): code that jumps there can change protection-key "
                     "rights until the next pkguard sequence "
                     "(PKGUARD_OPTIONS=scan=abort refuses it)"));
  };
  each_opcode(begin, end, 0xef, consider);
  each_opcode(begin, end, 0xae, consider);
  if (found > kFindingsShown)
    note(Report()
             .text("WARNING: ")
             .number(found - kFindingsShown)
             .text(" more in ")
             .text(module));
}

bool already_scanned(uintptr_t segment) {
  for (size_t i = 0; i < scanned_segments.size(); ++i)
    if (scanned_segments[i] == segment)
      return true;
  return false;
}

int scan_module(struct dl_phdr_info *info, size_t, void *) {
  const char *module = info->dlpi_name && info->dlpi_name[0]
                           ? base_name(info->dlpi_name)
                           : "the program";
  for (int i = 0; i < info->dlpi_phnum; ++i) {
    const ElfW(Phdr) &segment = info->dlpi_phdr[i];
    if (segment.p_type != PT_LOAD || !(segment.p_flags & PF_X))
      continue;
    uintptr_t start = info->dlpi_addr + segment.p_vaddr;
    if (already_scanned(start))
      continue;
    scanned_segments.push_back(start);
    scan_range((const unsigned char *)start,
               (const unsigned char *)start + segment.p_filesz, module);
  }
  return 0;
}

} // namespace

void scan_loaded_modules() {
  if (state().options.scan == ScanPolicy::Off)
    return;
  pthread_mutex_lock(&scan_lock);
  dl_iterate_phdr(scan_module, nullptr);
  pthread_mutex_unlock(&scan_lock);
}

void scan_new_code(const void *address, size_t length, const char *what) {
  if (state().options.scan == ScanPolicy::Off || !address || !length)
    return;
  const auto *begin = (const unsigned char *)address;
  scan_range(begin, begin + length, what);
}

} // namespace pkguard

using namespace pkguard;

namespace {

using DlopenFn = void *(*)(const char *, int);
using MmapFn = void *(*)(void *, size_t, int, int, int, off_t);
using MprotectFn = int (*)(void *, size_t, int);

NextDefinition<DlopenFn> real_dlopen("dlopen");
NextDefinition<MmapFn> real_mmap("mmap");
NextDefinition<MprotectFn> real_mprotect("mprotect");

} // namespace

PKGUARD_INTERPOSER void *dlopen(const char *file, int mode) {
  void *handle = real_dlopen.get()(file, mode);
  if (handle && state().initialized)
    scan_loaded_modules();
  return handle;
}

// Only readable code can be scanned; execute-only memory cannot be read by
// an attacker's gadget search either, but can still be jumped into, and is
// left to pkguard-scan ahead of time.
PKGUARD_INTERPOSER void *mmap(void *address, size_t length, int prot, int flags,
                             int fd, off_t offset) {
  void *mapped = real_mmap.get()(address, length, prot, flags, fd, offset);
  if (mapped != MAP_FAILED && (prot & PROT_EXEC) && (prot & PROT_READ) &&
      state().initialized)
    scan_new_code(mapped, length, "mmap");
  return mapped;
}

PKGUARD_INTERPOSER int mprotect(void *address, size_t length, int prot) {
  if ((prot & PROT_EXEC) && (prot & PROT_READ) && state().initialized) {
    // Scanned while still not executable where it was writable before.
    int result = real_mprotect.get()(address, length, prot & ~PROT_EXEC);
    if (result != 0)
      return result;
    scan_new_code(address, length, "mprotect");
  }
  return real_mprotect.get()(address, length, prot);
}
