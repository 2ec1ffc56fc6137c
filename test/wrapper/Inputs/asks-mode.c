// An instrumented library that asks the program's runtime for the mode.
#include <pkguard/pkguard.h>

int library_mode(void) { return pkguard_get_mode(); }
