// A program whose output depends on whether pkguard built it: the
// differential test must report it as a mismatch.
#include <stdio.h>

extern char __pkguard_shadow_abi[] __attribute__((weak));

int main(void) {
  printf("checksum = %d\n", __pkguard_shadow_abi != 0);
  return 0;
}
