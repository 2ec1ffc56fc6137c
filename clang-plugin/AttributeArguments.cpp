//===- AttributeArguments.cpp - Reading pkguard attributes' arguments -----===//
//
// Part of pkguard, under the Apache License v2.0 with LLVM Exceptions.
// See LICENSE for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
#include "AttributeArguments.h"

#include "ClangCompat.h"
#include "Diagnostics.h"

#include "clang/AST/Expr.h"
#include "clang/Basic/SourceManager.h"
#include "clang/Lex/Lexer.h"
#include "clang/Sema/Sema.h"

#include <optional>

using namespace clang;

namespace pkguard {
namespace {

AttributeArgument fromExpression(const Expr *E) {
  if (const auto *Literal = dyn_cast<StringLiteral>(E->IgnoreParenCasts()))
    if (Literal->isOrdinary())
      return {true, Literal->getString().str(), E->getBeginLoc()};
  return {false, "", E->getBeginLoc()};
}

// A string literal's contents, for the plain literals pkguard accepts (no
// escapes, prefixes or concatenation); nullopt for anything else.
std::optional<std::string> plainStringContents(StringRef Spelling) {
  if (Spelling.size() < 2 || Spelling.front() != '"' || Spelling.back() != '"')
    return std::nullopt;
  StringRef Contents = Spelling.drop_front().drop_back();
  if (Contents.contains('\\') || Contents.contains('"'))
    return std::nullopt;
  return Contents.str();
}

bool readSkippedArguments(Sema &S, const ParsedAttr &Attr,
                          SmallVectorImpl<AttributeArgument> &Arguments) {
  const SourceManager &SM = S.getSourceManager();
  const LangOptions &LO = S.getLangOpts();
  SourceLocation After = Attr.getRange().getEnd();
  if (After.isMacroID())
    After = SM.getExpansionRange(After).getEnd();
  std::optional<Token> Next = Lexer::findNextToken(After, SM, LO);
  if (!Next || Next->isNot(tok::l_paren))
    return true;
  for (;;) {
    Next = Lexer::findNextToken(Next->getLocation(), SM, LO);
    if (!Next || Next->is(tok::eof)) {
      error(S, Attr.getLoc(), "cannot read the arguments of %0")
          << Attr;
      return false;
    }
    if (Next->is(tok::r_paren))
      return true;
    if (Next->is(tok::comma))
      continue;
    std::string Spelling = Lexer::getSpelling(*Next, SM, LO);
    std::optional<std::string> Contents =
        Next->is(tok::string_literal) ? plainStringContents(Spelling)
                                      : std::nullopt;
    Arguments.push_back({Contents.has_value(), Contents ? *Contents : Spelling,
                         Next->getLocation()});
  }
}

} // namespace

bool readArguments(Sema &S, const ParsedAttr &Attr,
                   SmallVectorImpl<AttributeArgument> &Arguments) {
  if (Attr.getNumArgs() == 0)
    return readSkippedArguments(S, Attr, Arguments);
  for (unsigned I = 0, E = Attr.getNumArgs(); I != E; ++I) {
    if (!Attr.isArgExpr(I)) {
      IdentifierLoc *Identifier = Attr.getArgAsIdent(I);
      Arguments.push_back({false, identifierOf(*Identifier)->getName().str(),
                           locationOf(*Identifier)});
      continue;
    }
    Arguments.push_back(fromExpression(Attr.getArgAsExpr(I)));
  }
  return true;
}

} // namespace pkguard
