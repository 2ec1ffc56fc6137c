// Gates run in many threads at once: PKRU is per thread, so one thread's
// open domain is no other thread's. A thread started inside a gate starts
// with the secrets closed all the same, and faults if it reads one.
//
// REQUIRES: pku
// RUN: %pkguard_cc -O0 %s -o %t.O0
// RUN: %pkguard_cc -O2 %s -o %t.O2
// RUN: %pkrun %t.O0 | FileCheck %s
// RUN: %pkrun %t.O2 | FileCheck %s
// RUN: not --crash %pkrun %t.O2 spawn-in-gate 2>&1 | FileCheck %s --check-prefix=SPAWNED
// With the keys turned off the thread reads it.
// RUN: env PKGUARD_OPTIONS=use_pku=0 %pkrun %t.O2 spawn-in-gate | FileCheck %s --check-prefix=SPAWNED-LEAKED
// CHECK: 8 threads x 2000 gate calls: 16000
// CHECK-NEXT: a thread outside any gate cannot read: yes
// SPAWNED: pkguard: ERROR: read of secret 'tally' outside a gate {{.*}} in {{.*}}read_tally_unguarded
// SPAWNED-LEAKED: the thread read the secret
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

[[secret]] long tally;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

[[pkguard::secret_access]] void add_one(void) {
  pthread_mutex_lock(&lock);
  ++tally;
  pthread_mutex_unlock(&lock);
}

[[pkguard::secret_access]] long read_tally(void) { return tally; }
[[pkguard::secret_access]] const long *tally_address(void) { return &tally; }

static void *worker(void *unused) {
  (void)unused;
  for (int i = 0; i < 2000; ++i)
    add_one();
  return NULL;
}

static void *read_tally_unguarded(void *where) {
  return (void *)*(volatile const long *)where;
}

// Starts a thread from inside a gate; the thread must not inherit the
// gate's open domain.
[[pkguard::secret_access]] void spawn_inside_gate(const long *where) {
  pthread_t thread;
  pthread_create(&thread, NULL, read_tally_unguarded, (void *)where);
  pthread_join(thread, NULL);
  printf("the thread read the secret\n");
}

int main(int argc, char **argv) {
  pthread_t threads[8];
  for (int i = 0; i < 8; ++i)
    pthread_create(&threads[i], NULL, worker, NULL);
  for (int i = 0; i < 8; ++i)
    pthread_join(threads[i], NULL);
  printf("8 threads x 2000 gate calls: %ld\n", read_tally());
  fflush(stdout);

  pid_t child = fork();
  if (child == 0) {
    freopen("/dev/null", "w", stderr);
    read_tally_unguarded((void *)tally_address());
    _exit(0);
  }
  int status;
  waitpid(child, &status, 0);
  printf("a thread outside any gate cannot read: %s\n",
         WIFSIGNALED(status) ? "yes" : "no");
  fflush(stdout);
  if (argc > 1)
    spawn_inside_gate(tally_address());
  return 0;
}
