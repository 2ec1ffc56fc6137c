//===- Secrets.cpp - Key-protected secrets and their gates ----------------===//
//
// Part of pkguard, under the Apache License v2.0 with LLVM Exceptions.
// See LICENSE for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// A secret is a global annotated "pkey" (default domain) or "pkey:DOMAIN".
// A gate is a function annotated "pkguard.secret_access[:DOMAIN]". This pass
//
// 1. refuses, with an error at the use, any use of a secret outside a gate
//    for its domain, and any initialiser that takes a secret's address;
// 2. moves each secret into a page-aligned global padded to whole pages, in
//    section pkguard_secrets (or .bss.pkguard_secrets when zero), writable
//    and externally initialised so that no optimisation folds its value;
// 3. builds the module's table of secrets and domains (pkguard/abi.h) and a
//    constructor that hands it to the runtime, which tags the pages with the
//    domain's key before any other constructor runs;
// 4. makes every gate noinline, so that its body stays between its open and
//    close, and instruments it (SecretGates.cpp).
//
// It runs at the start of the pipeline: later, inlining could move a use
// out of a gate and constant folding could copy a secret into the code.
//
// USAGE: opt -load-pass-plugin=PkguardPass.so -passes=pkguard-secrets in.ll
//
//===----------------------------------------------------------------------===//
#include "Secrets.h"

#include "pkguard/abi.h"
#include "AbiTypes.h"
#include "Annotations.h"
#include "PassStats.h"
#include "SecretGates.h"
#include "TargetCheck.h"

#include "llvm/ADT/MapVector.h"
#include "llvm/ADT/Statistic.h"
#include "llvm/Analysis/GlobalsModRef.h"
#include "llvm/ADT/SetVector.h"
#include "llvm/IR/Constants.h"
#include "llvm/IR/DiagnosticInfo.h"
#include "llvm/IR/DiagnosticPrinter.h"
#include "llvm/IR/IRBuilder.h"
#include "llvm/IR/Instructions.h"
#include "llvm/IR/Module.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/Transforms/Utils/ModuleUtils.h"

using namespace llvm;

#define DEBUG_TYPE "pkguard-secrets"

STATISTIC(NumSecretsPlaced, "Secrets moved to pages of their own");
STATISTIC(NumGatesInstrumented, "Gates given their WRPKRU sequences");

namespace pkguard {
namespace {

class Secrets {
public:
  explicit Secrets(Module &M) : M(M), Notes(M) {}
  bool run();

private:
  void collect();
  bool checkUses(GlobalVariable *Secret, StringRef Domain);
  bool checkUsers(Value *V, GlobalVariable *Secret, StringRef Domain);
  bool checkDefinition(GlobalVariable *Secret);
  bool checkDomainCount();
  GlobalVariable *place(GlobalVariable *Secret);
  unsigned domainIndex(StringRef Domain);
  GlobalVariable *buildTable();
  void registerTable(GlobalVariable *Table);
  void error(const Twine &Message) { M.getContext().emitError(Message); }

