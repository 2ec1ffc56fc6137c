// A library hardened with pkguard for programs that are not: recursion
// through frames with arrays, a gate that reads a secret, an overflow bug,
// and what the runtime says of itself. Hosts reach it linked or by dlopen.
#include "../../Inputs/attack.h"

[[secret]] int library_token = 4711;

[[pkguard::secret_access]] __attribute__((noinline)) static int
read_token(void) {
  return library_token;
}

__attribute__((noinline)) static long descend(int depth) {
  volatile char frame[32];
  frame[depth % 32] = (char)depth;
  long below = depth ? descend(depth - 1) : read_token();
  return below + (frame[depth % 32] == (char)depth ? 1 : 1000);
}

// 4711 + depth + 1 when every frame and the gate work.
long hardened_work(int depth) { return descend(depth); }

// The overflow: with `attack`, vulnerable()'s return address is overwritten
// with win()'s.
void hardened_attack(int attack) {
  vulnerable(hijack_payload(), attack ? PAYLOAD_SIZE : 16);
}

#ifdef __PKGUARD__
// What the runtime the library reaches says, and its shadow-stack key.
const char *hardened_mode(void) { return pkguard_describe_mode(); }
int hardened_shadow_key(void) { return pkguard_shadow_stack_key(); }
#endif
