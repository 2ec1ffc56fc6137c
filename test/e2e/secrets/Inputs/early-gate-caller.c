// A library whose constructor calls a gate of the program that loads it.
// Libraries' constructors run before the program's own, so the gate runs
// before the program has registered its secrets.
#include <stdio.h>
#include <stdlib.h>

int read_program_secret(void);

__attribute__((constructor)) static void call_gate_early(void) {
  if (getenv("PKGUARD_TEST_EARLY_GATE"))
    printf("early gate: %d\n", read_program_secret());
}