  Module &M;
  Annotations Notes;
  MapVector<GlobalVariable *, std::string> SecretDomains;
  MapVector<Function *, std::string> GateDomains;
  SmallVector<std::string, 4> Domains;
  // Secrets defined, and so placed, in this module.
  unsigned Entries = 0;
};

// A warning that names no function or instruction.
class PkguardWarning : public DiagnosticInfo {
public:
  explicit PkguardWarning(const Twine &Message)
      : DiagnosticInfo(kind(), DS_Warning), Message(Message.str()) {}
  void print(DiagnosticPrinter &DP) const override { DP << Message; }

private:
  static int kind() {
    static const int Kind = getNextAvailablePluginDiagnosticKind();
    return Kind;
  }
  std::string Message;
};

std::optional<std::string> domainOf(ArrayRef<StringRef> Texts,
                                    StringRef Prefix) {
  for (StringRef Text : Texts) {
    std::string_view Domain;
    if (abi::matchDomainAnnotation(
            std::string_view(Text.data(), Text.size()),
            std::string_view(Prefix.data(), Prefix.size()), Domain))
      return std::string(Domain);
  }
  return std::nullopt;
}

void Secrets::collect() {
  for (GlobalVariable &GV : M.globals())
    if (std::optional<std::string> Domain =
            domainOf(Notes.of(GV), abi::SecretAnnotation))
      SecretDomains[&GV] = *Domain;
  for (Function &F : M)
    if (std::optional<std::string> Domain =
            domainOf(Notes.of(F), abi::SecretAccessAnnotation))
      GateDomains[&F] = *Domain;
}

// The metadata globals that list values without using them.
bool isBookkeeping(const GlobalVariable *GV) {
  StringRef Name = GV->getName();
  return Name == "llvm.global.annotations" || Name == "llvm.used" ||
         Name == "llvm.compiler.used";
}

bool Secrets::checkUsers(Value *V, GlobalVariable *Secret, StringRef Domain) {
  bool Ok = true;
  for (User *U : V->users()) {
    if (auto *I = dyn_cast<Instruction>(U)) {
      Function *F = I->getFunction();
      auto Gate = GateDomains.find(F);
      if (Gate != GateDomains.end() && Gate->second == Domain)
        continue;
      M.getContext().diagnose(DiagnosticInfoUnsupported(
          *F,
          "secret '" + Secret->getName() + "' is used in '" + F->getName() +
              "', which is not a gate for its domain '" + Domain + "'",
          I->getDebugLoc()));
      Ok = false;
    } else if (auto *G = dyn_cast<GlobalVariable>(U)) {
      if (isBookkeeping(G))
        continue;
      error("pkguard: the address of secret '" + Secret->getName() +
            "' escapes into '" + G->getName() + "', outside any gate");
      Ok = false;
    } else if (isa<GlobalAlias>(U)) {
      error("pkguard: secret '" + Secret->getName() +
            "' cannot be given another name by an alias");
      Ok = false;
    } else if (isa<Constant>(U)) {
      Ok &= checkUsers(U, Secret, Domain);
    }
  }
  return Ok;
}

bool Secrets::checkDefinition(GlobalVariable *Secret) {
  StringRef Name = Secret->getName();
  if (Secret->isThreadLocal()) {
    error("pkguard: secret '" + Name + "' cannot be thread-local");
    return false;
  }
  // The pass can keep a constant global on its pages (it becomes writable
  // and externally initialised), but the front end may already have folded
  // reads of it into the code; the Clang plugin refuses such secrets, and
  // code built without it is told.
  if (Secret->isConstant())
    M.getContext().diagnose(PkguardWarning(
        "pkguard: secret '" + Name +
        "' is constant: the front end may already have copied its value "
        "into the code; declare it without const"));
  StringRef Section = Secret->getSection();
  if (!Section.empty() && Section != abi::SecretSection &&
      Section != abi::SecretBssSection) {
    error("pkguard: secret '" + Name + "' cannot be placed in section '" +
          Section + "'");
    return false;
  }
  return true;
}

bool Secrets::checkUses(GlobalVariable *Secret, StringRef Domain) {
  if (!abi::isValidDomainName(Domain)) {
    error("pkguard: invalid secret domain name '" + Domain + "' on '" +
          Secret->getName() + "'");
    return false;
  }
  // Both checks run, so that every error is reported at once.
  bool DefinitionOk = checkDefinition(Secret);
  bool UsesOk = checkUsers(Secret, Secret, Domain);
  return DefinitionOk && UsesOk;
}

bool Secrets::checkDomainCount() {
  SetVector<StringRef> Used;
  for (auto &[Secret, Domain] : SecretDomains)
    Used.insert(Domain);
  for (auto &[Gate, Domain] : GateDomains)
    Used.insert(Domain);
  if (Used.size() <= abi::MaxSecretDomains)
    return true;
  error("pkguard: this module uses " + Twine(Used.size()) +
        " secret domains, but a process can have at most " +
        Twine(abi::MaxSecretDomains) +
        " (15 protection keys, one of them for the shadow stack)");
  return false;
}

GlobalVariable *Secrets::place(GlobalVariable *Secret) {
  if (Secret->isDeclaration())
    return Secret; // placed by the module that defines it
  const DataLayout &DL = M.getDataLayout();
  LLVMContext &C = M.getContext();
  Type *ValueType = Secret->getValueType();
  uint64_t Size = std::max<uint64_t>(DL.getTypeAllocSize(ValueType), 1);
  uint64_t Padding = alignTo(Size, abi::PageSize) - Size;
  Constant *Initializer = Secret->getInitializer();
  Type *Wrapped = ValueType;
  if (Padding) {
    Type *PadType = ArrayType::get(Type::getInt8Ty(C), Padding);
    Wrapped = StructType::get(C, {ValueType, PadType});
    Initializer = ConstantStruct::get(cast<StructType>(Wrapped),
                                      {Initializer, Constant::getNullValue(PadType)});
  }
  auto *Placed = new GlobalVariable(
      M, Wrapped, /*isConstant=*/false,
      Secret->hasCommonLinkage() ? GlobalValue::WeakAnyLinkage
                                 : Secret->getLinkage(),
      Initializer, "", Secret, GlobalValue::NotThreadLocal,
      Secret->getAddressSpace());
  Placed->copyAttributesFrom(Secret);
  Placed->setComdat(Secret->getComdat());
  Placed->setConstant(false);
  Placed->setUnnamedAddr(GlobalValue::UnnamedAddr::None);
  Placed->setExternallyInitialized(true);
  Placed->setAlignment(
      std::max(Secret->getAlign().valueOrOne(), Align(abi::PageSize)));
  Placed->setSection(Initializer->isNullValue() ? abi::SecretBssSection
                                                : abi::SecretSection);
  SmallVector<std::pair<unsigned, MDNode *>, 2> Metadata;
  Secret->getAllMetadata(Metadata);
  for (auto &[Kind, Node] : Metadata)
    Placed->setMetadata(Kind, Node);
  Secret->replaceAllUsesWith(Placed);
  Placed->takeName(Secret);
  Secret->eraseFromParent();
  return Placed;
}

unsigned Secrets::domainIndex(StringRef Domain) {
  for (unsigned I = 0; I < Domains.size(); ++I)
    if (Domains[I] == Domain)
      return I;
  Domains.push_back(Domain.str());
  return Domains.size() - 1;
}

GlobalVariable *Secrets::buildTable() {
  LLVMContext &C = M.getContext();
  IRBuilder<> IRB(C);
  Type *Int32Ty = IRB.getInt32Ty();
  Type *Int64Ty = IRB.getInt64Ty();
  PointerType *PtrTy = IRB.getPtrTy();
  const DataLayout &DL = M.getDataLayout();

  SmallVector<Constant *, 8> Entries;
  StructType *EntryType = secretEntryType(M);
  for (auto &[Secret, Domain] : SecretDomains) {
    if (Secret->isDeclaration())
      continue;
    uint64_t Size = DL.getTypeAllocSize(Secret->getValueType());
    Entries.push_back(ConstantStruct::get(
        EntryType,
        {Secret, ConstantInt::get(Int64Ty, Size),
         IRB.CreateGlobalString(Secret->getName(), "pkguard.secret_name", 0,
                                &M),
         ConstantInt::get(Int32Ty, domainIndex(Domain)),
         ConstantInt::get(Int32Ty, 0)}));
  }
  for (auto &[Gate, Domain] : GateDomains)
    domainIndex(Domain);

  SmallVector<Constant *, 4> Names;
  for (const std::string &Domain : Domains)
    Names.push_back(
        IRB.CreateGlobalString(Domain, "pkguard.domain_name", 0, &M));
  auto Private = [&](Constant *Init, const char *Name) {
    auto *GV = new GlobalVariable(M, Init->getType(), /*isConstant=*/true,
                                  GlobalValue::PrivateLinkage, Init, Name);
    return GV;
  };
  Constant *NameArray =
      Private(ConstantArray::get(ArrayType::get(PtrTy, Names.size()), Names),
              "pkguard.domain_names");
  Constant *EntryArray = Private(
      ConstantArray::get(ArrayType::get(EntryType, Entries.size()), Entries),
      "pkguard.secrets");

  // Gate words start closed (see UnregisteredGateClear); the runtime
  // fills them in.
  StructType *Header = secretTableType(M, Domains.size());
  auto *Gates = cast<ArrayType>(Header->getElementType(6));
  auto *Words = cast<StructType>(Gates->getElementType());
  SmallVector<Constant *, 8> UnregisteredWords;
  for (Type *Word : Words->elements())
    UnregisteredWords.push_back(Constant::getNullValue(Word));
  UnregisteredWords[0] = ConstantInt::get(Int32Ty, abi::UnregisteredGateClear);
  Constant *UnregisteredGates = ConstantArray::get(
      Gates, SmallVector<Constant *, 16>(
                 Domains.size(), ConstantStruct::get(Words, UnregisteredWords)));
  uint64_t HeaderSize = DL.getTypeAllocSize(Header);
  Type *Padding = ArrayType::get(IRB.getInt8Ty(),
                                 alignTo(HeaderSize, abi::PageSize) - HeaderSize);
  StructType *TableType = StructType::get(C, {Header, Padding});
  Constant *HeaderInit = ConstantStruct::get(
      Header,
      {ConstantInt::get(Int32Ty, abi::SecretTableMagic),
       ConstantInt::get(Int32Ty, abi::SecretTableVersion),
       ConstantInt::get(Int32Ty, Domains.size()),
       ConstantInt::get(Int32Ty, Entries.size()), NameArray, EntryArray,
       UnregisteredGates});
  auto *Table = new GlobalVariable(
      M, TableType, /*isConstant=*/false, GlobalValue::InternalLinkage,
      ConstantStruct::get(TableType, {HeaderInit, Constant::getNullValue(Padding)}),
      "pkguard.secret_table");
  Table->setAlignment(Align(abi::PageSize));
  Table->setSection(abi::SecretTableSection);
  return Table;
}

void Secrets::registerTable(GlobalVariable *Table) {
  // Not in a comdat: every module registers its own table, and takes it
  // back when it is unloaded.
  PointerType *PtrTy = PointerType::getUnqual(M.getContext());
  auto [Ctor, Register] = createSanitizerCtorAndInitFunctions(
      M, abi::SecretsCtorName, abi::RegisterSecretsName, {PtrTy}, {Table},
      abi::VersionCheckName);
  appendToGlobalCtors(M, Ctor, abi::ModuleCtorPriority);
  Function *Dtor = createSanitizerCtor(M, abi::SecretsDtorName);
  IRBuilder<> IRB(Dtor->getEntryBlock().getTerminator());
  FunctionCallee Unregister = M.getOrInsertFunction(
      abi::UnregisterSecretsName,
      FunctionType::get(IRB.getVoidTy(), {PtrTy}, false));
  IRB.CreateCall(Unregister, {Table});
  appendToGlobalDtors(M, Dtor, abi::ModuleCtorPriority);
}

bool Secrets::run() {
  // A module that has its table has been through this pass already.
  for (GlobalVariable &GV : M.globals())
    if (GV.getSection() == abi::SecretTableSection)
      return false;
  collect();
  if (SecretDomains.empty() && GateDomains.empty())
    return false;
  if (!checkTarget(M, "protecting secrets"))
    return false;
  bool Ok = checkDomainCount();
  for (auto &[Secret, Domain] : SecretDomains)
    Ok &= checkUses(Secret, Domain);
  for (auto &[Gate, Domain] : GateDomains) {
    if (!abi::isValidDomainName(Domain)) {
      error("pkguard: invalid secret domain name '" + Domain + "' on gate '" +
            Gate->getName() + "'");
      Ok = false;
    }
    if (Gate->hasFnAttribute(Attribute::AlwaysInline)) {
      error("pkguard: gate '" + Gate->getName() +
            "' cannot be always_inline: inlined, its body would run outside "
            "the gate");
      Ok = false;
    }
  }
  if (!Ok)
    return false;

  MapVector<GlobalVariable *, std::string> Placed;
  for (auto &[Secret, Domain] : SecretDomains) {
    GlobalVariable *At = place(Secret);
    Placed[At] = Domain;
    if (!At->isDeclaration())
      ++Entries;
  }
  NumSecretsPlaced += Entries;
  SecretDomains = std::move(Placed);

  GlobalVariable *Table = buildTable();
  registerTable(Table);
  GateInstrumenter Instrumenter(M, Table);
  unsigned Gates = 0;
  for (auto &[Gate, Domain] : GateDomains) {
    Gate->addFnAttr(Attribute::NoInline);
    if (!Gate->isDeclaration()) {
      Instrumenter.instrument(*Gate, domainIndex(Domain));
      ++Gates;
    }
  }
  NumGatesInstrumented += Gates;
  if (printStatsRequested())
    errs() << "pkguard: stats: secrets in '" << M.getSourceFileName()
           << "': " << Entries << " secrets placed, " << Gates
           << " gates instrumented, " << Domains.size() << " domains\n";
  return true;
}

} // namespace

PreservedAnalyses SecretsPass::run(Module &M, ModuleAnalysisManager &) {
  if (!Secrets(M).run())
    return PreservedAnalyses::all();
  PreservedAnalyses PA = PreservedAnalyses::none();
  // GlobalsAA is stateless and survives none(): moved globals and new calls
  // must invalidate what it knows.
  PA.abandon<GlobalsAA>();
  return PA;
}

} // namespace pkguard
