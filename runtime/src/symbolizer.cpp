//===- symbolizer.cpp - Naming code addresses in reports ------------------===//
//
// Part of pkguard, under the Apache License v2.0 with LLVM Exceptions.
// See LICENSE for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
#include "symbolizer.h"

#include "syscalls.h"

#include <dlfcn.h>
#include <elf.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>

namespace pkguard {
namespace {

void copy_string(char *to, size_t capacity, const char *from) {
  size_t i = 0;
  for (; from && from[i] && i + 1 < capacity; ++i)
    to[i] = from[i];
  to[i] = '\0';
}

// The file of the module at `base`: dladdr names shared libraries, but the
// main program has an empty name, and /proc/self/exe stands for it.
const char *module_path(const Dl_info &info) {
  if (info.dli_fname && info.dli_fname[0] == '/')
    return info.dli_fname;
  Dl_info self;
  if (dladdr((void *)&module_path, &self) && self.dli_fbase == info.dli_fbase)
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

bool find_in_file(const char *path, uint64_t relative, Symbolized &out) {
  int fd = (int)raw_syscall(SYS_openat, AT_FDCWD, (long)path,
                            O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return false;
  struct stat status;
  bool found = false;
  if (raw_syscall(SYS_fstat, fd, (long)&status) == 0 &&
      status.st_size > (off_t)sizeof(Elf64_Ehdr)) {
    size_t size = (size_t)status.st_size;
    long mapped = sys_mmap(nullptr, size, PROT_READ, MAP_PRIVATE, fd, 0);
    if (!mmap_failed(mapped)) {
      const char *file = (const char *)mapped;
      const auto *header = (const Elf64_Ehdr *)file;
      bool sane = !memcmp(header->e_ident, ELFMAG, SELFMAG) &&
                  header->e_shentsize == sizeof(Elf64_Shdr) &&
                  header->e_shoff + header->e_shnum * sizeof(Elf64_Shdr) <= size;
      const auto *sections = (const Elf64_Shdr *)(file + header->e_shoff);
      // The full table first; .dynsym holds only the exported functions.
      const unsigned wanted_types[] = {SHT_SYMTAB, SHT_DYNSYM};
      for (unsigned wanted : wanted_types) {
        for (unsigned i = 0; sane && !found && i < header->e_shnum; ++i)
          if (sections[i].sh_type == wanted &&
              sections[i].sh_link < header->e_shnum)
            found = find_in_table(file, size, sections[i],
                                  sections[sections[i].sh_link], relative, out);
      }
      sys_munmap((void *)mapped, size);
    }
  }
  raw_syscall(SYS_close, fd);
  return found;
}

bool is_position_independent(const void *base) {
  return ((const Elf64_Ehdr *)base)->e_type == ET_DYN;
}

} // namespace

bool symbolize(uintptr_t address, Symbolized &out) {
  out.function[0] = '\0';
  out.module[0] = '\0';
  out.offset = 0;
  Dl_info info;
  if (!dladdr((void *)address, &info) || !info.dli_fbase)
    return false;
  const char *path = module_path(info);
  const char *base_name = info.dli_fname ? strrchr(info.dli_fname, '/') : nullptr;
  copy_string(out.module, sizeof out.module,
              base_name ? base_name + 1 : info.dli_fname);
  uint64_t relative = address;
  if (is_position_independent(info.dli_fbase))
    relative -= (uintptr_t)info.dli_fbase;
  if (path && find_in_file(path, relative, out))
    return true;
  if (info.dli_sname && info.dli_saddr) {
    copy_string(out.function, sizeof out.function, info.dli_sname);
    out.offset = address - (uintptr_t)info.dli_saddr;
  }
  return true;
}

} // namespace pkguard
