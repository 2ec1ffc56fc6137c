//===- SecretChecks.cpp - Compile-time rules for secrets ------------------===//
//
// Part of pkguard, under the Apache License v2.0 with LLVM Exceptions.
// See LICENSE for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// Once a translation unit is parsed, every secret (a variable annotated
// "pkey" or "pkey:DOMAIN", however the annotation was written) is checked:
//
// - only a gate for the secret's domain may name it: any other function,
//   lambda or block that does is an error at the reference, naming the
//   function, the secret and the domain;
// - no initialiser outside a function may take its address (the pointer
//   would escape before any gate runs);
// - it must not be const or constexpr, or the compiler may copy its value
//   into the code that reads it;
// - it needs no dynamic initialisation or destruction, which would run
//   outside any gate, and no section of its own.
//
// What cannot be checked here (pointers computed at run time, uninstrumented
// code, over-reads from neighbouring objects) the runtime's fault covers.
//
//===----------------------------------------------------------------------===//
#include "SecretChecks.h"

#include "pkguard/abi.h"
#include "Diagnostics.h"
#include "DomainAnnotations.h"

#include "clang/AST/ASTConsumer.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/Attr.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/Frontend/CompilerInstance.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/SmallVector.h"

#include <optional>

using namespace clang;

namespace pkguard {
namespace {

std::optional<StringRef> secretDomain(const VarDecl *Var) {
  return annotatedDomain(Var, abi::SecretAnnotation);
}

std::string gateSpelling(StringRef Domain) {
  if (Domain == abi::DefaultDomain)
    return "[[pkguard::secret_access]]";
  return ("[[pkguard::secret_access(\"" + Domain + "\")]]").str();
}

class SecretVisitor : public RecursiveASTVisitor<SecretVisitor> {
public:
  explicit SecretVisitor(ASTContext &Context) : Context(Context) {}

  bool shouldVisitTemplateInstantiations() const { return true; }
  bool shouldVisitImplicitCode() const { return true; }

  // The function, lambda or block whose code is being visited.
  bool TraverseDecl(Decl *D) {
    if (!D || !(isa<FunctionDecl>(D) || isa<BlockDecl>(D)))
      return RecursiveASTVisitor::TraverseDecl(D);
    Callables.push_back(D);
    bool Result = RecursiveASTVisitor::TraverseDecl(D);
    Callables.pop_back();
    return Result;
  }

  bool TraverseLambdaExpr(LambdaExpr *Lambda) {
    Callables.push_back(Lambda->getCallOperator());
    bool Result = RecursiveASTVisitor::TraverseLambdaExpr(Lambda);
    Callables.pop_back();
    return Result;
  }

  // The initialiser of a global runs outside any function.
  bool TraverseVarDecl(VarDecl *Var) {
    bool Global = Callables.empty() && Var->hasGlobalStorage();
    if (Global)
      Initialized.push_back(Var);
    bool Result = RecursiveASTVisitor::TraverseVarDecl(Var);
    if (Global)
      Initialized.pop_back();
    return Result;
  }

  bool VisitVarDecl(VarDecl *Var) {
    if (secretDomain(Var) && Var->isThisDeclarationADefinition())
      checkDefinition(Var);
    return true;
  }

  // An operand of sizeof, alignof, typeof, decltype, _Generic's controlling
  // expression or noexcept is never evaluated: it reads no memory.
  bool VisitDeclRefExpr(DeclRefExpr *Ref) {
    if (auto *Var = dyn_cast<VarDecl>(Ref->getDecl());
        Var && Ref->isNonOdrUse() != NOUR_Unevaluated)
      checkUse(Var, Ref->getLocation());
    return true;
  }

