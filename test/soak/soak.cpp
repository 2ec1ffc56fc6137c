// The runtime's soak: for a bounded time, under protection keys, threads
// create and join threads while recursing through instrumented frames and
// gates; signals arrive at random points (a process timer, pthread_kill
// between threads), on sigaltstacks, nested, some leaving by siglongjmp;
// C++ exceptions cross instrumented frames and a gate; threads fork, vfork,
// posix_spawn and exec; a library with a secret is opened and closed in a
// loop, so its domain comes and goes; makecontext coroutines run on heap
// stacks; threads are cancelled deep in instrumented frames; SIGEV_THREAD
// timers run gates; and another thread changes signal actions (the
// runtime's state) all along. Every result is checked: a wrong value, a
// report or a hang fails the run; a hang with what each worker was doing
// and, where gdb is installed, every thread's stack. It prints what it
// survived.
//
// Usage: soak SECONDS LIBRARY, LIBRARY built from
// test/e2e/secrets/Inputs/secret-library.c (docs/reliability.md).
//
// REQUIRES: pku
// RUN: %pkguard_cxx --pkguard-stats --pkguard-shadow-stack=all -O2 %s -o %t 2>&1 | FileCheck %s --check-prefix=STATS
// RUN: %pkguard_cc -O2 -fPIC -shared %S/../e2e/secrets/Inputs/secret-library.c -o %t.so
// RUN: %pkrun %t 10 %t.so | FileCheck %s
// STATS: pkguard: stats: shadow stack (all) in '{{.*}}soak.cpp': {{[0-9]+}} instrumented,
// CHECK: soak: clean after 10 s: {{[1-9][0-9]*}} iterations,
#include <dlfcn.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <ucontext.h>
#include <unistd.h>

#include <atomic>
#include <stdexcept>

extern char **environ;

[[secret]] int pin = 4711;

