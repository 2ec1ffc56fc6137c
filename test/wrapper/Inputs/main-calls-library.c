// A program that calls an instrumented library.
#include <stdio.h>

int library_copy(char *to, const char *from);

int main(void) {
  char copy[64];
  printf("copied %d bytes\n", library_copy(copy, "hello"));
  return 0;
}
