// Sixteen threads recurse deeply through instrumented functions at once,
// each on its own stack and shadow; no false alarm, and a thread created
// through std-style wrappers (pthread_create from a library) is covered.
//
// REQUIRES: pku
// Elision is off: the point is how instrumented functions behave here, and
// the rules would prove some of these small functions safe.
// RUN: %pkguard_cc --pkguard-stats --pkguard-shadow-stack=all -mllvm -pkguard-shadow-stack-elide=none -O0 %s -o %t.O0 2>&1 | FileCheck %s --check-prefix=STATS
// RUN: %pkguard_cc --pkguard-stats --pkguard-shadow-stack=all -mllvm -pkguard-shadow-stack-elide=none -O2 %s -o %t.O2 2>&1 | FileCheck %s --check-prefix=STATS
// RUN: %pkrun %t.O0 | FileCheck %s
// RUN: env PKGUARD_OPTIONS=verbose=1 %pkrun %t.O2 2> %t.err | FileCheck %s
// RUN: FileCheck %s --check-prefix=MODE < %t.err
// CHECK: 16 threads done, total 17078
// It ran under protection keys, and its functions are instrumented:
// MODE: pkguard: mode: protected (shadow stack under protection key {{[0-9]+}})
// STATS: pkguard: stats: shadow stack (all) in '{{.*}}threads.c': 3 instrumented,
#include <pthread.h>
#include <stdio.h>
#include <string.h>

enum { kThreads = 16, kDepth = 2000 };

__attribute__((noinline)) static long recurse(int depth, char *trail) {
  char frame[32];
  memset(frame, depth & 0x7f, sizeof frame);
  if (depth == 0)
    return trail[0];
  return recurse(depth - 1, frame) + (frame[3] != 0);
}

static void *work(void *argument) {
  long id = (long)argument;
  char seed[4] = {1, 2, 3, 4};
  long total = 0;
  for (int round = 0; round < 2; ++round)
    total += recurse(kDepth / 2 + (int)id * 10, seed) / 2;
  return (void *)total;
}

int main(void) {
  pthread_t threads[kThreads];
  for (long i = 0; i < kThreads; ++i)
    if (pthread_create(&threads[i], NULL, work, (void *)i) != 0)
      return 1;
  long total = 0;
  for (int i = 0; i < kThreads; ++i) {
    void *result;
    pthread_join(threads[i], &result);
    total += (long)result;
  }
  printf("%d threads done, total %ld\n", kThreads, total);
  return 0;
}
