// The call-heavy microbenchmark: naive recursive Fibonacci, one call per
// node of the recursion tree (fewer at -O2, which turns one of the two
// calls into a loop; the benchmark counts them with callgrind).
#include <stdio.h>
#include <stdlib.h>

__attribute__((noinline)) long fib(int n) {
  return n < 2 ? n : fib(n - 1) + fib(n - 2);
}

int main(int argc, char **argv) {
  int n = argc > 1 ? atoi(argv[1]) : 32;
  printf("fib(%d) = %ld\n", n, fib(n));
  return 0;
}
