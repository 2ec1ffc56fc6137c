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
#include "report.h"
#include "pkru.h"
#include "secrets.h"
#include "shadow_stack.h"
#include "state.h"
#include "syscalls.h"
#include "thread_rights.h"

#include <asm/prctl.h>
#include <errno.h>
#include <mqueue.h>
#include <signal.h>
#include <time.h>
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

// Set in every thread pkguard starts, so that the thread's exit, however
// it comes (return, pthread_exit, cancellation), releases its stack's
// shadow: glibc frees and reuses thread stacks, and a stack mapped again
// elsewhere would otherwise leave its old shadow behind.
pthread_key_t exiting_thread_key;
pthread_once_t exiting_thread_key_once = PTHREAD_ONCE_INIT;

// Runs after the thread's start routine has left, with only glibc's frames
// on its stack; a key destructor of the program's that runs later and is
// instrumented takes a shadow page and rights anew (fault_handler.h).
void release_exiting_thread_stack(void *) {
  pthread_attr_t attributes;
  void *stack;
  size_t size, guard;
  if (pthread_getattr_np(pthread_self(), &attributes) != 0)
    return;
  bool known = pthread_attr_getstack(&attributes, &stack, &size) == 0 &&
               pthread_attr_getguardsize(&attributes, &guard) == 0;
  pthread_attr_destroy(&attributes);
  if (!known)
    return;
  if (keys_in_force())
    drop_rights();
  // The thread's rights lie in the shadow of its guard's top half.
  release_stack((uintptr_t)stack - guard, (uintptr_t)stack + size);
}

void create_exiting_thread_key() {
  if (pthread_key_create(&exiting_thread_key, release_exiting_thread_stack) != 0)
    report_out_of_memory();
}

void prepare_new_thread() {
  if (state().mode == PKGUARD_MODE_UNINITIALIZED)
    return;
  pthread_once(&exiting_thread_key_once, create_exiting_thread_key);
  pthread_setspecific(exiting_thread_key, &exiting_thread_key);
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

PKGUARD_INTERPOSER int
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

PKGUARD_INTERPOSER int
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
// It gets none instead: its first instrumented call takes rights of its
// own, every domain closed (fault_handler.h), and a shadow for its stack.
int start_cloned(void *opaque) {
  CloneStart start = *(CloneStart *)opaque;
  free(opaque);
  raw_syscall(SYS_arch_prctl, ARCH_SET_GS, 0);
  return start.routine(start.argument);
}

} // namespace

PKGUARD_INTERPOSER int clone(int (*routine)(void *), void *stack, int flags,
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

namespace {

// glibc runs each SIGEV_THREAD notification (of a timer, of mq_notify) in a
// thread of its own that it starts past the interposed pthread_create, with
// every signal blocked: a fault there kills the process before pkguard's
// handler could map the stack's shadow or report. The notification is
// started through a trampoline that prepares the thread as pthread_create's
// does, with SIGSEGV unblocked so that pkguard's reports reach it.
struct NotificationStart {
  void (*function)(union sigval);
  union sigval value;
  bool fires_once; // mq_notify's; a timer's fires until it is deleted
};

void start_notification(union sigval opaque) {
  auto *start = (NotificationStart *)opaque.sival_ptr;
  sigset_t faults;
  sigemptyset(&faults);
  sigaddset(&faults, SIGSEGV);
  pthread_sigmask(SIG_UNBLOCK, &faults, nullptr);
  prepare_new_thread();
  NotificationStart copy = *start;
  if (copy.fires_once)
    free(start);
  copy.function(copy.value);
}

// `event` routed through start_notification, in `routed`; null when the
// event starts no thread, or memory runs out.
NotificationStart *route_notification(const struct sigevent *event,
                                      struct sigevent &routed, bool fires_once) {
  if (!event || event->sigev_notify != SIGEV_THREAD)
    return nullptr;
  auto *start = (NotificationStart *)malloc(sizeof(NotificationStart));
  if (!start)
    return nullptr;
  *start = {event->sigev_notify_function, event->sigev_value, fires_once};
  routed = *event;
  routed.sigev_notify_function = start_notification;
  routed.sigev_value.sival_ptr = start;
  return start;
}

using TimerCreateFn = int (*)(clockid_t, struct sigevent *, timer_t *);
using MqNotifyFn = int (*)(mqd_t, const struct sigevent *);

NextDefinition<TimerCreateFn> real_timer_create("timer_create");
NextDefinition<MqNotifyFn> real_mq_notify("mq_notify");

} // namespace

// A timer's start is never freed: glibc may still be starting a
// notification's thread when timer_delete returns. It costs 24 bytes per
// SIGEV_THREAD timer created.
PKGUARD_INTERPOSER int timer_create(clockid_t clock, struct sigevent *event,
                                   timer_t *timer) {
  struct sigevent routed;
  NotificationStart *start = route_notification(event, routed, false);
  int result = real_timer_create.get()(clock, start ? &routed : event, timer);
  if (result != 0)
    free(start);
  return result;
}

// A registration fires once; its start is freed when it does (one removed
// before it fires, by mq_notify(queue, NULL) or a close, leaves it behind).
PKGUARD_INTERPOSER int mq_notify(mqd_t queue, const struct sigevent *event) {
  struct sigevent routed;
  NotificationStart *start = route_notification(event, routed, true);
  int result = real_mq_notify.get()(queue, start ? &routed : event);
  if (result != 0)
    free(start);
  return result;
}

namespace {

using MunmapFn = int (*)(void *, size_t);

NextDefinition<MunmapFn> real_munmap("munmap");

} // namespace

// A stack the program unmaps (a coroutine's, a thread's it gave
// pthread_attr_setstack) takes its shadow with it.
PKGUARD_INTERPOSER int munmap(void *address, size_t length) {
  int result = real_munmap.get()(address, length);
  if (result == 0 && state().mode != PKGUARD_MODE_UNINITIALIZED)
    release_stack((uintptr_t)address, (uintptr_t)address + length);
  return result;
}
