// What a protection-key switch costs on this CPU, in TSC ticks, the median
// of many timed batches: an empty loop iteration, RDPKRU, WRPKRU back to
// back, and a window as pkguard's sequences make it (WRPKRU opening a
// write-disabled key, one store to a page of that key, WRPKRU closing it).
// Built plain, without pkguard: bench/wrpkru-cost runs it and says what the
// figures mean. Exits 2, saying why, where protection keys cannot be used.
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <x86intrin.h>

enum { kBatch = 10000, kBatches = 201 };

static inline uint32_t read_pkru(void) {
  uint32_t eax, edx;
  __asm__ volatile(".byte 0x0f, 0x01, 0xee" : "=a"(eax), "=d"(edx) : "c"(0));
  return eax;
}

static inline void write_pkru(uint32_t value) {
  __asm__ volatile(".byte 0x0f, 0x01, 0xef" ::"a"(value), "c"(0), "d"(0)
                   : "memory");
}

static int compare(const void *a, const void *b) {
  uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
  return x < y ? -1 : x > y;
}

// The median over kBatches batches of ticks per iteration.
#define MEDIAN_TICKS(result, body)                                             \
  do {                                                                         \
    static uint64_t batches[kBatches];                                         \
    for (int b = 0; b < kBatches; ++b) {                                       \
      uint64_t start = __rdtsc();                                              \
      for (int i = 0; i < kBatch; ++i) {                                       \
        body;                                                                  \
        __asm__ volatile("" ::: "memory");                                     \
      }                                                                        \
      batches[b] = __rdtsc() - start;                                          \
    }                                                                          \
    qsort(batches, kBatches, sizeof batches[0], compare);                      \
    result = (double)batches[kBatches / 2] / kBatch;                           \
  } while (0)

int main(void) {
  int key = pkey_alloc(0, PKEY_DISABLE_WRITE);
  if (key < 0) {
    perror("no protection keys here: pkey_alloc");
    return 2;
  }
  volatile uint64_t *page = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
                                 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (page == MAP_FAILED ||
      pkey_mprotect((void *)page, 4096, PROT_READ | PROT_WRITE, key) != 0) {
    perror("pkey_mprotect");
    return 2;
  }
  uint32_t closed = read_pkru();
  uint32_t open = closed & ~(3u << (2 * key));
  double loop, rdpkru, wrpkru, window;
  MEDIAN_TICKS(loop, (void)0);
  MEDIAN_TICKS(rdpkru, (void)read_pkru());
  MEDIAN_TICKS(wrpkru, write_pkru(closed));
  MEDIAN_TICKS(window, (write_pkru(open), page[0] = (uint64_t)i,
                        write_pkru(closed)));
  printf("loop iteration: %.1f ticks\n", loop);
  printf("RDPKRU: %.1f ticks\n", rdpkru - loop);
  printf("WRPKRU back to back: %.1f ticks\n", wrpkru - loop);
  printf("window (WRPKRU, store, WRPKRU): %.1f ticks\n", window - loop);
  return 0;
}
