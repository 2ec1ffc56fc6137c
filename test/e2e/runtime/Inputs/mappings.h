// How many mappings the process has: the lines of /proc/self/maps. Tests
// that release stacks' shadows compare it before and after.
#include <stdio.h>

static int count_mappings(void) {
  FILE *maps = fopen("/proc/self/maps", "r");
  int lines = 0;
  for (int c; (c = fgetc(maps)) != EOF;)
    lines += c == '\n';
  fclose(maps);
  return lines;
}
