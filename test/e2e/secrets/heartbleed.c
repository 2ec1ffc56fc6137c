// Heartbleed, in miniature: the heartbeat handler trusts the length the
// request claims and echoes that many bytes from its buffer. Without
// pkguard the echo carries the private key that lies next to the buffer;
// with pkguard the key lives in pages only its gate can read, and the
// over-read dies at the first byte of them, with a report naming the secret
// and the function that read it.
//
// REQUIRES: pku
// RUN: %clang -O2 -Wno-unknown-attributes %s -o %t.unprotected
// RUN: export PRIVATE_KEY='-----BEGIN PRIVATE KEY----- MIIEvQIBADANBgkqhkiG9w0BAQEFAASC'
// RUN: %pkrun %t.unprotected 16384 | FileCheck %s --check-prefix=LEAKED
// RUN: %pkguard_cc -O0 %s -o %t.O0
// RUN: %pkguard_cc -O2 %s -o %t.O2
// RUN: %pkrun %t.O2 4 | FileCheck %s --check-prefix=HONEST
// RUN: not --crash %pkrun %t.O0 16384 2>&1 | FileCheck %s --check-prefix=STOPPED
// RUN: not --crash %pkrun %t.O2 16384 2>&1 | FileCheck %s --check-prefix=STOPPED
//
// LEAKED: -----BEGIN PRIVATE KEY----- MIIEvQIBADANBgkqhkiG9w0BAQEFAASC
// HONEST: signature 23940
// HONEST-NEXT: heartbeat: ping
// STOPPED: signature 23940
// At -O2 the copy loop becomes a call to memcpy, which faults inside libc.
// STOPPED-NEXT: pkguard: ERROR: read of secret 'private_key' outside a gate at 0x{{[0-9a-f]+}} (domain 'default', SEGV_PKUERR, protection key {{[0-9]+}}) in {{.*}}heartbeat+0x{{[0-9a-f]+}} in {{.*}}
// STOPPED: #{{[01]}} 0x{{[0-9a-f]+}} in heartbeat+0x{{[0-9a-f]+}} in {{.*}}
// STOPPED-NEXT: #{{[12]}} 0x{{[0-9a-f]+}} in main+0x{{[0-9a-f]+}} in {{.*}}
// STOPPED-NOT: BEGIN PRIVATE KEY
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

// Global, so that the compiler lays them out in this order: without pkguard
// the key sits right after the payload.
char heartbeat_payload[64] = "(none yet)";
[[secret]] char private_key[64] = "(not loaded)";
// Keeps the memory after the key mapped, so that the unprotected echo does
// not run off the end of the program.
char more_memory[65536];

__attribute__((noinline)) static void heartbeat(const char *request,
                                                size_t claimed_length) {
  memcpy(heartbeat_payload, request, strlen(request) + 1);
  char *response = malloc(claimed_length + 1);
  for (size_t i = 0; i < claimed_length; ++i) // the bug: trusts the claim
    response[i] = heartbeat_payload[i];
  response[claimed_length] = '\n';
  printf("heartbeat: ");
  fflush(stdout);
  write(1, response, claimed_length + 1);
  free(response);
}

// The key comes from outside the program, as keys do.
[[pkguard::secret_access]] static void load_key(const char *source) {
  strncpy(private_key, source, sizeof private_key - 1);
}

[[pkguard::secret_access]] static int sign(const char *message) {
  int sum = 0;
  for (size_t i = 0; message[i]; ++i)
    sum += message[i] * private_key[i % 32];
  return sum;
}

int main(int argc, char **argv) {
  load_key(getenv("PRIVATE_KEY"));
  printf("signature %d\n", sign("hello") + more_memory[argc]);
  fflush(stdout);
  heartbeat("ping", argc > 1 ? (size_t)atoi(argv[1]) : 4);
  return 0;
}