namespace {

enum { kWorkers = 4 };

std::atomic<bool> stopping{false}, finished{false};
// What each worker is doing, for the watchdog's report.
std::atomic<const char *> worker_phase[kWorkers];
std::atomic<long> threads_made{0}, signals_taken{0}, long_jumps{0},
    forks{0}, vforks{0}, spawns{0}, execs{0}, dlopens{0}, exceptions{0},
    coroutine_switches{0}, cancels{0}, timer_runs{0}, action_changes{0},
    iterations{0};
const char *library_path;
const char *self_path;

[[noreturn]] void fail(const char *what) {
  fprintf(stderr, "soak: WRONG: %s\n", what);
  fflush(stderr);
  abort();
}

[[pkguard::secret_access]] __attribute__((noinline)) int read_pin() { return pin; }

[[pkguard::secret_access]] __attribute__((noinline)) void throw_from_gate(int n) {
  if (pin == 4711)
    throw std::runtime_error(n % 2 ? "odd" : "even");
}

__attribute__((noinline)) long recurse(int depth) {
  char frame[48];
  memset(frame, depth & 0x3f, sizeof frame);
  if (depth == 0)
    return read_pin();
  return recurse(depth - 1) + (frame[5] == (depth & 0x3f) ? 1 : 1000);
}

void check_recursion(int depth) {
  if (recurse(depth) != 4711 + depth)
    fail("recursion");
}

// Signal handlers: instrumented, with a gate; a worker's SIGUSR1 may leave
// by siglongjmp when the worker armed its buffer.
thread_local sigjmp_buf worker_jump;
thread_local volatile sig_atomic_t jump_armed = 0;

void on_signal(int sig) {
  check_recursion(10);
  signals_taken.fetch_add(1, std::memory_order_relaxed);
  if (sig == SIGUSR1 && jump_armed && (rand() & 3) == 0) {
    jump_armed = 0;
    siglongjmp(worker_jump, 1);
  }
}

// SIGUSR1 nests in itself and in SIGALRM's handler; SIGALRM, which comes
// every few milliseconds, does not nest in itself, or under emulation its
// handlers would pile up faster than they finish and overflow the
// sigaltstack.
void install_handlers() {
  struct sigaction action;
  memset(&action, 0, sizeof action);
  action.sa_handler = on_signal;
  action.sa_flags = SA_ONSTACK | SA_NODEFER | SA_RESTART;
  sigaction(SIGUSR1, &action, nullptr);
  action.sa_flags = SA_ONSTACK | SA_RESTART;
  sigaction(SIGALRM, &action, nullptr);
}

void with_altstack() {
  stack_t stack;
  stack.ss_sp = malloc(256 * 1024);
  stack.ss_size = 256 * 1024;
  stack.ss_flags = 0;
  if (sigaltstack(&stack, nullptr) != 0)
    fail("sigaltstack");
}

__attribute__((noinline)) void throw_through(int depth) {
  char frame[32];
  memset(frame, depth, sizeof frame);
  if (depth == 0)
    throw_from_gate(frame[1]);
  throw_through(depth - 1);
}

void exceptions_round() {
  try {
    throw_through(20);
    fail("no exception");
  } catch (const std::runtime_error &) {
    exceptions.fetch_add(1, std::memory_order_relaxed);
  }
  check_recursion(5);
}

void *leaf_thread(void *) {
  check_recursion(100);
  return (void *)1;
}

void *cancelled_thread(void *ready) {
  check_recursion(50);
  ((std::atomic<int> *)ready)->store(1);
  for (;;)
    pause();
}

// Waits for a child of the processes round, which must exit with 0.
void expect_clean_exit(pid_t child, const char *what) {
  int status;
  if (waitpid(child, &status, 0) != child || !WIFEXITED(status) ||
      WEXITSTATUS(status) != 0)
    fail(what);
}

void processes_round(int round) {
  switch (round % 4) {
  case 0: {
    pid_t child = fork();
    if (child == 0) {
      check_recursion(30);
      _exit(read_pin() == 4711 ? 0 : 1);
    }
    expect_clean_exit(child, "fork child");
    forks.fetch_add(1);
    break;
  }
  case 1: {
    pid_t child = vfork();
    if (child == 0)
      _exit(0);
    waitpid(child, nullptr, 0);
    vforks.fetch_add(1);
    break;
  }
  case 2: {
    pid_t child;
    char *arguments[] = {(char *)self_path, (char *)"child", nullptr};
    if (posix_spawn(&child, self_path, nullptr, nullptr, arguments, environ))
      fail("posix_spawn");
    expect_clean_exit(child, "spawned child");
    spawns.fetch_add(1);
    break;
  }
  case 3: {
    pid_t child = fork();
    if (child == 0) {
      execl(self_path, self_path, "child", (char *)nullptr);
      _exit(2);
    }
    expect_clean_exit(child, "exec'd child");
    execs.fetch_add(1);
    break;
  }
  }
}

void library_round() {
  void *library = dlopen(library_path, RTLD_NOW | RTLD_LOCAL);
  if (!library)
    fail(dlerror());
  auto length = (int (*)())dlsym(library, "plugin_token_length");
  if (!length || length() != 15)
    fail("library gate");
  dlclose(library);
  dlopens.fetch_add(1);
}

thread_local ucontext_t coroutine_return, coroutine_context;
void coroutine_body() {
  for (int i = 0; i < 3; ++i) {
    check_recursion(40);
    swapcontext(&coroutine_context, &coroutine_return);
  }
}

void coroutine_round() {
  enum { kSize = 128 * 1024 };
  void *stack = malloc(kSize);
  getcontext(&coroutine_context);
  coroutine_context.uc_stack.ss_sp = stack;
  coroutine_context.uc_stack.ss_size = kSize;
  coroutine_context.uc_link = &coroutine_return;
  makecontext(&coroutine_context, coroutine_body, 0);
  for (int i = 0; i < 4; ++i) {
    swapcontext(&coroutine_return, &coroutine_context);
    coroutine_switches.fetch_add(1);
  }
  free(stack);
}

void threads_round() {
  pthread_t leaf;
  if (pthread_create(&leaf, nullptr, leaf_thread, nullptr) != 0)
    fail("pthread_create");
  std::atomic<int> ready{0};
  pthread_t victim;
  if (pthread_create(&victim, nullptr, cancelled_thread, &ready) != 0)
    fail("pthread_create");
  threads_made.fetch_add(2);
  while (!ready.load())
    sched_yield();
  pthread_cancel(victim);
  void *result;
  pthread_join(victim, &result);
  if (result != PTHREAD_CANCELED)
    fail("cancel");
  cancels.fetch_add(1);
  pthread_join(leaf, &result);
  if (result != (void *)1)
    fail("leaf thread");
}

// A worker: every round does one of everything, with its SIGUSR1 armed to
// siglongjmp back to the start of the round.
void *worker(void *argument) {
  long id = (long)argument;
  std::atomic<const char *> &phase = worker_phase[id];
  with_altstack();
  for (int round = 0; !stopping.load(); ++round) {
    if (sigsetjmp(worker_jump, 1) != 0) {
      long_jumps.fetch_add(1);
      continue;
    }
    phase = "recursion";
    jump_armed = 1;
    for (int i = 0; i < 20; ++i)
      check_recursion(200 + (int)id);
    jump_armed = 0;
    phase = "exceptions";
    exceptions_round();
    phase = "threads";
    threads_round();
    phase = "processes";
    if (id == 0 || round % 3 == 0)
      processes_round(round + (int)id);
    phase = "library";
    if (id == 1)
      library_round();
    phase = "coroutines";
    coroutine_round();
    iterations.fetch_add(1);
  }
  phase = "done";
  return nullptr;
}

void on_timer_thread(union sigval) {
  check_recursion(30);
  timer_runs.fetch_add(1);
}

void *action_changer(void *) {
  for (int i = 0; !stopping.load(); ++i) {
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = i % 2 ? on_signal : SIG_IGN;
    sigaction(SIGUSR2, &action, nullptr);
    action_changes.fetch_add(1);
    usleep(1000);
  }
  return nullptr;
}

// Wakes GRACE seconds after the soak should have ended; if it has not,
// prints each worker's phase and every thread's stack, and aborts. gdb runs
// through system(), whose vfork-like spawn takes none of the locks a hung
// thread may hold in a fork handler.
void *watchdog(void *grace) {
  struct timespec until;
  clock_gettime(CLOCK_MONOTONIC, &until);
  until.tv_sec += (long)grace;
  while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &until, nullptr) != 0)
    ;
  if (finished.load())
    return nullptr;
  char line[160];
  int length = snprintf(line, sizeof line,
                        "soak: HUNG %s: %ld iterations, %ld threads, %ld signals\n",
                        stopping.load() ? "while stopping" : "before the end",
                        iterations.load(), threads_made.load(),
                        signals_taken.load());
  write(2, line, length);
  for (int i = 0; i < kWorkers; ++i) {
    length = snprintf(line, sizeof line, "soak: worker %d: %s\n", i,
                      worker_phase[i].load() ? worker_phase[i].load() : "starting");
    write(2, line, length);
  }
  prctl(PR_SET_PTRACER, PR_SET_PTRACER_ANY);
  snprintf(line, sizeof line,
           "command -v gdb >/dev/null && timeout 100 gdb -p %d -batch -ex "
           "'thread apply all bt 25' >&2",
           (int)getpid());
  system(line);
  abort();
}

} // namespace

