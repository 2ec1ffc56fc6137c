//===- symbolizer.cpp - Naming code addresses in reports ------------------===//
//
// Part of pkguard, under the Apache License v2.0 with LLVM Exceptions.
// See LICENSE for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
#include "symbolizer.h"

#include "line_table.h"
#include "report_buffer.h"
#include "syscalls.h"

#include <dlfcn.h>
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

namespace pkguard {
namespace {

void copy_string(char *to, size_t capacity, const char *from) {
  size_t i = 0;
  for (; from && from[i] && i + 1 < capacity; ++i)
    to[i] = from[i];
  to[i] = '\0';
}

// The file of the module at `base`: dladdr names shared libraries, but the
// main program has an empty or relative name, and /proc/self/exe stands for
// it. The main program is the one its entry point lies in (the runtime may
// be a shared library of it).
const char *module_path(const Dl_info &info) {
  if (info.dli_fname && info.dli_fname[0] == '/')
    return info.dli_fname;
  Dl_info main_program;
  if (dladdr((void *)getauxval(AT_ENTRY), &main_program) &&
      main_program.dli_fbase == info.dli_fbase)
    return "/proc/self/exe";
  return info.dli_fname;
}

// Finds the function containing `relative` in one symbol table section.
bool find_in_table(const char *file, size_t size, const Elf64_Shdr &table,
                   const Elf64_Shdr &strings, uint64_t relative,
                   Symbolized &out) {
  if (table.sh_offset + table.sh_size > size ||
      strings.sh_offset + strings.sh_size > size || table.sh_entsize == 0)
    return false;
  size_t count = table.sh_size / table.sh_entsize;
  for (size_t i = 0; i < count; ++i) {
    const auto *symbol =
        (const Elf64_Sym *)(file + table.sh_offset + i * table.sh_entsize);
    int type = ELF64_ST_TYPE(symbol->st_info);
    if ((type != STT_FUNC && type != STT_GNU_IFUNC) || symbol->st_value == 0)
      continue;
    if (relative < symbol->st_value ||
        relative >= symbol->st_value + (symbol->st_size ? symbol->st_size : 1))
      continue;
    if (symbol->st_name >= strings.sh_size)
      return false;
    copy_string(out.function, sizeof out.function,
                file + strings.sh_offset + symbol->st_name);
    out.offset = relative - symbol->st_value;
    return true;
  }
  return false;
}

// A module's file, mapped for reading its symbols and line tables.
class MappedElf {
public:
  explicit MappedElf(const char *path) {
    int fd = (int)raw_syscall(SYS_openat, AT_FDCWD, (long)path,
                              O_RDONLY | O_CLOEXEC);
    if (fd < 0)
      return;
    struct stat status;
    if (raw_syscall(SYS_fstat, fd, (long)&status) == 0 &&
        status.st_size > (off_t)sizeof(Elf64_Ehdr)) {
      long mapped = sys_mmap(nullptr, (size_t)status.st_size, PROT_READ,
                             MAP_PRIVATE, fd, 0);
      if (!mmap_failed(mapped)) {
        file_ = (const char *)mapped;
        size_ = (size_t)status.st_size;
      }
    }
    raw_syscall(SYS_close, fd);
    const auto *header = (const Elf64_Ehdr *)file_;
    if (file_ && !memcmp(header->e_ident, ELFMAG, SELFMAG) &&
        header->e_shentsize == sizeof(Elf64_Shdr) &&
        header->e_shoff + header->e_shnum * sizeof(Elf64_Shdr) <= size_) {
      sections_ = (const Elf64_Shdr *)(file_ + header->e_shoff);
      section_count_ = header->e_shnum;
      if (header->e_shstrndx < section_count_)
        names_ = contents(sections_[header->e_shstrndx]);
    }
  }
  ~MappedElf() {
    if (file_)
      sys_munmap((void *)file_, size_);
  }
  MappedElf(const MappedElf &) = delete;
  MappedElf &operator=(const MappedElf &) = delete;

