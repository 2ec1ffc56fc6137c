// Preloaded, built without pkguard: its constructor takes every protection
// key left, as a library that uses keys for itself might.
#define _GNU_SOURCE
#include <stdio.h>
#include <sys/mman.h>

__attribute__((constructor)) static void take_every_key(void) {
  int taken = 0;
  while (pkey_alloc(0, 0) > 0)
    ++taken;
  fprintf(stderr, "preloaded constructor took %d keys\n", taken);
}
