//===- cpu.cpp - Whether this machine can enforce protection keys ---------===//
//
// Part of pkguard, under the Apache License v2.0 with LLVM Exceptions.
// See LICENSE for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
#include "cpu.h"

#include "syscalls.h"

#include <errno.h>

namespace pkguard {

namespace {
constexpr uint32_t kCpuidPku = 1u << 3;
constexpr uint32_t kCpuidOspke = 1u << 4;
} // namespace

CpuidLeaf7 read_cpuid_leaf7() {
  uint32_t eax, ebx, ecx, edx;
  asm volatile("cpuid" : "=a"(eax), "=b"(ebx), "=c"(ecx), "=d"(edx) : "a"(0));
  if (eax < 7)
    return {false, 0};
  asm volatile("cpuid"
               : "=a"(eax), "=b"(ebx), "=c"(ecx), "=d"(edx)
               : "a"(7), "c"(0));
  return {true, ecx};
}

uint32_t xsave_pkru_offset() {
  uint32_t eax, ebx, ecx, edx;
  asm volatile("cpuid"
               : "=a"(eax), "=b"(ebx), "=c"(ecx), "=d"(edx)
               : "a"(0xd), "c"(9));
  return ebx;
}

int probe_kernel_keys() {
  int key = sys_pkey_alloc(0, 0);
  if (key < 0)
    return -key;
  sys_pkey_free(key);
  return 0;
}

PkuSupport decide_pku_support(const CpuidLeaf7 &cpuid, KernelProbe probe) {
  if (!cpuid.valid || !(cpuid.ecx & kCpuidPku))
    return PkuSupport::CpuLacksPku;
  if (!(cpuid.ecx & kCpuidOspke))
    return PkuSupport::OsDisabled;
  int error = probe();
  if (error == 0)
    return PkuSupport::Available;
  return error == ENOSPC ? PkuSupport::NoFreeKey : PkuSupport::KernelRefused;
}

PkuSupport detect_pku_support() {
  return decide_pku_support(read_cpuid_leaf7(), probe_kernel_keys);
}

const char *describe(PkuSupport support) {
  switch (support) {
  case PkuSupport::Available:
    return "protection keys available";
  case PkuSupport::CpuLacksPku:
    return "this CPU has no protection keys (no 'pku' in CPUID)";
  case PkuSupport::OsDisabled:
    return "the kernel did not enable protection keys (no 'ospke')";
  case PkuSupport::KernelRefused:
    return "the kernel refuses pkey_alloc";
  case PkuSupport::NoFreeKey:
    return "pkey_alloc found no free key";
  case PkuSupport::TurnedOff:
    return "protection keys turned off by PKGUARD_OPTIONS=use_pku=0";
  }
  return "unknown";
}

} // namespace pkguard
