// An instrumented library: its functions call pkguard's runtime, which the
// program that loads it provides.
#include <string.h>

int library_copy(char *to, const char *from) {
  char buffer[64];
  strncpy(buffer, from, sizeof buffer - 1);
  buffer[sizeof buffer - 1] = 0;
  strcpy(to, buffer);
  return (int)strlen(to);
}
