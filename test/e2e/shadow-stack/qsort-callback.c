// Uninstrumented library code (qsort, bsearch, pthread_once) calls back
// into instrumented functions; each callback checks its own return into
// libc. No false alarm.
//
// REQUIRES: pku
// Elision is off: the point is how instrumented functions behave here, and
// the rules would prove some of these small functions safe.
// RUN: %pkguard_cc --pkguard-stats --pkguard-shadow-stack=all -mllvm -pkguard-shadow-stack-elide=none -O0 %s -o %t.O0 2>&1 | FileCheck %s --check-prefix=STATS
// RUN: %pkguard_cc --pkguard-stats --pkguard-shadow-stack=all -mllvm -pkguard-shadow-stack-elide=none -O2 %s -o %t.O2 2>&1 | FileCheck %s --check-prefix=STATS
// RUN: %pkrun %t.O0 | FileCheck %s
// RUN: env PKGUARD_OPTIONS=verbose=1 %pkrun %t.O2 2> %t.err | FileCheck %s
// RUN: FileCheck %s --check-prefix=MODE < %t.err
// CHECK: sorted: 0 1 2 3 4 5 6 7 8 9 ... 9999
// CHECK-NEXT: found 4242, once 1
// It ran under protection keys, and its functions are instrumented:
// MODE: pkguard: mode: protected (shadow stack under protection key {{[0-9]+}})
// STATS: pkguard: stats: shadow stack (all) in '{{.*}}qsort-callback.c': 3 instrumented,
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int comparisons;
static int once_runs;

__attribute__((noinline)) static int compare(const void *a, const void *b) {
  char scratch[16];
  memset(scratch, 0, sizeof scratch);
  ++comparisons;
  int x = *(const int *)a, y = *(const int *)b;
  return (x > y) - (x < y) + scratch[3];
}

static void run_once(void) {
  char scratch[16];
  memset(scratch, 1, sizeof scratch);
  once_runs += scratch[0];
}

int main(void) {
  enum { kCount = 10000 };
  static int values[kCount];
  for (int i = 0; i < kCount; ++i)
    values[i] = (i * 7919) % kCount;
  qsort(values, kCount, sizeof values[0], compare);
  printf("sorted:");
  for (int i = 0; i < 10; ++i)
    printf(" %d", values[i]);
  printf(" ... %d\n", values[kCount - 1]);
  int key = 4242;
  int *found = bsearch(&key, values, kCount, sizeof values[0], compare);
  static pthread_once_t once = PTHREAD_ONCE_INIT;
  pthread_once(&once, run_once);
  pthread_once(&once, run_once);
  printf("found %d, once %d\n", found ? *found : -1, once_runs);
  return 0;
}
