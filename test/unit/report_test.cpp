//===- report_test.cpp - Report formatting and symbolization --------------===//
#include "report.h"

#include "symbolizer.h"

#include <gtest/gtest.h>

#include <new>
#include <string.h>

using namespace pkguard;

extern "C" __attribute__((noinline)) int pkguard_test_local_function(int x) {
  return x * 3 + 1;
}

TEST(Report, FormatsNumbers) {
  Report r;
  r.text("a ").hex(0).text(" ").hex(0xdeadbeef).text(" ").number(-42);
  r.text(" ").number(0).text(" ").number(1234567890123L);
  EXPECT_STREQ(r.c_str(), "a 0x0 0xdeadbeef -42 0 1234567890123");
}

TEST(Report, TruncatesInsteadOfOverflowing) {
  Report r;
  for (int i = 0; i < 1000; ++i)
    r.text("0123456789");
  EXPECT_EQ(strlen(r.c_str()), 2047u);
}

// A report's constructor writes only the terminator (zeroing the whole
// buffer at every report site made the runtime kilobytes larger), so a
// report built over leftover bytes must still read as exactly its text.
TEST(Report, StartsEmptyOverLeftoverBytes) {
  alignas(Report) unsigned char storage[sizeof(Report)];
  memset(storage, 'x', sizeof storage);
  Report *r = new (storage) Report;
  EXPECT_STREQ(r->c_str(), "");
  r->text("ab").number(7);
  EXPECT_STREQ(r->c_str(), "ab7");
  r->~Report();
}

TEST(Symbolizer, NamesFunctionsThatAreNotExported) {
  Symbolized where;
  uintptr_t address = (uintptr_t)&pkguard_test_local_function + 2;
  ASSERT_TRUE(symbolize(address, where));
  EXPECT_STREQ(where.function, "pkguard_test_local_function");
  EXPECT_EQ(where.offset, 2u);
  EXPECT_STREQ(where.module, "pkguard-runtime-tests");
}

TEST(Symbolizer, NamesSharedLibraryFunctions) {
  Symbolized where;
  ASSERT_TRUE(symbolize((uintptr_t)&qsort, where));
  EXPECT_STREQ(where.function, "qsort");
  EXPECT_NE(strstr(where.module, "libc.so"), nullptr) << where.module;
}

TEST(Symbolizer, UnmappedAddressIsUnknown) {
  Symbolized where;
  EXPECT_FALSE(symbolize(0x10, where));
  Report r;
  r.code_address(0x10);
  EXPECT_STREQ(r.c_str(), "0x10");
}

TEST(Report, CodeAddressNamesFunctionAndModule) {
  Report r;
  r.code_address((uintptr_t)&pkguard_test_local_function);
  EXPECT_STREQ(r.c_str(), "pkguard_test_local_function+0x0 in pkguard-runtime-tests");
}

TEST(ReportDeathTest, PrintsTheErrorAndASummaryAndAborts) {
  EXPECT_DEATH(report_bad_options("something 7"),
               "^pkguard: ERROR: something 7\nSUMMARY: pkguard: bad-options\n$");
}

TEST(ReportDeathTest, ReturnMismatchSummaryNamesTheFunction) {
  uintptr_t slot = 0;
  EXPECT_DEATH(report_return_mismatch("_Z5parsePKc", 1, 2, &slot),
               "pkguard: ERROR: return address mismatch in parse\\(char "
               "const\\*\\)\n(.*\n)*SUMMARY: pkguard: "
               "return-address-mismatch in parse\\(char const\\*\\)\n$");
}

// A report that faults (here: reports again) while reporting ends the
// process at once instead of recursing.
TEST(ReportDeathTest, AnErrorWhileReportingEndsTheProcess) {
  EXPECT_EXIT(
      {
        signal(SIGSEGV, [](int) { report_out_of_memory(); });
        report_gate_check_failed(*(const pkguard::abi::SecretTable *)16, 0, "f");
      },
      testing::KilledBySignal(SIGABRT),
      "pkguard: ERROR: a second error while reporting an error\n$");
}

TEST(ReportDeathTest, OverridesAProgramsAbortHandler) {
  EXPECT_EXIT(
      {
        signal(SIGABRT, SIG_IGN);
        report_bad_options("ignored abort");
      },
      testing::KilledBySignal(SIGABRT), "pkguard: ERROR: ignored abort");
}
