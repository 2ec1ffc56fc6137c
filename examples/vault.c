// vault: a tiny program with a classic bug, to show what pkguard does.
//
// read_record() trusts the length field of a record and copies that many
// bytes into a 16-byte stack buffer. An attacker who sends a long record
// overwrites read_record()'s return address and redirects the program into
// open_vault(), which should only run after a password check.
//
// USAGE: vault                      a well-formed record
//        vault --attack             a record that overflows the buffer
//        vault --forge-shadow       an attacker who can write anywhere also
//                                   forges pkguard's shadow copy
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

// From <pkguard/pkguard.h>; weak, so that the plain build links without it.
void *pkguard_shadow_address(const void *slot) __attribute__((weak));

void open_vault(void) {
  static const char message[] = "  vault: OPENED without a password - the attack worked\n";
  write(1, message, sizeof message - 1);
  _exit(42);
}

struct record {
  size_t length;
  unsigned char bytes[96];
};

__attribute__((noinline)) void read_record(const struct record *r) {
  char field[16];
  memcpy(field, r->bytes, r->length); // the bug: length is not checked
  // Keeps the optimiser from shrinking the copy to the bytes read below.
  __asm__ volatile("" : : "r"(field) : "memory");
  printf("  vault: read a %zu-byte record starting with '%c'\n", r->length,
         field[0]);
}

__attribute__((noinline)) void forge_shadow_and_return(void) {
  char field[16];
  uintptr_t *slot = (uintptr_t *)__builtin_frame_address(0) + 1;
  snprintf(field, sizeof field, "%p", (void *)slot);
  if (!pkguard_shadow_address) {
    printf("  vault: not built with pkguard: there is no shadow copy\n");
    return;
  }
  uintptr_t *shadow = (uintptr_t *)pkguard_shadow_address(slot);
  printf("  vault: attacker writes open_vault into the shadow copy at %p\n",
         (void *)shadow);
  fflush(stdout);
  *(volatile uintptr_t *)shadow = (uintptr_t)&open_vault;
  *(volatile uintptr_t *)slot = (uintptr_t)&open_vault;
}

int main(int argc, char **argv) {
  struct record r = {5, "hello"};
  if (argc > 1 && !strcmp(argv[1], "--attack")) {
    // The attacker learnt open_vault's address (say, from an info leak) and
    // repeats it over the buffer and beyond.
    r.length = sizeof r.bytes;
    for (size_t i = 0; i < sizeof r.bytes / sizeof(uintptr_t); ++i)
      ((uintptr_t *)r.bytes)[i] = (uintptr_t)&open_vault;
  }
  if (argc > 1 && !strcmp(argv[1], "--forge-shadow"))
    forge_shadow_and_return();
  else
    read_record(&r);
  printf("  vault: still locked\n");
  return 0;
}
