//===- PassStats.cpp - What each pkguard pass did, for its user -----------===//
//
// Part of pkguard, under the Apache License v2.0 with LLVM Exceptions.
// See LICENSE for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
#include "PassStats.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/IR/Module.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/raw_ostream.h"

using namespace llvm;

namespace pkguard {

static cl::opt<bool>
    ClStats("pkguard-stats",
            cl::desc("print on stderr, for each module, how many functions "
                     "each pkguard pass instrumented, left out by policy, "
                     "and skipped, with the reasons"),
            cl::init(false));

bool printStatsRequested() { return ClStats; }

void PassStats::print(const Module &M, StringRef Detail) const {
  raw_ostream &OS = errs();
  OS << "pkguard: stats: " << What;
  if (!Detail.empty())
    OS << " (" << Detail << ")";
  OS << " in '" << M.getSourceFileName() << "': " << Instrumented
     << " instrumented, " << Elided << " elided by policy, ";
  unsigned SkippedCount = 0;
  for (const auto &Entry : Skipped)
    SkippedCount += Entry.second;
  OS << SkippedCount << " skipped";
  ListSeparator Separator;
  if (SkippedCount) {
    OS << " (";
    for (const auto &[Reason, Count] : Skipped)
      OS << Separator << Count << " " << Reason;
    OS << ")";
  }
  OS << "\n";
}

} // namespace pkguard
