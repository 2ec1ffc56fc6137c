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

// Prints "N NOUN (n1 A, n2 B)", the parenthesis only when N is not 0 and
// only the entries that are not 0.
static void printCounts(raw_ostream &OS, StringRef Noun,
                        const MapVector<StringRef, unsigned> &Counts) {
  unsigned Total = 0;
  for (const auto &Entry : Counts)
    Total += Entry.second;
  OS << Total << " " << Noun;
  if (!Total)
    return;
  ListSeparator Separator;
  OS << " (";
  for (const auto &[Reason, Count] : Counts)
    if (Count)
      OS << Separator << Count << " " << Reason;
  OS << ")";
}

void PassStats::print(const Module &M, StringRef Detail) const {
  // One write: errs() is unbuffered, and the compilers of a parallel build
  // share the stream, where pieces of their lines would interleave.
  std::string Line;
  raw_string_ostream OS(Line);
  OS << "pkguard: stats: " << What;
  if (!Detail.empty())
    OS << " (" << Detail << ")";
  OS << " in '" << M.getSourceFileName() << "': " << Instrumented
     << " instrumented, " << Elided << " elided by policy, ";
  printCounts(OS, "proven safe", ProvenSafe);
  OS << ", ";
  printCounts(OS, "skipped", Skipped);
  if (LeftToTheLink)
    OS << ", " << LeftToTheLink << " left to the link";
  OS << "\n";
  errs() << Line;
}

} // namespace pkguard
