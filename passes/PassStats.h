//===- PassStats.h - What each pkguard pass did, for its user -------------===//
//
// Part of pkguard, under the Apache License v2.0 with LLVM Exceptions.
// See LICENSE for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// The passes keep LLVM's STATISTICs, but Debian's LLVM is built without
// them (-stats prints nothing), and what a user asks is plain: how many
// functions got protection, how many the policy left out, which could not
// have it and why. With -pkguard-stats (pkguard-clang --pkguard-stats) each
// pass prints one line per module on stderr:
//
//   pkguard: stats: shadow stack (strong) in 'a.c': 3 instrumented,
//            2 elided by policy, 4 proven safe (3 leaf, 1 safe-callees),
//            1 skipped (1 never returns)
//
// (one line; a count of 0 has no parenthesis, and a reason or rule that
// counts 0 is left out; before the link of -flto, ", N left to the link"
// follows) and the tests read it to prove that a program was
// instrumented.
//
//===----------------------------------------------------------------------===//
#ifndef PKGUARD_PASSES_PASSSTATS_H
#define PKGUARD_PASSES_PASSSTATS_H

#include "llvm/ADT/MapVector.h"
#include "llvm/ADT/StringRef.h"

namespace llvm {
class Module;
} // namespace llvm

namespace pkguard {

// Whether -pkguard-stats was given.
bool printStatsRequested();

class PassStats {
public:
  explicit PassStats(llvm::StringRef What) : What(What) {}

  void instrumented() { ++Instrumented; }
  void elided() { ++Elided; }
  // Rules print in the order of their first mention: mention each with a
  // Count of 0 first for a fixed order.
  void provenSafe(llvm::StringRef Rule, unsigned Count = 1) {
    ProvenSafe[Rule] += Count;
  }
  void skipped(llvm::StringRef Reason) { ++Skipped[Reason]; }
  // Stamped before the link, for the link to instrument (-flto).
  void leftToTheLink() { ++LeftToTheLink; }

  // Prints the line above; Detail goes in parentheses after What.
  void print(const llvm::Module &M, llvm::StringRef Detail) const;

private:
  llvm::StringRef What;
  unsigned Instrumented = 0;
  unsigned Elided = 0;
  unsigned LeftToTheLink = 0;
  llvm::MapVector<llvm::StringRef, unsigned> ProvenSafe;
  llvm::MapVector<llvm::StringRef, unsigned> Skipped;
};

} // namespace pkguard

#endif
