// A fork while another thread holds a lock that glibc's fork takes after
// the fork handlers (malloc's, or here stdio's list lock, held on purpose)
// and that thread, before letting go, takes its stack's first shadow
// fault: a coroutine's first instrumented call. The soak found this
// deadlock with malloc's lock and a signal handler: the runtime's fork
// handler held the shadow table's lock while fork waited for malloc's, and
// the fault handler waited for the table. The fork must complete; a
// deadlock ends with the alarm's SIGALRM.
//
// RUN: %pkguard_cc --pkguard-stats --pkguard-shadow-stack=all -O1 %s -o %t 2>&1 | FileCheck %s --check-prefix=STATS
// RUN: %t | FileCheck %s
// RUN: %pkrun %t | FileCheck %s
// STATS: pkguard: stats: shadow stack (all) in '{{.*}}fork-beside-first-shadow-fault.c': {{[1-9][0-9]*}} instrumented
// CHECK: forked while the other thread took its first shadow fault
#define _GNU_SOURCE
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <ucontext.h>
#include <unistd.h>

// glibc's stdio list lock, which fork takes after the fork handlers.
void _IO_list_lock(void);
void _IO_list_unlock(void);

static atomic_int forker_tid;
static ucontext_t coroutine, back;

__attribute__((noinline)) int instrumented(int n) {
  char digits[16];
  snprintf(digits, sizeof digits, "%d", n);
  return digits[0];
}

static void coroutine_body(void) { instrumented(7); }

// Whether thread `tid` is blocked in a futex wait (system call 202).
static int waits_in_futex(int tid) {
  char path[64], line[64] = {0};
  snprintf(path, sizeof path, "/proc/self/task/%d/syscall", tid);
  FILE *file = fopen(path, "r");
  if (!file)
    return 0;
  fgets(line, sizeof line, file);
  fclose(file);
  return atoi(line) == 202;
}

static void *forker(void *unused) {
  (void)unused;
  atomic_store(&forker_tid, (int)syscall(SYS_gettid));
  pid_t child = fork();
  if (child == 0)
    _exit(0);
  waitpid(child, NULL, 0);
  return NULL;
}

int main(void) {
  alarm(30);
  _IO_list_lock();
  pthread_t thread;
  pthread_create(&thread, NULL, forker, NULL);
  while (!atomic_load(&forker_tid) || !waits_in_futex(atomic_load(&forker_tid)))
    usleep(1000);
  // The forker has run the fork handlers and waits for the list lock.
  enum { kStack = 64 * 1024 };
  getcontext(&coroutine);
  coroutine.uc_stack.ss_sp = malloc(kStack);
  coroutine.uc_stack.ss_size = kStack;
  coroutine.uc_link = &back;
  makecontext(&coroutine, coroutine_body, 0);
  swapcontext(&back, &coroutine);
  _IO_list_unlock();
  pthread_join(thread, NULL);
  printf("forked while the other thread took its first shadow fault\n");
  return 0;
}