int main(int argc, char **argv) {
  if (argc == 2 && !strcmp(argv[1], "child")) {
    check_recursion(20);
    return read_pin() == 4711 ? 0 : 1;
  }
  if (argc != 3)
    return 2;
  int seconds = atoi(argv[1]);
  library_path = argv[2];
  self_path = "/proc/self/exe";
  char self[4096];
  ssize_t length = readlink("/proc/self/exe", self, sizeof self - 1);
  if (length > 0) {
    self[length] = 0;
    self_path = self;
  }
  install_handlers();
  with_altstack();

  struct sigevent event;
  memset(&event, 0, sizeof event);
  event.sigev_notify = SIGEV_THREAD;
  event.sigev_notify_function = on_timer_thread;
  timer_t timer;
  if (timer_create(CLOCK_MONOTONIC, &event, &timer) != 0)
    fail("timer_create");
  struct itimerspec every = {{0, 20000000}, {0, 20000000}};
  timer_settime(timer, 0, &every, nullptr);
  struct itimerval alarm_every = {{0, 7000}, {0, 7000}};
  setitimer(ITIMER_REAL, &alarm_every, nullptr);

  // Emulated, a 10 s soak ends within 30 s, even on a loaded machine.
  pthread_t workers[kWorkers], changer, hang_watch;
  pthread_create(&hang_watch, nullptr, watchdog, (void *)(long)(seconds + 100));
  for (long i = 0; i < kWorkers; ++i)
    if (pthread_create(&workers[i], nullptr, worker, (void *)i) != 0)
      fail("worker");
  pthread_create(&changer, nullptr, action_changer, nullptr);
  threads_made.fetch_add(kWorkers + 1);

  time_t end = time(nullptr) + seconds;
  while (time(nullptr) < end) {
    pthread_kill(workers[rand() % kWorkers], SIGUSR1);
    usleep(2000 + rand() % 3000);
    check_recursion(50);
  }
  stopping.store(true);
  struct itimerval off = {};
  setitimer(ITIMER_REAL, &off, nullptr);
  timer_delete(timer);
  for (auto &thread : workers)
    pthread_join(thread, nullptr);
  pthread_join(changer, nullptr);
  finished.store(true);
  printf("soak: clean after %d s: %ld iterations, %ld threads, %ld signals "
         "(%ld left by siglongjmp), %ld exceptions, %ld forks, %ld vforks, "
         "%ld posix_spawns, %ld execs, %ld dlopen/dlclose, %ld coroutine "
         "switches, %ld cancels, %ld SIGEV_THREAD runs, %ld sigaction "
         "changes\n",
         seconds, iterations.load(), threads_made.load(), signals_taken.load(),
         long_jumps.load(), exceptions.load(), forks.load(), vforks.load(),
         spawns.load(), execs.load(), dlopens.load(),
         coroutine_switches.load(), cancels.load(), timer_runs.load(),
         action_changes.load());
  return 0;
}
