// heartbeat: Heartbleed in miniature, to show what pkguard does for secrets.
//
// The server keeps its password in a [[secret]] global. Its heartbeat
// handler echoes back as many bytes of its message buffer as the request
// claims, without checking the claim. Built with plain clang, a request
// that claims more than it sent reads past the buffer into the password,
// which lies right after it. Built with pkguard, the password lives in
// pages that only check_password(), a [[pkguard::secret_access]] gate, can
// touch: the over-read stops at the first byte of them.
//
// USAGE: heartbeat                  an honest heartbeat
//        heartbeat --bleed          a heartbeat that claims 16 KiB
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

// Initialised globals, so that the compiler lays them out in this order:
// without pkguard the password follows the message buffer.
char message[64] = "(none yet)";
[[secret]] char password[64] = "(not set)";
// Keeps the memory after the password mapped, so that the unprotected
// over-read ends inside the program.
char scratch[65536];

[[pkguard::secret_access]] static void set_password(const char *value) {
  strncpy(password, value, sizeof password - 1);
}

[[pkguard::secret_access]] static int check_password(const char *attempt) {
  return strcmp(attempt, password) == 0;
}

__attribute__((noinline)) static void heartbeat(const char *payload,
                                                size_t claimed_length) {
  strncpy(message, payload, sizeof message - 1);
  char *reply = malloc(claimed_length);
  for (size_t i = 0; i < claimed_length; ++i) // the bug: trusts the claim
    reply[i] = message[i];
  printf("  heartbeat: replying with %zu bytes\n", claimed_length);
  fflush(stdout);
  // The reply, with its unprintable bytes shown as dots.
  for (size_t i = 0; i < claimed_length && i < 160; ++i)
    reply[i] = reply[i] >= ' ' && reply[i] <= '~' ? reply[i] : '.';
  write(1, "  reply: ", 9);
  write(1, reply, claimed_length < 160 ? claimed_length : 160);
  write(1, "\n", 1);
  free(reply);
}

int main(int argc, char **argv) {
  set_password("correct-horse-battery-staple");
  printf("  heartbeat: password check %s\n",
         check_password("guess") ? "passed" : "refused a guess");
  fflush(stdout);
  int bleed = argc > 1 && !strcmp(argv[1], "--bleed");
  heartbeat("ping", bleed ? 16384 : 4);
  return scratch[0];
}
