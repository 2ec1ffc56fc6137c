//===- UnknownAttributes.cpp - Misspelt pkguard attributes are errors -----===//
//
// Part of pkguard, under the Apache License v2.0 with LLVM Exceptions.
// See LICENSE for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// Clang only warns about an attribute it does not know, and drops it. For
// [[pkguard::shadow_stak]] or __attribute__((pkguard_secret_acess)) that
// silently removes a protection, so the plugin makes it an error that names
// the attribute and suggests the closest of pkguard's own.
//
// A plugin's ParsedAttrInfo matches known names only, so the plugin sees
// the misspelling through Clang's warning instead: a diagnostic consumer in
// front of the compilation's own holds back that warning when the attribute
// is pkguard's, and the AST consumer reports the error once the translation
// unit is parsed (a consumer cannot report while a diagnostic is in flight),
// still before code generation. Every other diagnostic passes through
// unchanged. The warning is switched on for this, and -Wno-unknown-attributes
// still silences it for everyone else's attributes.
//
//===----------------------------------------------------------------------===//
#include "UnknownAttributes.h"

#include "ClangCompat.h"
#include "Diagnostics.h"
#include "SecretChecks.h"

#include "clang/AST/ASTConsumer.h"
#include "clang/Basic/DiagnosticIDs.h"
#include "clang/Basic/ParsedAttrInfo.h"
#include "clang/Basic/SourceManager.h"
#include "clang/Frontend/CompilerInstance.h"

using namespace clang;

namespace pkguard {
namespace {

constexpr StringRef Scope = "pkguard";
constexpr StringRef GnuPrefix = "pkguard_";

struct UnknownAttribute {
  SourceLocation Loc;
  std::string Name; // normalized: pkguard::NAME or pkguard_NAME
};

// Whether the spelling at Loc is NAME in the scope pkguard: "pkguard",
// optional blanks, "::".
bool spelledInPkguardScope(const SourceManager &SM, SourceLocation Loc) {
  bool Invalid = false;
  const char *Text = SM.getCharacterData(SM.getSpellingLoc(Loc), &Invalid);
  if (Invalid)
    return false;
  StringRef Rest(Text);
  if (!Rest.consume_front(Scope))
    return false;
  return Rest.ltrim(" \t").starts_with("::");
}

class UnknownAttributeFilter : public DiagnosticConsumer {
public:
  explicit UnknownAttributeFilter(DiagnosticsEngine &Diags)
      : Inner(Diags.getClient()), OwnedInner(Diags.takeClient()),
        OthersSilenced(Diags.getDiagnosticLevel(
                           diag::warn_unknown_attribute_ignored,
                           SourceLocation()) == DiagnosticsEngine::Ignored) {}

  void BeginSourceFile(const LangOptions &LangOpts,
                       const Preprocessor *PP) override {
    Inner->BeginSourceFile(LangOpts, PP);
  }
  void EndSourceFile() override {
    Inner->EndSourceFile();
    mirrorCounts();
  }
  void finish() override {
    Inner->finish();
    mirrorCounts();
  }
  void clear() override {
    Inner->clear();
    mirrorCounts();
  }
  bool IncludeInDiagnosticCounts() const override {
    return Inner->IncludeInDiagnosticCounts();
  }

  void HandleDiagnostic(DiagnosticsEngine::Level Level,
                        const Diagnostic &Info) override {
    std::optional<UnknownAttributeName> Attribute;
    if (Info.getID() == diag::warn_unknown_attribute_ignored &&
        (Attribute = unknownAttributeOf(Info))) {
      StringRef Name = Attribute->Name;
      if (Attribute->Scope.empty() && Name.starts_with(GnuPrefix)) {
        Unknown.push_back({Info.getLocation(), Name.str()});
        return;
      }
      bool InPkguardScope =
          Attribute->ScopeKnown
              ? Attribute->Scope == Scope
              : Info.hasSourceManager() &&
                    spelledInPkguardScope(Info.getSourceManager(),
                                          Info.getLocation());
      if (InPkguardScope) {
        Unknown.push_back({Info.getLocation(), (Scope + "::" + Name).str()});
        return;
      }
      if (OthersSilenced)
        return;
    }
    Inner->HandleDiagnostic(Level, Info);
    mirrorCounts();
  }

  std::vector<UnknownAttribute> takeUnknown() { return std::move(Unknown); }

private:
  // The compilation's outcome is read from the installed consumer's counts;
  // the inner one also counts what it adds itself (-verify's mismatches).
  void mirrorCounts() {
    NumErrors = Inner->getNumErrors();
    NumWarnings = Inner->getNumWarnings();
  }

  DiagnosticConsumer *Inner;
  std::unique_ptr<DiagnosticConsumer> OwnedInner;
  bool OthersSilenced;
  std::vector<UnknownAttribute> Unknown;
};

// The closest attribute name the plugin registered in the same spelling
// (scoped or prefixed), or "" when none is near.
std::string closestKnownName(StringRef Name) {
  std::string Best;
  unsigned BestDistance = 3; // farther is no typo
  bool Scoped = Name.starts_with(Scope.str() + "::");
  for (const auto &Info : getAttributePluginInstances())
    for (const ParsedAttrInfo::Spelling &S : Info->Spellings) {
      StringRef Known = S.NormalizedFullName;
      if (Known.starts_with(Scope.str() + "::") != Scoped)
        continue;
      unsigned Distance = Name.edit_distance(Known, true, BestDistance);
      if (Distance < BestDistance) {
        BestDistance = Distance;
        Best = Known.str();
      }
    }
  return Best;
}

class UnknownAttributesConsumer : public ASTConsumer {
public:
  UnknownAttributesConsumer(DiagnosticsEngine &Diags,
                            UnknownAttributeFilter &Filter)
      : Diags(Diags), Filter(Filter) {}

  void HandleTranslationUnit(ASTContext &) override {
    for (const UnknownAttribute &Attr : Filter.takeUnknown()) {
      error(Diags, Attr.Loc,
            "unknown pkguard attribute '%0': the code it marks would go "
            "unprotected")
          << Attr.Name;
      std::string Known = closestKnownName(Attr.Name);
      if (!Known.empty())
        note(Diags, Attr.Loc, "did you mean '%0'?") << Known;
    }
  }

private:
  DiagnosticsEngine &Diags;
  UnknownAttributeFilter &Filter;
};

} // namespace

std::unique_ptr<ASTConsumer>
UnknownAttributesAction::CreateASTConsumer(CompilerInstance &CI, StringRef) {
  DiagnosticsEngine &Diags = CI.getDiagnostics();
  auto *Filter = new UnknownAttributeFilter(Diags);
  // The engine owns the filter, which owns the consumer it replaces:
  // diagnostics outlive the AST consumer.
  Diags.setClient(Filter, /*ShouldOwnClient=*/true);
  Diags.setSeverity(diag::warn_unknown_attribute_ignored,
                    diag::Severity::Warning, SourceLocation());
  return std::make_unique<UnknownAttributesConsumer>(Diags, *Filter);
}

bool UnknownAttributesAction::ParseArgs(const CompilerInstance &CI,
                                        const std::vector<std::string> &Args) {
  return refusePluginArguments(CI, Args);
}

PluginASTAction::ActionType UnknownAttributesAction::getActionType() {
  // Before code generation, so that no object is written after an error.
  return AddBeforeMainAction;
}

} // namespace pkguard
