//===- state_test.cpp - The runtime's write-protected state ---------------===//
#include "state.h"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

using namespace pkguard;

namespace {

// Copies one byte of `address` onto itself through the kernel, which
// honours page permissions as a store would. False when the kernel refused
// (EFAULT); the byte is never changed.
bool can_write(const volatile void *address) {
  int fds[2];
  if (pipe(fds) != 0)
    return false;
  bool written = write(fds[1], (const void *)address, 1) == 1 &&
                 read(fds[0], (void *)address, 1) == 1;
  close(fds[0]);
  close(fds[1]);
  return written;
}

struct ChangeProbe {
  bool could_write;
  int child_status;
};

// What a signal handler that forks in the middle of a change would do.
void write_then_fork(ChangeProbe &probe) {
  probe.could_write = can_write(&state().secret_closed_bits);
  pid_t child = fork();
  if (child == 0)
    _exit(7);
  waitpid(child, &probe.child_status, 0);
}

} // namespace

TEST(State, SealedPageIsReadOnly) {
  EXPECT_FALSE(can_write(&state().secret_closed_bits));
}

TEST(State, WritableOnlyDuringAChange) {
  ChangeProbe probe = {};
  modify_state([&](ProtectedState &) { write_then_fork(probe); });
  EXPECT_TRUE(probe.could_write);
  EXPECT_FALSE(can_write(&state().secret_closed_bits));
}

TEST(State, ForkDuringAChangeInTheSameThreadDoesNotDeadlock) {
  ChangeProbe probe = {};
  modify_state([&](ProtectedState &) { write_then_fork(probe); });
  ASSERT_TRUE(WIFEXITED(probe.child_status));
  EXPECT_EQ(WEXITSTATUS(probe.child_status), 7);
}
