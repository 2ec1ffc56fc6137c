//===- CheckedOptionParser.h - Options refused while being parsed ---------===//
//
// Part of pkguard, under the Apache License v2.0 with LLVM Exceptions.
// See LICENSE for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// A string option whose bad values are refused while the command line is
// parsed, so that the tool stops with pkguard's message before compiling
// anything, instead of failing later in the middle of a pipeline.
//
//===----------------------------------------------------------------------===//
#ifndef PKGUARD_PASSES_CHECKEDOPTIONPARSER_H
#define PKGUARD_PASSES_CHECKEDOPTIONPARSER_H

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/CommandLine.h"

#include <string>

namespace pkguard {

// Complaint returns the message for a bad value, or an empty string.
template <std::string (*Complaint)(llvm::StringRef)>
class CheckedOptionParser : public llvm::cl::parser<std::string> {
public:
  using llvm::cl::parser<std::string>::parser;
  bool parse(llvm::cl::Option &O, llvm::StringRef ArgName,
             llvm::StringRef Arg, std::string &Value) {
    std::string Message = Complaint(Arg);
    if (!Message.empty())
      return O.error(Message);
    Value = Arg.str();
    return false;
  }
};

} // namespace pkguard

#endif
