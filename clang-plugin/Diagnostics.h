//===- Diagnostics.h - pkguard's Clang diagnostics -------------------------===//
//
// Part of pkguard, under the Apache License v2.0 with LLVM Exceptions.
// See LICENSE for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// pkguard's attributes report through Clang's custom diagnostics, which
// take their format as a string literal.
//
//===----------------------------------------------------------------------===//
#ifndef PKGUARD_CLANG_PLUGIN_DIAGNOSTICS_H
#define PKGUARD_CLANG_PLUGIN_DIAGNOSTICS_H

#include "clang/Basic/Diagnostic.h"
#include "clang/Sema/Sema.h"

namespace pkguard {

template <unsigned N>
clang::DiagnosticBuilder error(clang::DiagnosticsEngine &Diags,
                               clang::SourceLocation Loc,
                               const char (&Format)[N]) {
  return Diags.Report(
      Loc, Diags.getCustomDiagID(clang::DiagnosticsEngine::Error, Format));
}

template <unsigned N>
clang::DiagnosticBuilder error(clang::Sema &S, clang::SourceLocation Loc,
                               const char (&Format)[N]) {
  return error(S.getDiagnostics(), Loc, Format);
}

template <unsigned N>
clang::DiagnosticBuilder note(clang::DiagnosticsEngine &Diags,
                              clang::SourceLocation Loc,
                              const char (&Format)[N]) {
  return Diags.Report(
      Loc, Diags.getCustomDiagID(clang::DiagnosticsEngine::Note, Format));
}

} // namespace pkguard

#endif
