//===- syscalls.h - Raw system calls used by the runtime ------------------===//
//
// Part of pkguard, under the Apache License v2.0 with LLVM Exceptions.
// See LICENSE for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// The runtime starts before constructors, runs inside signal handlers and
// must not depend on errno or on libc's own interposable entry points, so
// it makes its few system calls directly. Each wrapper returns the kernel's
// result: a value, or -errno.
//
//===----------------------------------------------------------------------===//
#ifndef PKGUARD_RUNTIME_SYSCALLS_H
#define PKGUARD_RUNTIME_SYSCALLS_H

#include <errno.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/syscall.h>

namespace pkguard {

inline long raw_syscall(long n, long a = 0, long b = 0, long c = 0, long d = 0,
                        long e = 0, long f = 0) {
  long result;
  register long r10 asm("r10") = d;
  register long r8 asm("r8") = e;
  register long r9 asm("r9") = f;
  asm volatile("syscall"
               : "=a"(result)
               : "a"(n), "D"(a), "S"(b), "d"(c), "r"(r10), "r"(r8), "r"(r9)
               : "rcx", "r11", "memory");
  return result;
}

inline int sys_pkey_alloc(unsigned flags, unsigned rights) {
  return (int)raw_syscall(SYS_pkey_alloc, flags, rights);
}
inline int sys_pkey_free(int key) {
  return (int)raw_syscall(SYS_pkey_free, key);
}
inline int sys_pkey_mprotect(void *addr, size_t length, int prot, int key) {
  return (int)raw_syscall(SYS_pkey_mprotect, (long)addr, (long)length, prot,
                          key);
}
inline int sys_mprotect(void *addr, size_t length, int prot) {
  return (int)raw_syscall(SYS_mprotect, (long)addr, (long)length, prot);
}
// Returns the address, or a value in [-4095, -1] holding -errno.
inline long sys_mmap(void *addr, size_t length, int prot, int flags, int fd,
                     long offset) {
  return raw_syscall(SYS_mmap, (long)addr, (long)length, prot, flags, fd,
                     offset);
}
inline bool mmap_failed(long result) {
  return (unsigned long)result > -4096UL;
}
inline int sys_munmap(void *addr, size_t length) {
  return (int)raw_syscall(SYS_munmap, (long)addr, (long)length);
}
inline int sys_madvise(void *addr, size_t length, int advice) {
  return (int)raw_syscall(SYS_madvise, (long)addr, (long)length, advice);
}
inline long sys_write(int fd, const void *data, size_t length) {
  return raw_syscall(SYS_write, fd, (long)data, (long)length);
}
inline int sys_getpid() { return (int)raw_syscall(SYS_getpid); }
inline int sys_gettid() { return (int)raw_syscall(SYS_gettid); }
// Whether thread `tid` of this process still exists.
inline bool thread_exists(int tid) {
  return raw_syscall(SYS_tgkill, sys_getpid(), tid, 0) != -ESRCH;
}
// Whether every page of [addr, addr + length) is mapped; addr page-aligned.
inline bool pages_mapped(uintptr_t addr, size_t length) {
  unsigned char residency[16];
  return length <= sizeof residency * 4096 &&
         raw_syscall(SYS_mincore, (long)addr, (long)length, (long)residency) == 0;
}

// Blocks every signal for its lifetime: a lock that a signal handler may
// take too (the fault handler maps shadow pages) is held only with signals
// blocked, so a handler never waits for the thread it interrupted.
class SignalsBlocked {
public:
  SignalsBlocked() {
    unsigned long all = ~0ul;
    raw_syscall(SYS_rt_sigprocmask, SIG_BLOCK, (long)&all,
                (long)&saved_, sizeof all);
  }
  ~SignalsBlocked() {
    raw_syscall(SYS_rt_sigprocmask, SIG_SETMASK, (long)&saved_, 0,
                sizeof saved_);
  }
  SignalsBlocked(const SignalsBlocked &) = delete;
  SignalsBlocked &operator=(const SignalsBlocked &) = delete;

private:
  unsigned long saved_ = 0;
};

} // namespace pkguard

#endif
