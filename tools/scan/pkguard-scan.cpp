//===- pkguard-scan.cpp - Find WRPKRU and XRSTOR bytes in ELF files -------===//
//
// Part of pkguard, under the Apache License v2.0 with LLVM Exceptions.
// See LICENSE for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// Protection keys are only as strong as the instructions that can change
// PKRU. pkguard-scan reports, at every byte offset of every executable
// section (or, without section headers, executable segment), the bytes of
// WRPKRU (0f 01 ef), XRSTOR (0f ae /5) and XRSTORS (0f c7 /3) with a memory
// operand, whatever prefixes precede them, except WRPKRUs that are one of
// pkguard's sanctioned sequences (<pkguard/sequences.h>). A jump onto any
// byte runs what decodes there, so aligned or not, in an immediate or
// spanning two instructions, every occurrence counts.
//
// USAGE: pkguard-scan [--json] [--recursive] FILE|DIR...
// Exit status: 0 nothing found, 1 findings, 2 bad input.
//
//===----------------------------------------------------------------------===//
#include "pkguard/sequences.h"

#include <elf.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <dirent.h>
#include <string>
#include <vector>

namespace {

constexpr int kExitClean = 0;
constexpr int kExitFindings = 1;
constexpr int kExitBadInput = 2;

struct Options {
  bool Json = false;
  bool Recursive = false;
  std::vector<std::string> Paths;
};

// One stretch of code: a section, or a segment when there are no sections.
struct CodeRange {
  std::string Name;
  uint64_t Offset; // in the file
  uint64_t Address;
  uint64_t Size;
};

struct Symbol {
  uint64_t Address;
  uint64_t Size;
  std::string Name;
};

struct Finding {
  std::string File;
  std::string Section;
  uint64_t SectionOffset;
  uint64_t Offset;
  uint64_t Address;
  std::string Symbol;
  const char *Kind;
  std::string Bytes;
};

const char *kindAt(const unsigned char *Begin, const unsigned char *End,
                   const unsigned char *At) {
  switch (pkguard::abi::pkru_changer_at(Begin, End, At)) {
  case pkguard::abi::PkruChanger::UnsanctionedWrpkru:
    return "wrpkru";
  case pkguard::abi::PkruChanger::Xrstor:
    return "xrstor";
  case pkguard::abi::PkruChanger::Xrstors:
    return "xrstors";
  case pkguard::abi::PkruChanger::None:
    break;
  }
  return nullptr;
}

std::string hexAround(const unsigned char *Begin, const unsigned char *End,
                      const unsigned char *At) {
  std::string Text;
  char Byte[8];
  const unsigned char *From = At - Begin > 8 ? At - 8 : Begin;
  const unsigned char *To = End - At > 11 ? At + 11 : End;
  for (const unsigned char *P = From; P < To; ++P) {
    snprintf(Byte, sizeof Byte, P == At ? "[%02x" : "%02x", *P);
    Text += Byte;
    Text += P == At + 2 ? "] " : " ";
  }
  if (!Text.empty())
    Text.pop_back();
  return Text;
}

std::string jsonString(const std::string &S) {
  std::string Out = "\"";
  for (char C : S) {
    if (C == '"' || C == '\\')
      Out += '\\';
    if ((unsigned char)C < 0x20) {
      char Escaped[8];
      snprintf(Escaped, sizeof Escaped, "\\u%04x", C);
      Out += Escaped;
      continue;
    }
    Out += C;
  }
  return Out + "\"";
}

class ElfFile {
public:
  // Returns an error message, or empty when the file is a 64-bit x86-64 ELF
  // whose code can be scanned.
  std::string open(const std::string &Path);
  ~ElfFile();

  const std::vector<CodeRange> &code() const { return Code; }
  const unsigned char *bytes() const { return Data; }
  uint64_t size() const { return Size; }
  std::string symbolAt(uint64_t Address) const;

private:
  template <typename T> const T *at(uint64_t Offset, uint64_t Count = 1) const {
    if (Offset > Size || Count > (Size - Offset) / sizeof(T))
      return nullptr;
    return reinterpret_cast<const T *>(Data + Offset);
  }
  void readSymbols(const Elf64_Shdr &Table, const Elf64_Shdr *Sections,
                   unsigned Count);

