//===- cpu_test.cpp - Deciding whether protection keys work ---------------===//
#include "cpu.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <gtest/gtest.h>

using namespace pkguard;

namespace {
constexpr uint32_t kPku = 1u << 3, kOspke = 1u << 4;
int kernel_grants() { return 0; }
int kernel_lacks_support() { return EINVAL; }
int kernel_out_of_keys() { return ENOSPC; }
int kernel_must_not_be_asked() {
  ADD_FAILURE() << "pkey_alloc probed although the CPU cannot have keys";
  return EINVAL;
}
} // namespace

TEST(PkuSupport, AvailableWhenCpuOsAndKernelAgree) {
  EXPECT_EQ(decide_pku_support({true, kPku | kOspke}, kernel_grants),
            PkuSupport::Available);
}

TEST(PkuSupport, CpuWithoutPku) {
  EXPECT_EQ(decide_pku_support({true, kOspke}, kernel_must_not_be_asked),
            PkuSupport::CpuLacksPku);
  EXPECT_EQ(decide_pku_support({false, 0}, kernel_must_not_be_asked),
            PkuSupport::CpuLacksPku);
}

TEST(PkuSupport, KernelDidNotEnableKeys) {
  EXPECT_EQ(decide_pku_support({true, kPku}, kernel_must_not_be_asked),
            PkuSupport::OsDisabled);
}

TEST(PkuSupport, KernelRefusesOrRunsOut) {
  EXPECT_EQ(decide_pku_support({true, kPku | kOspke}, kernel_lacks_support),
            PkuSupport::KernelRefused);
  // Valgrind answers every pkey_alloc with ENOSPC.
  EXPECT_EQ(decide_pku_support({true, kPku | kOspke}, kernel_out_of_keys),
            PkuSupport::NoFreeKey);
}

TEST(PkuSupport, EveryOutcomeIsDescribed) {
  for (PkuSupport s : {PkuSupport::Available, PkuSupport::CpuLacksPku,
                       PkuSupport::OsDisabled, PkuSupport::KernelRefused,
                       PkuSupport::NoFreeKey, PkuSupport::TurnedOff})
    EXPECT_STRNE(describe(s), "unknown");
}

TEST(PkuSupport, ThisMachineAgreesWithCpuinfo) {
  // /proc/cpuinfo lists 'pku' exactly when CPUID does.
  FILE *cpuinfo = fopen("/proc/cpuinfo", "r");
  ASSERT_NE(cpuinfo, nullptr);
  char line[8192];
  bool listed = false;
  while (fgets(line, sizeof line, cpuinfo))
    if (!strncmp(line, "flags", 5)) {
      listed = strstr(line, " pku ") || strstr(line, " pku\n");
      break;
    }
  fclose(cpuinfo);
  CpuidLeaf7 leaf = read_cpuid_leaf7();
  EXPECT_EQ(listed, leaf.valid && (leaf.ecx & kPku) != 0);
}
