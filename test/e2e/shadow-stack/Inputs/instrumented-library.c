// A shared library built with pkguard and loaded with dlopen: its functions
// use the runtime of the program that loads it.
#include <stdint.h>
#include <stdio.h>
#include <string.h>

__attribute__((noinline)) static int digits(long value, char *out) {
  char buffer[32];
  int n = snprintf(buffer, sizeof buffer, "%ld", value);
  memcpy(out, buffer, (size_t)n + 1);
  return n;
}

int library_sum_digits(long value) {
  char text[32];
  int n = digits(value, text), sum = 0;
  for (int i = 0; i < n; ++i)
    sum += text[i] - '0';
  return sum;
}

void library_overflow(const void *input, size_t length) {
  char field[16];
  memcpy(field, input, length);
  // Keeps the optimiser from shrinking the copy to the bytes read below.
  __asm__ volatile("" : : "r"(field) : "memory");
  printf("library read %d\n", field[0]);
}
