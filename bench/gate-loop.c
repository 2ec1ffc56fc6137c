// The secrets microbenchmark: a loop that calls a small function N times.
// Built with pkguard, the function is a gate (it reads a secret); built
// without, the same function reads an ordinary global. The per-call
// difference is the gate's round trip: open, run, close.
//
// USAGE: gate-loop N [api|nested]
//   api:    open and close with the C API instead;
//   nested: the loop runs inside a gate of the same domain, where each
//           call's gate changes nothing (docs/sequences.md).
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#ifdef WITH_PKGUARD
#include <pkguard/pkguard.h>
#define SECRET [[secret]]
#define GATE [[pkguard::secret_access]]
#else
#define SECRET
#define GATE
#endif

SECRET unsigned char key[32] = {1, 2, 3, 4, 5, 6, 7, 8};

GATE __attribute__((noinline)) unsigned key_byte(unsigned i) {
  return key[i & 31];
}

// The same loop inside a gate of key_byte's domain.
GATE __attribute__((noinline)) unsigned nested_key_bytes(unsigned n) {
  unsigned sum = 0;
  for (unsigned i = 0; i < n; ++i)
    sum += key_byte(i);
  return sum;
}

// A heap secret read inside a scope of the C API.
__attribute__((noinline)) unsigned scoped_byte(const unsigned char *secret,
                                               unsigned i) {
#ifdef WITH_PKGUARD
  pkguard_secret_scope scope = pkguard_secret_open(NULL);
  unsigned value = ((volatile const unsigned char *)secret)[i & 31];
  pkguard_secret_close(scope);
  return value;
#else
  return ((volatile const unsigned char *)secret)[i & 31];
#endif
}

int main(int argc, char **argv) {
  unsigned n = argc > 1 ? (unsigned)atoi(argv[1]) : 1000000;
  int api = argc > 2 && !strcmp(argv[2], "api");
  int nested = argc > 2 && !strcmp(argv[2], "nested");
#ifdef WITH_PKGUARD
  unsigned char *heap = pkguard_secret_alloc(NULL, 32);
#else
  unsigned char *heap = calloc(1, 32);
#endif
  unsigned sum = 0;
  if (nested)
    sum = nested_key_bytes(n);
  for (unsigned i = 0; i < n && !nested; ++i)
    sum += api ? scoped_byte(heap, i) : key_byte(i);
  printf("sum %u\n", sum);
  return 0;
}
