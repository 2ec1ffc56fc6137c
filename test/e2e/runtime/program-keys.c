// A program that uses protection keys itself keeps working beside pkguard:
// its key's rights survive instrumented calls (which close every window
// with the thread's rights), threads and signal handlers; a write its key
// forbids faults and reaches its own SIGSEGV handler; pkey_set refuses
// pkguard's keys, which stay in force. When the program takes every key
// left, a library with a secret domain that it then opens is refused with
// a message naming the domain. A library preloaded to take every key in its
// constructor runs after pkguard's start-up (.preinit_array), so pkguard
// has its keys: the program runs protected, and the library got the rest.
//
// REQUIRES: pku
// RUN: %pkguard_cc --pkguard-stats --pkguard-shadow-stack=all -O2 %s -o %t 2>&1 | FileCheck %s --check-prefix=STATS
// RUN: %pkguard_cc -O2 -fPIC -shared %S/../secrets/Inputs/secret-library.c -o %t.so
// RUN: %clang -O2 -fPIC -shared %S/Inputs/exhaust-keys.c -o %t.exhaust.so
// RUN: %pkrun %t | FileCheck %s
// RUN: not --crash %pkrun %t %t.so 2>&1 | FileCheck %s --check-prefix=EXHAUSTED
// RUN: env LD_PRELOAD=%t.exhaust.so PKGUARD_OPTIONS=verbose=1 %pkrun %t 2>&1 | FileCheck %s --check-prefix=PRELOADED
// STATS: pkguard: stats: shadow stack (all) in '{{.*}}program-keys.c': {{[0-9]+}} instrumented,
// CHECK: own key write-disabled: write faulted with the program's key
// CHECK-NEXT: after instrumented calls: rights 2
// CHECK-NEXT: in a thread: rights 2
// CHECK-NEXT: in a signal handler: rights 2
// CHECK-NEXT: opened: write landed, rights 0 after instrumented calls
// CHECK-NEXT: pkey_set on pkguard's key: refused (EPERM)
// CHECK-NEXT: took every key left: {{[0-9]+}}
// EXHAUSTED-DAG: took every key left: {{[0-9]+}}
// EXHAUSTED-DAG: pkguard: ERROR: too many secret domains: no protection key is left for domain 'plugin' (errno 28)
// The program's and the runtime's lines come through two streams, in no
// fixed order.
// PRELOADED-DAG: pkguard: mode: protected (shadow stack under protection key 1)
// PRELOADED-DAG: preloaded constructor took {{[1-9][0-9]*}} keys
// PRELOADED-DAG: the program's own pkey_alloc: no key left
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <pkguard/pkguard.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

static int key;
static volatile char *page;
static sigjmp_buf recover;
static volatile int faulted_key = -1;

static void on_fault(int sig, siginfo_t *info, void *context) {
  (void)sig, (void)context;
  faulted_key = info->si_code == SEGV_PKUERR ? info->si_pkey : -2;
  siglongjmp(recover, 1);
}

__attribute__((noinline)) static int instrumented(int depth) {
  char frame[32];
  memset(frame, depth, sizeof frame);
  return depth ? instrumented(depth - 1) + frame[3] : 0;
}

static void *in_thread(void *unused) {
  (void)unused;
  instrumented(10);
  return (void *)(long)pkey_get(key);
}

static volatile int handler_rights = -1;
static void on_usr1(int sig) {
  (void)sig;
  instrumented(5);
  handler_rights = pkey_get(key);
}

int main(int argc, char **argv) {
  struct sigaction action;
  memset(&action, 0, sizeof action);
  action.sa_sigaction = on_fault;
  action.sa_flags = SA_SIGINFO;
  sigaction(SIGSEGV, &action, NULL);
  signal(SIGUSR1, on_usr1);

  key = pkey_alloc(0, PKEY_DISABLE_WRITE);
  if (key < 0) {
    printf("the program's own pkey_alloc: no key left\n");
    return 0;
  }
  page = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
              -1, 0);
  if (pkey_mprotect((void *)page, 4096, PROT_READ | PROT_WRITE, key))
    return 1;
  if (sigsetjmp(recover, 1) == 0)
    page[0] = 1;
  printf("own key write-disabled: %s\n", faulted_key == key
             ? "write faulted with the program's key" : "WRONG");
  fflush(stdout);
  instrumented(20);
  printf("after instrumented calls: rights %d\n", pkey_get(key));
  pthread_t thread;
  void *thread_rights;
  pthread_create(&thread, NULL, in_thread, NULL);
  pthread_join(thread, &thread_rights);
  printf("in a thread: rights %ld\n", (long)thread_rights);
  raise(SIGUSR1);
  printf("in a signal handler: rights %d\n", handler_rights);
  pkey_set(key, 0);
  page[0] = 2;
  instrumented(20);
  printf("opened: write %s, rights %d after instrumented calls\n",
         page[0] == 2 ? "landed" : "lost", pkey_get(key));
  errno = 0;
  int result = pkey_set(pkguard_shadow_stack_key(), 0);
  printf("pkey_set on pkguard's key: %s\n",
         result == -1 && errno == EPERM ? "refused (EPERM)" : "ALLOWED");
  int taken = 0;
  while (pkey_alloc(0, 0) > 0)
    ++taken;
  printf("took every key left: %d\n", taken);
  fflush(stdout);
  if (argc > 1 && !dlopen(argv[1], RTLD_NOW))
    printf("dlopen failed: %s\n", dlerror());
  return 0;
}
