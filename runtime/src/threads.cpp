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
#include "thread_rights.h"

#include <errno.h>
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
