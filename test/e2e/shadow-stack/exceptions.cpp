// C++ exceptions unwind through instrumented frames, are caught in the
// middle of the stack and rethrown; the frames that catch return normally
// through their shadow slots. No false alarm. An overflow in a C++ member
// function is still caught, and the report demangles its name.
//
// REQUIRES: pku
// RUN: %pkguard_cxx --pkguard-stats --pkguard-shadow-stack=all -O0 %s -o %t.O0 2>&1 | FileCheck %s --check-prefix=STATS
// RUN: %pkguard_cxx --pkguard-stats --pkguard-shadow-stack=all -O2 %s -o %t.O2 2>&1 | FileCheck %s --check-prefix=STATS
// RUN: %pkrun %t.O0 | FileCheck %s
// RUN: %pkrun %t.O2 | FileCheck %s
// RUN: not --crash %pkrun %t.O2 attack 2>&1 | FileCheck %s --check-prefix=ATTACK
// With the shadow stack off the same attack reaches win().
// RUN: %pkguard_cxx --pkguard-shadow-stack=none -O2 %s -o %t.unprotected
// RUN: %pkrun %t.unprotected attack > /dev/null; test $? -eq 42
// CHECK: caught 50 in the middle, 50 at the top
// CHECK-NEXT: done
// ATTACK: pkguard: ERROR: return address mismatch in parser::read(char const*, unsigned long)
// STATS: pkguard: stats: shadow stack (all) in '{{.*}}exceptions.cpp': {{[1-9][0-9]*}} instrumented,
#include "../Inputs/attack.h"
#include <cstdio>
#include <cstring>
#include <stdexcept>

__attribute__((noinline)) static void thrower(int depth) {
  char frame[16];
  std::memset(frame, depth, sizeof frame);
  if (depth == 0)
    throw std::runtime_error("deep");
  thrower(depth - 1);
  frame[2]++;
}

__attribute__((noinline)) static int middle(int round) {
  char frame[16];
  std::memset(frame, 0, sizeof frame);
  try {
    thrower(6);
  } catch (const std::runtime_error &) {
    if (round % 2)
      throw; // rethrown to the top
    return 1 + frame[0];
  }
  return 0;
}

__attribute__((noinline)) static int top(int round) {
  char frame[16];
  std::memset(frame, 0, sizeof frame);
  try {
    return middle(round) ? 1 : 0;
  } catch (const std::exception &) {
    return 2 + frame[0];
  }
}

struct parser {
  __attribute__((noinline)) void read(const char *input, std::size_t length) {
    char field[16];
    std::memcpy(field, input, length);
    // Keeps the optimiser from shrinking the copy to the bytes read below.
    __asm__ volatile("" : : "r"(field) : "memory");
    std::printf("read %c\n", field[0]);
  }
};

int main(int argc, char **) {
  if (argc > 1)
    parser().read(static_cast<const char *>(hijack_payload()), PAYLOAD_SIZE);
  int middle_catches = 0, top_catches = 0;
  for (int round = 0; round < 100; ++round)
    (top(round) == 1 ? middle_catches : top_catches)++;
  std::printf("caught %d in the middle, %d at the top\n", middle_catches,
              top_catches);
  std::printf("done\n");
  return 0;
}
