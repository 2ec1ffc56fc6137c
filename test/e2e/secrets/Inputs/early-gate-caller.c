// A library whose constructor, which runs before the constructors of the
// program and of libraries loaded before it, uses secrets of others.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int read_program_secret(void);
int read_library_secret(void);
// A secret of the program, which this library does not know as one.
extern char program_key[16];

__attribute__((constructor)) static void run_early(void) {
  const char *what = getenv("PKGUARD_TEST_EARLY");
  if (!what)
    return;
  if (!strcmp(what, "program-gate"))
    printf("program gate from a library constructor: %d\n",
           read_program_secret());
  else if (!strcmp(what, "library-gate"))
    printf("library gate before its library: %d\n", read_library_secret());
  else if (!strcmp(what, "read-program-secret"))
    printf("program secret read by a library constructor: %s\n", program_key);
  fflush(stdout);
}
