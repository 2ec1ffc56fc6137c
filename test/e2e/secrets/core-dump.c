// Secrets stay out of core dumps: their pages are marked MADV_DONTDUMP.
// Both builds decode a key into memory and then crash with a core dump,
// inside the emulated machine; the unprotected build's core holds the key,
// the pkguard build's holds neither the static nor the heap secret.
//
// REQUIRES: pku
// RUN: %clang -O2 -Wno-unknown-attributes -DWITHOUT_PKGUARD %s -o %t.unprotected
// RUN: %pkguard_cc -O2 %s -o %t.protected
// RUN: rm -rf %t.dir && mkdir -p %t.dir/unprotected %t.dir/protected
// RUN: cd %t.dir/unprotected && not --crash %pkrun /bin/sh -c 'ulimit -c unlimited && exec %t.unprotected'
// RUN: test -s %t.dir/unprotected/core
// RUN: grep -c KEY-d3adb33f-STATIC %t.dir/unprotected/core
// RUN: grep -c KEY-d3adb33f-HEAP %t.dir/unprotected/core
// RUN: cd %t.dir/protected && not --crash %pkrun /bin/sh -c 'ulimit -c unlimited && exec %t.protected'
// RUN: test -s %t.dir/protected/core
// RUN: not grep -c KEY-d3adb33f-STATIC %t.dir/protected/core
// RUN: not grep -c KEY-d3adb33f-HEAP %t.dir/protected/core
#include <stdlib.h>
#include <string.h>
#ifndef WITHOUT_PKGUARD
#include <pkguard/pkguard.h>
#endif

// Scrambled, so that the plain key exists only where it is decoded.
static const char scrambled_static[] = {
    'K' ^ 1, 'E' ^ 1, 'Y' ^ 1, '-' ^ 1, 'd' ^ 1, '3' ^ 1, 'a' ^ 1, 'd' ^ 1,
    'b' ^ 1, '3' ^ 1, '3' ^ 1, 'f' ^ 1, '-' ^ 1, 'S' ^ 1, 'T' ^ 1, 'A' ^ 1,
    'T' ^ 1, 'I' ^ 1, 'C' ^ 1, 0 ^ 1};
static const char scrambled_heap[] = {
    'K' ^ 1, 'E' ^ 1, 'Y' ^ 1, '-' ^ 1, 'd' ^ 1, '3' ^ 1, 'a' ^ 1, 'd' ^ 1,
    'b' ^ 1, '3' ^ 1, '3' ^ 1, 'f' ^ 1, '-' ^ 1, 'H' ^ 1, 'E' ^ 1, 'A' ^ 1,
    'P' ^ 1, 0 ^ 1};

[[secret]] char static_key[32];

__attribute__((noinline)) static void decode(volatile char *to,
                                             const char *from, size_t n) {
  for (size_t i = 0; i < n; ++i)
    to[i] = from[i] ^ 1;
}

[[pkguard::secret_access]] static void load_static_key(void) {
  decode(static_key, scrambled_static, sizeof scrambled_static);
}

int main(void) {
  load_static_key();
#ifdef WITHOUT_PKGUARD
  char *heap_key = malloc(64);
  decode(heap_key, scrambled_heap, sizeof scrambled_heap);
#else
  char *heap_key = pkguard_secret_alloc(NULL, 64);
  pkguard_secret_scope scope = pkguard_secret_open(NULL);
  decode(heap_key, scrambled_heap, sizeof scrambled_heap);
  pkguard_secret_close(scope);
#endif
  abort();
}
