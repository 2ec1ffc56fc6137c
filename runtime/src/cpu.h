//===- cpu.h - Whether this machine can enforce protection keys -----------===//
//
// Part of pkguard, under the Apache License v2.0 with LLVM Exceptions.
// See LICENSE for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// Protection keys need three things: the CPU must implement them (CPUID leaf
// 7, ECX bit 3), the kernel must have switched them on (OSPKE, ECX bit 4,
// mirrors CR4.PKE), and the kernel must hand out keys (pkey_alloc). Each
// missing piece is its own reason, so that pkguard can say exactly why it is
// running without protection. The decision is a pure function of its inputs
// so that every branch is testable on any machine.
//
//===----------------------------------------------------------------------===//
#ifndef PKGUARD_RUNTIME_CPU_H
#define PKGUARD_RUNTIME_CPU_H

#include <stdint.h>

namespace pkguard {

enum class PkuSupport {
  Available,
  CpuLacksPku,    // CPUID says no protection keys
  OsDisabled,     // the CPU has them but the kernel did not enable them
  KernelRefused,  // pkey_alloc failed (EINVAL, ENOSYS): no kernel support
  NoFreeKey,      // pkey_alloc failed with ENOSPC, as under Valgrind
  TurnedOff,      // PKGUARD_OPTIONS=use_pku=0
};

struct CpuidLeaf7 {
  bool valid; // leaf 7 exists
  uint32_t ecx;
};

// Reads CPUID leaf 7, subleaf 0.
CpuidLeaf7 read_cpuid_leaf7();

// Where PKRU lies in a standard-format XSAVE area, such as a signal
// frame's (CPUID leaf 0xd, sub-leaf 9). Only meaningful with PKU.
uint32_t xsave_pkru_offset();

// Probes the kernel: returns 0 when a key could be allocated (and freed),
// else the errno of pkey_alloc.
using KernelProbe = int (*)();
int probe_kernel_keys();

PkuSupport decide_pku_support(const CpuidLeaf7 &cpuid, KernelProbe probe);

// The support of this machine, decided once.
PkuSupport detect_pku_support();

const char *describe(PkuSupport support);

} // namespace pkguard

#endif