  const char *file() const { return file_; }
  size_t size() const { return size_; }
  unsigned section_count() const { return section_count_; }
  const Elf64_Shdr &section(unsigned i) const { return sections_[i]; }

  // A section's bytes; empty when it lies outside the file.
  Bytes contents(const Elf64_Shdr &section) const {
    if (section.sh_type == SHT_NOBITS || section.sh_offset > size_ ||
        section.sh_size > size_ - section.sh_offset)
      return {};
    return {(const uint8_t *)file_ + section.sh_offset, (size_t)section.sh_size};
  }

  // The section called `name`, or null.
  const Elf64_Shdr *find(const char *name) const {
    size_t length = strlen(name);
    for (unsigned i = 0; i < section_count_; ++i) {
      uint32_t at = sections_[i].sh_name;
      if (at < names_.size && names_.size - at > length &&
          !memcmp(names_.data + at, name, length + 1))
        return &sections_[i];
    }
    return nullptr;
  }

private:
  const char *file_ = nullptr;
  size_t size_ = 0;
  const Elf64_Shdr *sections_ = nullptr;
  unsigned section_count_ = 0;
  Bytes names_;
};

bool find_in_file(const char *path, uint64_t relative, Symbolized &out) {
  MappedElf elf(path);
  // The full table first; .dynsym holds only the exported functions.
  const unsigned wanted_types[] = {SHT_SYMTAB, SHT_DYNSYM};
  for (unsigned wanted : wanted_types)
    for (unsigned i = 0; i < elf.section_count(); ++i)
      if (elf.section(i).sh_type == wanted &&
          elf.section(i).sh_link < elf.section_count() &&
          find_in_table(elf.file(), elf.size(), elf.section(i),
                        elf.section(elf.section(i).sh_link), relative, out))
        return true;
  return false;
}

// The source line of `relative` from the file's own .debug_line.
// Compressed sections (-gz) are left to llvm-symbolizer.
LineLookup find_line_in_file(const char *path, uint64_t relative,
                             Report &out) {
  MappedElf elf(path);
  const Elf64_Shdr *line = elf.find(".debug_line");
  if (!line)
    return LineLookup::NotCovered;
  LineSections sections;
  const char *const names[] = {".debug_line_str", ".debug_str"};
  Bytes *const parts[] = {&sections.line_str, &sections.str};
  for (int i = 0; i < 2; ++i)
    if (const Elf64_Shdr *part = elf.find(names[i])) {
      if (part->sh_flags & SHF_COMPRESSED)
        return LineLookup::Unreadable;
      *parts[i] = elf.contents(*part);
    }
  if (line->sh_flags & SHF_COMPRESSED)
    return LineLookup::Unreadable;
  sections.line = elf.contents(*line);
  return find_source_line(sections, relative, out);
}

bool is_position_independent(const void *base) {
  return ((const Elf64_Ehdr *)base)->e_type == ET_DYN;
}

// The loaded module around a code address: its file, and the address as
// the file's own symbols and line tables know it.
struct ModuleAddress {
  Dl_info info;
  const char *path;
  uint64_t relative;
};

bool find_module(uintptr_t address, ModuleAddress &out) {
  if (!dladdr((void *)address, &out.info) || !out.info.dli_fbase)
    return false;
  out.path = module_path(out.info);
  out.relative = address;
  if (is_position_independent(out.info.dli_fbase))
    out.relative -= (uintptr_t)out.info.dli_fbase;
  return true;
}

//===----------------------------------------------------------------------===//
// llvm-symbolizer, for file:line.
//===----------------------------------------------------------------------===//

// Long enough for every llvm-symbolizer the tests and users meet; a longer
// location is left out rather than cut.
constexpr int kSymbolizerSeconds = 60;
constexpr size_t kMaxPath = 256;

bool append(char *to, size_t capacity, size_t &used, const char *from,
            size_t length) {
  if (used + length + 1 > capacity)
    return false;
  memcpy(to + used, from, length);
  used += length;
  to[used] = '\0';
  return true;
}

// llvm-symbolizer in one of PATH's folders, like ASan's external
// symbolizer: whoever sets PATH chooses the program the report runs, as
// they choose every program the process starts.
bool find_llvm_symbolizer(char (&path)[kMaxPath]) {
  const char *folders = nullptr;
  for (char **entry = environ; entry && *entry; ++entry)
    if (!strncmp(*entry, "PATH=", 5))
      folders = *entry + 5;
  while (folders && *folders) {
    size_t length = strcspn(folders, ":");
    size_t used = 0;
    if (length > 0 && append(path, sizeof path, used, folders, length) &&
        append(path, sizeof path, used, "/llvm-symbolizer", 16) &&
        raw_syscall(SYS_faccessat, AT_FDCWD, (long)path, X_OK) == 0)
      return true;
    folders += length + (folders[length] == ':');
  }
  return false;
}

// The child: the pipes become its standard input and output, nothing else
// stays open, and it execs with an empty environment (no LD_PRELOAD).
[[noreturn]] void exec_symbolizer(const char *path, int input, int output) {
  raw_syscall(SYS_dup2, input, 0);
  raw_syscall(SYS_dup2, output, 1);
  int null = (int)raw_syscall(SYS_openat, AT_FDCWD, (long)"/dev/null", O_WRONLY);
  raw_syscall(SYS_dup2, null, 2);
  raw_syscall(SYS_close_range, 3, ~0U, 0);
  const char *argv[] = {path, "--functions=none", "--no-inlines", nullptr};
  const char *envp[] = {nullptr};
  raw_syscall(SYS_execve, (long)path, (long)argv, (long)envp);
  raw_syscall(SYS_exit_group, 127);
  __builtin_unreachable();
}

// Writes one '"FILE" 0xOFFSET' query a line; the main program's file is
// named by its path, since the child's /proc/self is its own.
void send_queries(int fd, const uintptr_t *addresses, int count) {
  char self[kMaxPath];
  long length = raw_syscall(SYS_readlink, (long)"/proc/self/exe", (long)self,
                            sizeof self - 1);
  self[length > 0 ? length : 0] = '\0';
  for (int i = 0; i < count; ++i) {
    ModuleAddress module;
    Report query;
    if (find_module(addresses[i], module) && module.path)
      query.text("\"")
          .text(strcmp(module.path, "/proc/self/exe") ? module.path : self)
          .text("\" ")
          .hex(module.relative);
    else
      query.text("0x0"); // answered with ??:0:0, keeping the lines in step
    query.text("\n");
    sys_write(fd, query.c_str(), strlen(query.c_str()));
  }
}

// Reads everything the child writes, for at most kSymbolizerSeconds.
size_t read_answers(int fd, char *text, size_t capacity) {
  size_t used = 0;
  struct timespec left = {kSymbolizerSeconds, 0};
  while (used + 1 < capacity) {
    struct pollfd ready = {fd, POLLIN, 0};
    long n = raw_syscall(SYS_ppoll, (long)&ready, 1, (long)&left, 0, 8);
    if (n == -EINTR)
      continue;
    if (n <= 0)
      break;
    n = raw_syscall(SYS_read, fd, (long)(text + used), (long)(capacity - 1 - used));
    if (n == -EINTR)
      continue;
    if (n <= 0)
      break;
    used += (size_t)n;
  }
  text[used] = '\0';
  return used;
}

// Splits the answers, one location line and one empty line per query, into
// the locations of `frames`; "??:0:0" and line 0 are no location.
void parse_answers(char *text, const int *frames, int count,
                   SourceLocations &out) {
  char *line = text;
  for (int i = 0; i < count && *line;) {
    char *end = strchr(line, '\n');
    if (!end)
      break;
    *end = '\0';
    if (*line) {
      char *column = strrchr(line, ':');
      if (column && !strcmp(column, ":0"))
        *column = '\0'; // no column
      char *number = strrchr(line, ':');
      bool known = line[0] != '?' && number && strcmp(number, ":0");
      out.of[frames[i++]] = known ? line : nullptr;
    }
    line = end + 1;
  }
}

// Asks llvm-symbolizer for the locations of the addresses of `frames`,
// written after the first `used` bytes of out.text.
SourceLookup ask_llvm_symbolizer(const uintptr_t *addresses, const int *frames,
                                 int count, SourceLocations &out, size_t used) {
  char path[kMaxPath];
  if (!find_llvm_symbolizer(path))
    return SourceLookup::NoSymbolizer;
  int queries[2], answers[2];
  if (raw_syscall(SYS_pipe2, (long)queries, O_CLOEXEC) != 0)
    return SourceLookup::Failed;
  if (raw_syscall(SYS_pipe2, (long)answers, O_CLOEXEC) != 0) {
    raw_syscall(SYS_close, queries[0]);
    raw_syscall(SYS_close, queries[1]);
    return SourceLookup::Failed;
  }
  // A plain fork without glibc's fork handlers, and with no SIGCHLD for
  // the program's handler to see.
  long child = raw_syscall(SYS_clone, 0, 0, 0, 0, 0);
  if (child == 0)
    exec_symbolizer(path, queries[0], answers[1]);
  raw_syscall(SYS_close, queries[0]);
  raw_syscall(SYS_close, answers[1]);
  if (child > 0) {
    uintptr_t wanted[kMaxFrames];
    for (int i = 0; i < count; ++i)
      wanted[i] = addresses[frames[i]];
    send_queries(queries[1], wanted, count);
    raw_syscall(SYS_close, queries[1]);
    read_answers(answers[0], out.text + used, sizeof out.text - used);
    raw_syscall(SYS_kill, child, SIGKILL);
    raw_syscall(SYS_wait4, child, 0, __WALL, 0);
    parse_answers(out.text + used, frames, count, out);
  } else {
    raw_syscall(SYS_close, queries[1]);
  }
  raw_syscall(SYS_close, answers[0]);
  return child > 0 ? SourceLookup::Found : SourceLookup::Failed;
}

} // namespace

bool symbolize(uintptr_t address, Symbolized &out) {
  out.function[0] = '\0';
  out.module[0] = '\0';
  out.offset = 0;
  ModuleAddress module;
  if (!find_module(address, module))
    return false;
  const Dl_info &info = module.info;
  const char *base_name = info.dli_fname ? strrchr(info.dli_fname, '/') : nullptr;
  copy_string(out.module, sizeof out.module,
              base_name ? base_name + 1 : info.dli_fname);
  if (module.path && find_in_file(module.path, module.relative, out))
    return true;
  if (info.dli_sname && info.dli_saddr) {
    copy_string(out.function, sizeof out.function, info.dli_sname);
    out.offset = address - (uintptr_t)info.dli_saddr;
  }
  return true;
}

SourceLookup locate_sources(const uintptr_t *addresses, int count,
                            bool may_start_symbolizer, SourceLocations &out) {
  for (const char *&location : out.of)
    location = nullptr;
  size_t used = 0;
  int unreadable[kMaxFrames];
  int unreadable_count = 0;
  for (int i = 0; i < count && i < kMaxFrames; ++i) {
    ModuleAddress module;
    Report location;
    if (!find_module(addresses[i], module) || !module.path)
      continue;
    LineLookup lookup =
        find_line_in_file(module.path, module.relative, location);
    size_t length = strlen(location.c_str());
    if (lookup == LineLookup::Found && used + length < sizeof out.text) {
      memcpy(out.text + used, location.c_str(), length + 1);
      out.of[i] = out.text + used;
      used += length + 1;
    } else if (lookup == LineLookup::Unreadable) {
      unreadable[unreadable_count++] = i;
    }
  }
  if (unreadable_count == 0 || !may_start_symbolizer)
    return SourceLookup::Found;
  return ask_llvm_symbolizer(addresses, unreadable, unreadable_count, out,
                             used);
}

} // namespace pkguard