  const unsigned char *Data = nullptr;
  uint64_t Size = 0;
  std::vector<CodeRange> Code;
  std::vector<Symbol> Symbols;
};

ElfFile::~ElfFile() {
  if (Data)
    munmap(const_cast<unsigned char *>(Data), Size);
}

std::string ElfFile::open(const std::string &Path) {
  int Fd = ::open(Path.c_str(), O_RDONLY | O_CLOEXEC);
  if (Fd < 0)
    return std::string("cannot open: ") + strerror(errno);
  struct stat Info;
  if (fstat(Fd, &Info) != 0 || !S_ISREG(Info.st_mode)) {
    close(Fd);
    return S_ISDIR(Info.st_mode) ? "is a directory (use --recursive)"
                                 : "not a regular file";
  }
  Size = Info.st_size;
  if (Size < EI_NIDENT) {
    close(Fd);
    return "not an ELF file (too short)";
  }
  void *Mapped = mmap(nullptr, Size, PROT_READ, MAP_PRIVATE, Fd, 0);
  close(Fd);
  if (Mapped == MAP_FAILED)
    return std::string("cannot map: ") + strerror(errno);
  Data = static_cast<const unsigned char *>(Mapped);
  if (memcmp(Data, ELFMAG, SELFMAG) != 0)
    return "not an ELF file";
  if (Data[EI_CLASS] != ELFCLASS64)
    return "a 32-bit ELF file: pkguard-scan reads x86-64 files only";
  if (Data[EI_DATA] != ELFDATA2LSB)
    return "a big-endian ELF file: pkguard-scan reads x86-64 files only";
  const auto *Header = at<Elf64_Ehdr>(0);
  if (!Header)
    return "truncated ELF header";
  if (Header->e_machine != EM_X86_64)
    return "not an x86-64 ELF file";
  const auto *Sections =
      Header->e_shnum ? at<Elf64_Shdr>(Header->e_shoff, Header->e_shnum)
                      : nullptr;
  if (Header->e_shnum && !Sections)
    return "truncated: the section headers lie past the end of the file";
  for (unsigned I = 0; Sections && I < Header->e_shnum; ++I) {
    const Elf64_Shdr &S = Sections[I];
    if (S.sh_type == SHT_SYMTAB || S.sh_type == SHT_DYNSYM)
      readSymbols(S, Sections, Header->e_shnum);
    if (!(S.sh_flags & SHF_EXECINSTR) || S.sh_type == SHT_NOBITS)
      continue;
    if (!at<unsigned char>(S.sh_offset, S.sh_size))
      return "truncated: a code section lies past the end of the file";
    std::string Name = "?";
    if (Header->e_shstrndx < Header->e_shnum) {
      const Elf64_Shdr &Names = Sections[Header->e_shstrndx];
      if (S.sh_name < Names.sh_size && at<char>(Names.sh_offset, Names.sh_size))
        Name = strnlen((const char *)Data + Names.sh_offset + S.sh_name,
                       Names.sh_size - S.sh_name) < Names.sh_size - S.sh_name
                   ? (const char *)Data + Names.sh_offset + S.sh_name
                   : "?";
    }
    Code.push_back({Name, S.sh_offset, S.sh_addr, S.sh_size});
  }
  if (Code.empty() && Header->e_phnum) {
    const auto *Segments = at<Elf64_Phdr>(Header->e_phoff, Header->e_phnum);
    if (!Segments)
      return "truncated: the program headers lie past the end of the file";
    for (unsigned I = 0; I < Header->e_phnum; ++I) {
      const Elf64_Phdr &P = Segments[I];
      if (P.p_type != PT_LOAD || !(P.p_flags & PF_X))
        continue;
      if (!at<unsigned char>(P.p_offset, P.p_filesz))
        return "truncated: a code segment lies past the end of the file";
      Code.push_back({"segment " + std::to_string(I), P.p_offset, P.p_vaddr,
                      P.p_filesz});
    }
  }
  return "";
}

void ElfFile::readSymbols(const Elf64_Shdr &Table, const Elf64_Shdr *Sections,
                          unsigned Count) {
  if (Table.sh_entsize != sizeof(Elf64_Sym) || Table.sh_link >= Count)
    return;
  const Elf64_Shdr &Strings = Sections[Table.sh_link];
  const auto *Entries =
      at<Elf64_Sym>(Table.sh_offset, Table.sh_size / sizeof(Elf64_Sym));
  const char *Names = at<char>(Strings.sh_offset, Strings.sh_size);
  if (!Entries || !Names)
    return;
  for (uint64_t I = 0; I < Table.sh_size / sizeof(Elf64_Sym); ++I) {
    const Elf64_Sym &S = Entries[I];
    if (ELF64_ST_TYPE(S.st_info) != STT_FUNC || S.st_name >= Strings.sh_size)
      continue;
    const char *Name = Names + S.st_name;
    if (strnlen(Name, Strings.sh_size - S.st_name) == Strings.sh_size - S.st_name)
      continue;
    Symbols.push_back({S.st_value, S.st_size, Name});
  }
}

std::string ElfFile::symbolAt(uint64_t Address) const {
  // The nearest function at or below Address that covers it; one without a
  // size (hand-written assembly) runs to the next.
  const Symbol *Best = nullptr;
  for (const Symbol &S : Symbols)
    if (S.Address <= Address && (!S.Size || Address < S.Address + S.Size) &&
        (!Best || S.Address > Best->Address))
      Best = &S;
  if (!Best)
    return "";
  char Offset[32];
  snprintf(Offset, sizeof Offset, "+0x%llx",
           (unsigned long long)(Address - Best->Address));
  return Best->Name + Offset;
}

class Scanner {
public:
  explicit Scanner(const Options &O) : Opts(O) {}
  int run();

private:
  void scanPath(const std::string &Path, bool FromDirectory);
  void scanFile(const std::string &Path, ElfFile &File);
  void print() const;

