// Threads that pkguard does not start run instrumented code and gates with
// no source change: glibc's own SIGEV_THREAD timer threads and mq_notify
// threads, and a thread made with clone() on a stack the program mapped.
// Each takes a shadow for its stack and rights of its own on its first
// instrumented call.
//
// REQUIRES: pku
// RUN: %pkguard_cc --pkguard-stats --pkguard-shadow-stack=all -O0 %s -o %t.O0 2>&1 | FileCheck %s --check-prefix=STATS
// RUN: %pkguard_cc --pkguard-shadow-stack=all -O2 %s -o %t.O2
// RUN: %pkrun %t.O0 | FileCheck %s
// RUN: env PKGUARD_OPTIONS=verbose=1 %pkrun %t.O2 2> %t.err | FileCheck %s
// RUN: FileCheck %s --check-prefix=MODE < %t.err
// RUN: env PKGUARD_OPTIONS=use_pku=0 %pkrun %t.O2 | FileCheck %s
// STATS: pkguard: stats: secrets in '{{.*}}foreign-threads.c': 1 secrets placed, 1 gates instrumented, 1 domains
// STATS: pkguard: stats: shadow stack (all) in '{{.*}}foreign-threads.c': {{[0-9]+}} instrumented,
// MODE: pkguard: mode: protected
// CHECK: timer threads: 20 runs, total 113440
// CHECK-NEXT: mq_notify threads: 5 runs, total 28360
// CHECK-NEXT: clone() thread: total 5672
#define _GNU_SOURCE
#include <fcntl.h>
#include <mqueue.h>
#include <sched.h>
#include <semaphore.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

[[secret]] int pin = 4711;

[[pkguard::secret_access]] static int read_pin(void) { return pin; }

__attribute__((noinline)) static long recurse(int depth) {
  char frame[64];
  memset(frame, depth, sizeof frame);
  return depth == 0 ? read_pin() - 4711 + frame[1]
                    : recurse(depth - 1) + frame[2] - depth % 64;
}

// Deep enough to cross several fresh stack pages.
static long work(void) { return recurse(400) - recurse(399) + 5800; }

enum { kTimerRuns = 20, kQueueRuns = 5 };
static sem_t done;
static long timer_total, queue_total;
static volatile int timer_runs;
static timer_t timer;

static void on_timer(union sigval unused) {
  (void)unused;
  if (__atomic_add_fetch(&timer_runs, 1, __ATOMIC_SEQ_CST) > kTimerRuns)
    return;
  __atomic_add_fetch(&timer_total, work(), __ATOMIC_SEQ_CST);
  sem_post(&done);
}

static mqd_t queue;
static void arm_queue(void);

static void on_message(union sigval unused) {
  (void)unused;
  char message[64];
  while (mq_receive(queue, message, sizeof message, NULL) >= 0)
    __atomic_add_fetch(&queue_total, work(), __ATOMIC_SEQ_CST);
  sem_post(&done);
}

static void arm_queue(void) {
  struct sigevent event;
  memset(&event, 0, sizeof event);
  event.sigev_notify = SIGEV_THREAD;
  event.sigev_notify_function = on_message;
  if (mq_notify(queue, &event) != 0)
    exit(3);
}

static long clone_total;
static int on_clone(void *unused) {
  (void)unused;
  clone_total = work();
  return 0;
}

int main(void) {
  sem_init(&done, 0, 0);
  struct sigevent event;
  memset(&event, 0, sizeof event);
  event.sigev_notify = SIGEV_THREAD;
  event.sigev_notify_function = on_timer;
  if (timer_create(CLOCK_MONOTONIC, &event, &timer) != 0)
    return 1;
  struct itimerspec every = {{0, 2000000}, {0, 2000000}};
  timer_settime(timer, 0, &every, NULL);
  for (int i = 0; i < kTimerRuns; ++i)
    sem_wait(&done);
  timer_delete(timer);
  printf("timer threads: %d runs, total %ld\n", kTimerRuns, timer_total);

  char name[32];
  snprintf(name, sizeof name, "/pkguard-%d", getpid());
  struct mq_attr attributes = {0, 4, 64, 0, {0}};
  queue = mq_open(name, O_RDWR | O_CREAT | O_NONBLOCK, 0600, &attributes);
  if (queue == (mqd_t)-1)
    return 2;
  mq_unlink(name);
  for (int i = 0; i < kQueueRuns; ++i) {
    arm_queue();
    mq_send(queue, "x", 1, 0);
    sem_wait(&done);
  }
  printf("mq_notify threads: %d runs, total %ld\n", kQueueRuns, queue_total);

  enum { kStackSize = 256 * 1024 };
  char *stack = mmap(NULL, kStackSize, PROT_READ | PROT_WRITE,
                     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  int flags = CLONE_VM | CLONE_FS | CLONE_FILES | SIGCHLD;
  pid_t child = clone(on_clone, stack + kStackSize, flags, NULL);
  int status;
  if (waitpid(child, &status, 0) != child || !WIFEXITED(status) ||
      WEXITSTATUS(status) != 0)
    return 4;
  printf("clone() thread: total %ld\n", clone_total);
  return 0;
}