  bool VisitMemberExpr(MemberExpr *Member) {
    if (auto *Var = dyn_cast<VarDecl>(Member->getMemberDecl());
        Var && Member->isNonOdrUse() != NOUR_Unevaluated)
      checkUse(Var, Member->getMemberLoc());
    return true;
  }

private:
  void checkUse(VarDecl *Var, SourceLocation Loc) {
    std::optional<StringRef> Domain = secretDomain(Var);
    if (!Domain || !Reported.insert(Loc.getRawEncoding()).second)
      return;
    DiagnosticsEngine &Diags = Context.getDiagnostics();
    if (Callables.empty()) {
      if (!Initialized.empty() && Initialized.back() != Var)
        error(Diags, Loc,
              "the address of secret '%0' escapes into '%1', outside any "
              "gate")
            << Var->getName() << Initialized.back()->getName();
      return;
    }
    const Decl *Callable = Callables.back();
    const auto *Function = dyn_cast<FunctionDecl>(Callable);
    std::optional<StringRef> Opens =
        Function ? annotatedDomain(Function, abi::SecretAccessAnnotation)
                 : std::nullopt;
    if (Opens && *Opens == *Domain)
      return;
    std::string Name = Function ? Function->getQualifiedNameAsString()
                                : std::string("a block");
    if (const auto *Method = dyn_cast_or_null<CXXMethodDecl>(Function))
      if (Method->getParent()->isLambda())
        Name = "a lambda";
    error(Diags, Loc,
          "secret '%0' is used in '%1', which is not a gate for its domain "
          "'%2'")
        << Var->getName() << Name << *Domain;
    if (Opens)
      note(Diags, Function->getLocation(),
           "'%0' is a gate for domain '%1' only; a gate opens one domain")
          << Name << *Opens;
    else if (Function && Name != "a lambda")
      note(Diags, Function->getLocation(),
           "mark '%0' %1 to let it read and write the secrets of domain "
           "'%2'")
          << Name << gateSpelling(*Domain) << *Domain;
  }

  void checkDefinition(VarDecl *Var) {
    DiagnosticsEngine &Diags = Context.getDiagnostics();
    SourceLocation Loc = Var->getLocation();
    // Clang's code generation folds what it can read of a const variable
    // with a constant initialiser into the code, before any pass runs: a
    // scalar's value, and an array element read at a constant index in a
    // condition or a switch. The pages would then protect a copy that the
    // program never reads.
    if (Var->isConstexpr() || Var->getType().isConstQualified())
      error(Diags, Loc,
            "secret '%0' is %select{const|constexpr}1, so the compiler may "
            "copy its value into the code; drop %select{const|constexpr}1 "
            "(outside gates the secret cannot be written anyway)")
          << Var->getName() << Var->isConstexpr();
    else if (Context.getLangOpts().CPlusPlus && Var->hasInit() &&
             !Var->hasConstantInitialization())
      error(Diags, Loc,
            "secret '%0' needs dynamic initialisation, which would run "
            "outside any gate; give it a constant initialiser")
          << Var->getName();
    if (Var->needsDestruction(Context))
      error(Diags, Loc,
            "secret '%0' needs a destructor, which would run outside any gate")
          << Var->getName();
    if (const auto *Section = Var->getAttr<SectionAttr>())
      error(Diags, Section->getLocation(),
            "secret '%0' cannot be placed in section '%1': pkguard places "
            "secrets in their own pages")
          << Var->getName() << Section->getName();
  }

  ASTContext &Context;
  SmallVector<const Decl *, 4> Callables;
  SmallVector<const VarDecl *, 2> Initialized;
  llvm::DenseSet<unsigned> Reported;
};

class SecretChecksConsumer : public ASTConsumer {
public:
  void HandleTranslationUnit(ASTContext &Context) override {
    SecretVisitor(Context).TraverseDecl(Context.getTranslationUnitDecl());
  }
};

} // namespace

std::unique_ptr<ASTConsumer>
SecretChecksAction::CreateASTConsumer(CompilerInstance &, StringRef) {
  return std::make_unique<SecretChecksConsumer>();
}

bool refusePluginArguments(const CompilerInstance &CI,
                           const std::vector<std::string> &Args) {
  for (const std::string &Arg : Args)
    error(CI.getDiagnostics(), SourceLocation(),
          "pkguard's Clang plugin takes no arguments, not '%0'")
        << Arg;
  return Args.empty();
}

bool SecretChecksAction::ParseArgs(const CompilerInstance &CI,
                                   const std::vector<std::string> &Args) {
  return refusePluginArguments(CI, Args);
}

PluginASTAction::ActionType SecretChecksAction::getActionType() {
  // Before code generation, so that no object is written after an error.
  return AddBeforeMainAction;
}

} // namespace pkguard
