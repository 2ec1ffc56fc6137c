//===- threads.cpp - Shadow stacks for new threads ------------------------===//
//
// Part of pkguard, under the Apache License v2.0 with LLVM Exceptions.
// See LICENSE for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// pthread_create is interposed (the executable's definition wins over
// libc's) so that every new thread starts in a trampoline that mirrors its
// stack before the thread's own, instrumented, start routine runs. The
// trampoline is runtime code and is never instrumented itself.
//
//===----------------------------------------------------------------------===//
#include "interpose.h"
#include "pkru.h"
#include "secrets.h"
#include "shadow_stack.h"
#include "state.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>

namespace pkguard {

namespace {

using PthreadCreateFn = int (*)(pthread_t *, const pthread_attr_t *,
                                void *(*)(void *), void *);

struct ThreadStart {
  void *(*routine)(void *);
  void *argument;
};

PthreadCreateFn real_pthread_create() {
  static PthreadCreateFn cache;
  return next_definition("pthread_create", cache);
}

void *start_thread(void *opaque) {
  ThreadStart start = *(ThreadStart *)opaque;
  free(opaque);
  if (state().mode != PKGUARD_MODE_UNINITIALIZED)
    mirror_current_thread_stack();
  // A thread started inside a gate inherits its PKRU; it must start with
  // every secret closed all the same.
  if (state().secret_keys_mask)
    write_pkru(pkru_with_secrets_closed(read_pkru()));
  return start.routine(start.argument);
}

} // namespace

} // namespace pkguard

using namespace pkguard;

extern "C" __attribute__((visibility("default"))) int
pthread_create(pthread_t *thread, const pthread_attr_t *attributes,
               void *(*routine)(void *), void *argument) {
  auto *start = (ThreadStart *)malloc(sizeof(ThreadStart));
  if (!start)
    return EAGAIN;
  *start = {routine, argument};
  int result = real_pthread_create()(thread, attributes, start_thread, start);
  if (result != 0)
    free(start);
  return result;
}