  const Options &Opts;
  std::vector<Finding> Findings;
  std::vector<std::string> Errors;
  unsigned Files = 0;
  uint64_t BytesScanned = 0;
};

void Scanner::scanFile(const std::string &Path, ElfFile &File) {
  ++Files;
  for (const CodeRange &Range : File.code()) {
    const unsigned char *Begin = File.bytes() + Range.Offset;
    const unsigned char *End = Begin + Range.Size;
    BytesScanned += Range.Size;
    for (const unsigned char *At = Begin; At < End;) {
      At = (const unsigned char *)memchr(At, 0x0f, End - At);
      if (!At)
        break;
      if (const char *Kind = kindAt(Begin, End, At)) {
        uint64_t Delta = At - Begin;
        Findings.push_back({Path, Range.Name, Delta, Range.Offset + Delta,
                            Range.Address + Delta,
                            File.symbolAt(Range.Address + Delta), Kind,
                            hexAround(Begin, End, At)});
      }
      ++At;
    }
  }
}

void Scanner::scanPath(const std::string &Path, bool FromDirectory) {
  struct stat Info;
  if (Opts.Recursive && lstat(Path.c_str(), &Info) == 0) {
    if (S_ISLNK(Info.st_mode) && FromDirectory)
      return; // the target is scanned under its own name
    if (S_ISDIR(Info.st_mode)) {
      DIR *Dir = opendir(Path.c_str());
      if (!Dir) {
        Errors.push_back(Path + ": cannot read the directory");
        return;
      }
      std::vector<std::string> Entries;
      while (dirent *Entry = readdir(Dir))
        if (strcmp(Entry->d_name, ".") && strcmp(Entry->d_name, ".."))
          Entries.push_back(Path + "/" + Entry->d_name);
      closedir(Dir);
      for (const std::string &Entry : Entries)
        scanPath(Entry, true);
      return;
    }
  }
  ElfFile File;
  std::string Error = File.open(Path);
  if (Error.empty()) {
    scanFile(Path, File);
    return;
  }
  // Walking a directory, files that are not ELF are not errors.
  if (!(FromDirectory && Error.rfind("not an ELF", 0) == 0) &&
      !(FromDirectory && Error == "not a regular file"))
    Errors.push_back(Path + ": " + Error);
}

void Scanner::print() const {
  if (Opts.Json) {
    printf("{\"findings\": [");
    for (size_t I = 0; I < Findings.size(); ++I) {
      const Finding &F = Findings[I];
      printf("%s\n  {\"file\": %s, \"section\": %s, \"section_offset\": %llu, "
             "\"offset\": %llu, \"address\": %llu, \"symbol\": %s, "
             "\"kind\": \"%s\", \"bytes\": %s}",
             I ? "," : "", jsonString(F.File).c_str(),
             jsonString(F.Section).c_str(),
             (unsigned long long)F.SectionOffset, (unsigned long long)F.Offset,
             (unsigned long long)F.Address, jsonString(F.Symbol).c_str(),
             F.Kind, jsonString(F.Bytes).c_str());
    }
    printf("%s], \"errors\": [", Findings.empty() ? "" : "\n");
    for (size_t I = 0; I < Errors.size(); ++I)
      printf("%s%s", I ? ", " : "", jsonString(Errors[I]).c_str());
    printf("], \"files\": %u, \"bytes\": %llu}\n", Files,
           (unsigned long long)BytesScanned);
    return;
  }
  for (const Finding &F : Findings)
    printf("%s: %s+0x%llx (file offset 0x%llx, address 0x%llx%s%s): %s: %s\n",
           F.File.c_str(), F.Section.c_str(),
           (unsigned long long)F.SectionOffset, (unsigned long long)F.Offset,
           (unsigned long long)F.Address,
           F.Symbol.empty() ? "" : ", in ", F.Symbol.c_str(), F.Kind,
           F.Bytes.c_str());
}

int Scanner::run() {
  auto Start = std::chrono::steady_clock::now();
  for (const std::string &Path : Opts.Paths)
    scanPath(Path, false);
  double Seconds = std::chrono::duration<double>(
                       std::chrono::steady_clock::now() - Start)
                       .count();
  print();
  for (const std::string &Error : Errors)
    fprintf(stderr, "pkguard-scan: error: %s\n", Error.c_str());
  double Megabytes = BytesScanned / 1e6;
  fprintf(stderr,
          "pkguard-scan: %u files, %.1f MB of code in %.2f s (%.0f MB/s), %zu "
          "findings\n",
          Files, Megabytes, Seconds, Seconds > 0 ? Megabytes / Seconds : 0.0,
          Findings.size());
  if (!Errors.empty())
    return kExitBadInput;
  return Findings.empty() ? kExitClean : kExitFindings;
}

void usage(FILE *To) {
  fputs("usage: pkguard-scan [--json] [--recursive] FILE|DIR...\n"
        "Reports WRPKRU, XRSTOR and XRSTORS bytes in the code of x86-64 ELF\n"
        "files, except pkguard's own sanctioned sequences.\n"
        "  --json       print the findings as JSON\n"
        "  --recursive  scan directories, skipping files that are not ELF\n"
        "exit status: 0 nothing found, 1 findings, 2 bad input\n",
        To);
}

} // namespace

int main(int argc, char **argv) {
  Options Opts;
  for (int I = 1; I < argc; ++I) {
    std::string Arg = argv[I];
    if (Arg == "--json")
      Opts.Json = true;
    else if (Arg == "--recursive" || Arg == "-r")
      Opts.Recursive = true;
    else if (Arg == "--help" || Arg == "-h") {
      usage(stdout);
      return kExitClean;
    } else if (Arg.size() > 1 && Arg[0] == '-') {
      fprintf(stderr, "pkguard-scan: error: unknown option '%s'\n", argv[I]);
      usage(stderr);
      return kExitBadInput;
    } else
      Opts.Paths.push_back(Arg);
  }
  if (Opts.Paths.empty()) {
    usage(stderr);
    return kExitBadInput;
  }
  return Scanner(Opts).run();
}
