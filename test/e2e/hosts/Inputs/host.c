// A program built without pkguard (plain clang or gcc), or with it, that
// uses a hardened library, linked (-DLINKED) or opened with dlopen from a
// thread of its own. Before the library is first used it starts threads, and it takes a
// SIGALRM of its own every 2 ms, whose handler, which pkguard does not
// dispatch, calls the library too.
//
// Usage: host LIBRARY [attack]. With $SECOND_LIBRARY, another hardened
// library (another copy of the first) is opened too, and both report the
// shadow-stack key of the runtime they share.
#define _GNU_SOURCE
#include <dlfcn.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#ifdef __PKGUARD__
#include <pkguard/pkguard.h>
#endif

typedef long (*WorkFn)(int);
typedef void (*AttackFn)(int);
typedef const char *(*ModeFn)(void);
typedef int (*KeyFn)(void);

#ifdef LINKED
long hardened_work(int);
void hardened_attack(int);
// Absent from the library's twin, built without pkguard.
__attribute__((weak)) const char *hardened_mode(void);
__attribute__((weak)) int hardened_shadow_key(void);
#endif

enum { kThreads = 4, kCalls = 300 };

static WorkFn work;
static AttackFn attack;
static ModeFn mode;
static KeyFn shadow_key;
static const char *library_path;
static pthread_barrier_t start_line;
static volatile int wrong, alarms;

static void check(int depth) {
  if (work(depth) != 4711 + depth + 1)
    wrong = 1;
}

static void on_alarm(int sig) {
  (void)sig;
  check(8);
  alarms++;
}

static void *worker(void *argument) {
  (void)argument;
  pthread_barrier_wait(&start_line);
  for (int i = 0; i < kCalls; ++i)
    check(10 + i % 40);
  return NULL;
}

static void *find_library(void *argument) {
  (void)argument;
#ifdef LINKED
  work = hardened_work;
  attack = hardened_attack;
  mode = hardened_mode;
  shadow_key = hardened_shadow_key;
#else
  void *library = dlopen(library_path, RTLD_NOW);
  if (!library) {
    printf("host: %s\n", dlerror());
    exit(1);
  }
  work = (WorkFn)dlsym(library, "hardened_work");
  attack = (AttackFn)dlsym(library, "hardened_attack");
  mode = (ModeFn)dlsym(library, "hardened_mode");
  shadow_key = (KeyFn)dlsym(library, "hardened_shadow_key");
#endif
  return NULL;
}

int main(int argc, char **argv) {
  library_path = argv[1];
  pthread_barrier_init(&start_line, NULL, kThreads + 1);
  pthread_t threads[kThreads], finder;
  for (int i = 0; i < kThreads; ++i)
    pthread_create(&threads[i], NULL, worker, NULL);
  pthread_create(&finder, NULL, find_library, NULL);
  pthread_join(finder, NULL);

  struct sigaction action;
  memset(&action, 0, sizeof action);
  action.sa_handler = on_alarm;
  action.sa_flags = SA_RESTART;
  sigaction(SIGALRM, &action, NULL);
  struct itimerval every_2ms = {{0, 2000}, {0, 2000}};
  setitimer(ITIMER_REAL, &every_2ms, NULL);
  pthread_barrier_wait(&start_line);
  for (int i = 0; i < kCalls || alarms < 5; ++i)
    check(5 + i % 30);
  for (int i = 0; i < kThreads; ++i)
    pthread_join(threads[i], NULL);
  struct itimerval off = {{0, 0}, {0, 0}};
  setitimer(ITIMER_REAL, &off, NULL);

  printf("host: the library says: %s\n", mode ? mode() : "(no pkguard)");
  const char *second_path = getenv("SECOND_LIBRARY");
  if (second_path) {
    void *second = dlopen(second_path, RTLD_NOW | RTLD_LOCAL);
    KeyFn second_key = second ? (KeyFn)dlsym(second, "hardened_shadow_key") : NULL;
    WorkFn second_work = second ? (WorkFn)dlsym(second, "hardened_work") : NULL;
    if (!second_key || !second_work || !shadow_key) {
      printf("host: %s\n", second ? "no hardened_shadow_key" : dlerror());
      return 1;
    }
    printf("host: shadow-stack key %d in the first library, %d in the "
           "second, whose work is %s\n",
           shadow_key(), second_key(),
           second_work(12) == 4711 + 12 + 1 ? "right" : "WRONG");
  }
#ifdef __PKGUARD__
  // A hardened program: it and its libraries share one runtime.
  printf("host: shadow-stack key %d in the program, %d in the library\n",
         pkguard_shadow_stack_key(), shadow_key ? shadow_key() : -1);
#endif
  printf("host: %d threads and main, %d calls each or more, %s; alarms "
         "handled\n",
         kThreads, kCalls, wrong ? "WRONG" : "right");
  fflush(stdout);
  attack(argc > 2);
  printf("host: returned normally\n");
  return 0;
}
