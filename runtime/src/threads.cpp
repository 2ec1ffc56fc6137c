//===- threads.cpp - Shadow stacks for new threads ------------------------===//
//
// Part of pkguard, under the Apache License v2.0 with LLVM Exceptions.
// See LICENSE for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// pthread_create and C11's thrd_create are interposed (the executable's
// definition wins over libc's) so that every new thread starts in a
// trampoline that mirrors its stack before the thread's own, instrumented,
// start routine runs. glibc's thrd_create calls its pthread_create
// internally, past the interposed one, hence its own trampoline. The
// trampolines are runtime code and are never instrumented themselves.
//
//===----------------------------------------------------------------------===//
#include "interpose.h"
#include "interface.h"
#include "pkru.h"
#include "secrets.h"
#include "shadow_stack.h"
#include "state.h"
#include "syscalls.h"
#include "thread_rights.h"

#include <asm/prctl.h>
#include <errno.h>
#include <sched.h>
#include <stdarg.h>
#include <pthread.h>
#include <stdlib.h>
#include <threads.h>

namespace pkguard {

namespace {

using PthreadCreateFn = int (*)(pthread_t *, const pthread_attr_t *,
                                void *(*)(void *), void *);

struct ThreadStart {
  void *(*routine)(void *);
  void *argument;
};

NextDefinition<PthreadCreateFn> real_pthread_create("pthread_create");

using ThrdCreateFn = int (*)(thrd_t *, thrd_start_t, void *);

struct C11ThreadStart {
  thrd_start_t routine;
  void *argument;
};

NextDefinition<ThrdCreateFn> real_thrd_create("thrd_create");

void prepare_new_thread() {
  if (state().mode == PKGUARD_MODE_UNINITIALIZED)
    return;
  uintptr_t stack_low = mirror_current_thread_stack();
  // A thread inherits its creator's PKRU, which may be a gate's (a domain
  // open), and its creator's GS: it takes rights of its own, with every
  // secret closed and the shadow stack write-disabled.
  if (keys_in_force())
    adopt_thread_rights(stack_low);
}

void *start_thread(void *opaque) {
  ThreadStart start = *(ThreadStart *)opaque;
  free(opaque);
  prepare_new_thread();
  return start.routine(start.argument);
}

int start_c11_thread(void *opaque) {
  C11ThreadStart start = *(C11ThreadStart *)opaque;
  free(opaque);
  prepare_new_thread();
  return start.routine(start.argument);
}

} // namespace

} // namespace pkguard

using namespace pkguard;

PKGUARD_INTERFACE int
pthread_create(pthread_t *thread, const pthread_attr_t *attributes,
               void *(*routine)(void *), void *argument) {
  auto *start = (ThreadStart *)malloc(sizeof(ThreadStart));
  if (!start)
    return EAGAIN;
  *start = {routine, argument};
  int result = real_pthread_create.get()(thread, attributes, start_thread, start);
  if (result != 0)
    free(start);
  return result;
}

PKGUARD_INTERFACE int
thrd_create(thrd_t *thread, thrd_start_t routine, void *argument) {
  auto *start = (C11ThreadStart *)malloc(sizeof(C11ThreadStart));
  if (!start)
    return thrd_nomem;
  *start = {routine, argument};
  int result = real_thrd_create.get()(thread, start_c11_thread, start);
  if (result != thrd_success)
    free(start);
  return result;
}

namespace {

using CloneFn = int (*)(int (*)(void *), void *, int, void *, ...);

NextDefinition<CloneFn> real_clone("clone");

struct CloneStart {
  int (*routine)(void *);
  void *argument;
};

// A thread made with clone() shares its creator's memory and inherits its
// GS, and so its rights: were it to run instrumented code, its windows
// would close with its creator's rights, a gate's open domain included.
// It gets none instead: instrumented code in it stops with a report.
int start_cloned(void *opaque) {
  CloneStart start = *(CloneStart *)opaque;
  free(opaque);
  raw_syscall(SYS_arch_prctl, ARCH_SET_GS, 0);
  return start.routine(start.argument);
}

} // namespace

PKGUARD_INTERFACE int clone(int (*routine)(void *), void *stack, int flags,
                            void *argument, ...) {
  va_list more;
  va_start(more, argument);
  pid_t *parent_tid = va_arg(more, pid_t *);
  void *tls = va_arg(more, void *);
  pid_t *child_tid = va_arg(more, pid_t *);
  va_end(more);
  if (!(flags & CLONE_VM) || !keys_in_force())
    return real_clone.get()(routine, stack, flags, argument, parent_tid, tls,
                            child_tid);
  auto *start = (CloneStart *)malloc(sizeof(CloneStart));
  if (!start) {
    errno = ENOMEM;
    return -1;
  }
  *start = {routine, argument};
  int result = real_clone.get()(start_cloned, stack, flags, start, parent_tid,
                                tls, child_tid);
  if (result < 0)
    free(start);
  return result;
}
