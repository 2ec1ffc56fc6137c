// What pkguard's end-to-end attack tests share: the attacker's target
// win(), the overflow bug vulnerable() and its payload, the forged
// return-address pair of an attacker who can write anywhere, and a parent's
// view of how a forked child ended.
//
// Each test includes it as "../Inputs/attack.h". Helpers a test does not
// call are static, so they add no function to its program (nor to the
// counts that --pkguard-stats prints); win() is the exception.
#ifndef PKGUARD_TEST_ATTACK_H
#define PKGUARD_TEST_ATTACK_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <signal.h>
#include <unistd.h>
#if __has_include(<pkguard/pkguard.h>)
#include <pkguard/pkguard.h>
#endif

// How a program, or a forked child, that reached win() exits.
#define HIJACKED_EXIT_STATUS 42

#ifdef __cplusplus
extern "C" {
#endif

// The attacker's target: reaching it means the attack worked.
__attribute__((noreturn)) void win(void) {
  static const char message[] = "hijacked: control reached win()\n";
  write(1, message, sizeof message - 1);
  _exit(HIJACKED_EXIT_STATUS);
}

#ifdef __cplusplus
}
#endif

// The attacker does not know the frame layout, so the payload repeats the
// target address over the buffer and well beyond it. The first 16 bytes fit
// vulnerable()'s buffer: copying only those is the benign call.
#define PAYLOAD_WORDS 12
#define PAYLOAD_SIZE (PAYLOAD_WORDS * sizeof(uintptr_t))

__attribute__((unused)) static const void *hijack_payload(void) {
  static uintptr_t payload[PAYLOAD_WORDS];
  for (int i = 0; i < PAYLOAD_WORDS; ++i)
    payload[i] = (uintptr_t)&win;
  return payload;
}

// The bug: `length` is never checked against the 16-byte buffer.
__attribute__((noinline, unused)) static void vulnerable(const void *input,
                                                         size_t length) {
  char buffer[16];
  // Keeps the optimiser from learning the length from the callers.
  __asm__ volatile("" : "+r"(length));
  memcpy(buffer, input, length);
  // Keeps the optimiser from shrinking the copy to the bytes read below.
  __asm__ volatile("" : : "r"(buffer) : "memory");
  printf("copied %zu bytes starting with %d\n", length, buffer[0]);
}

#if __has_include(<pkguard/pkguard.h>)
// Stands for an arbitrary-write bug: it writes where it is told to.
__attribute__((noinline, unused)) static void
arbitrary_write(volatile uintptr_t *where, uintptr_t what) {
  *where = what;
}

// An attacker who knows pkguard's layout forges both forge_return()'s
// return address and its shadow copy, so that the pair agrees on win().
// The shadow comes first: were the return address first, a fault-free
// shadow write would be the only thing left to prove. With the shadow
// stack write-protected the shadow write faults; without protection keys
// the check passes and the return reaches win().
__attribute__((noinline, unused)) static void forge_return(void) {
  char buffer[16];
  uintptr_t *slot = (uintptr_t *)__builtin_frame_address(0) + 1;
  snprintf(buffer, sizeof buffer, "%p", (void *)slot);
  *(volatile uintptr_t *)pkguard_shadow_address(slot) = (uintptr_t)&win;
  arbitrary_write(slot, (uintptr_t)&win);
}
#endif

// Waits for a forked child and says how it ended: pkguard stops a program
// with SIGABRT, a hijacked one exits with HIJACKED_EXIT_STATUS.
__attribute__((unused)) static const char *how_child_ended(pid_t child) {
  int status;
  if (waitpid(child, &status, 0) != child)
    return "lost";
  if (WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT)
    return "stopped by pkguard";
  if (WIFEXITED(status) && WEXITSTATUS(status) == HIJACKED_EXIT_STATUS)
    return "reached win()";
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
    return "NOT stopped";
  return "ended otherwise";
}

#endif
