//===- state_test.cpp - The runtime's write-protected state ---------------===//
#include "state.h"

#include <gtest/gtest.h>
#include <pthread.h>
#include <unistd.h>

using namespace pkguard;

namespace {

// Copies one byte of `address` onto itself through the kernel, which
// honours page permissions and this thread's PKRU as a store would. False
// when the kernel refused (EFAULT); the byte is never changed.
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

// A thread that already runs while the state changes, as an attacker's
// would, and tries to write the page in the middle of the change.
struct Race {
  pthread_barrier_t changing, probed;
  const volatile void *target;
  bool racer_could_write;
  bool changer_could_write;
};

void *racer(void *opaque) {
  Race &race = *(Race *)opaque;
  pthread_barrier_wait(&race.changing);
  race.racer_could_write = can_write(race.target);
  pthread_barrier_wait(&race.probed);
  return nullptr;
}

void change_while_racing(ProtectedState &, void *opaque) {
  Race &race = *(Race *)opaque;
  race.changer_could_write = can_write(race.target);
  pthread_barrier_wait(&race.changing);
  pthread_barrier_wait(&race.probed);
}

} // namespace

TEST(State, SealedPageIsReadOnly) {
  EXPECT_FALSE(can_write(&state().secret_closed_bits));
}

TEST(State, WritableOnlyForTheThreadThatChangesIt) {
  if (state().mode != PKGUARD_MODE_PROTECTED)
    GTEST_SKIP() << "no protection keys on this machine";
  Race race = {};
  race.target = &state().secret_closed_bits;
  pthread_barrier_init(&race.changing, nullptr, 2);
  pthread_barrier_init(&race.probed, nullptr, 2);
  pthread_t thread;
  ASSERT_EQ(pthread_create(&thread, nullptr, racer, &race), 0);
  modify_state(change_while_racing, &race);
  pthread_join(thread, nullptr);
  EXPECT_TRUE(race.changer_could_write);
  EXPECT_FALSE(race.racer_could_write);
  EXPECT_FALSE(can_write(race.target));
}
