//===- report_test.cpp - Report formatting and symbolization --------------===//
#include "report.h"

#include "line_table.h"
#include "symbolizer.h"

#include <gtest/gtest.h>

#include <new>
#include <string.h>
#include <vector>

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

namespace {

// A DWARF 5 line table for one file, /src/a.c, whose rows are 0x1000 line
// 10, 0x1004 line 11, and the sequence's end at 0x1008.
std::vector<uint8_t> one_file_line_table() {
  std::vector<uint8_t> header = {
      1, 1, 1, 0xfb /* line_base -5 */, 14, 13, // min_inst .. opcode_base
      0, 1, 1, 1, 1, 0, 0, 0, 1, 0, 0, 1,       // standard opcode lengths
      1, 1, 0x08, 1, '/', 's', 'r', 'c', 0,     // directories: path, string
      2, 1, 0x08, 2, 0x0b, 1, 'a', '.', 'c', 0, 0}; // files: path, dir index
  std::vector<uint8_t> program = {
      0, 9, 2, 0x00, 0x10, 0, 0, 0, 0, 0, 0, // set_address 0x1000
      3, 9,                                  // advance_line to 10
      4, 0,                                  // set_file 0, the only one
      5, 3,                                  // set_column 3
      1,                                     // copy
      75,                                    // special: address +4, line +1
      2, 4,                                  // advance_pc 4
      0, 1, 1};                              // end_sequence
  std::vector<uint8_t> unit = {5, 0, 8, 0}; // version, address, selector sizes
  uint32_t header_length = header.size();
  unit.insert(unit.end(), (uint8_t *)&header_length,
              (uint8_t *)&header_length + 4);
  unit.insert(unit.end(), header.begin(), header.end());
  unit.insert(unit.end(), program.begin(), program.end());
  uint32_t unit_length = unit.size();
  std::vector<uint8_t> table((uint8_t *)&unit_length, (uint8_t *)&unit_length + 4);
  table.insert(table.end(), unit.begin(), unit.end());
  return table;
}

LineLookup look_up(const std::vector<uint8_t> &table, uint64_t address,
                   Report &out) {
  LineSections sections;
  sections.line = {table.data(), table.size()};
  return find_source_line(sections, address, out);
}

} // namespace

TEST(LineTable, FindsTheRowThatCoversAnAddress) {
  std::vector<uint8_t> table = one_file_line_table();
  Report first, inside, second;
  EXPECT_EQ(look_up(table, 0x1000, first), LineLookup::Found);
  EXPECT_STREQ(first.c_str(), "/src/a.c:10:3");
  EXPECT_EQ(look_up(table, 0x1003, inside), LineLookup::Found);
  EXPECT_STREQ(inside.c_str(), "/src/a.c:10:3");
  EXPECT_EQ(look_up(table, 0x1007, second), LineLookup::Found);
  EXPECT_STREQ(second.c_str(), "/src/a.c:11:3");
}

TEST(LineTable, AddressesOutsideEverySequenceAreNotCovered) {
  std::vector<uint8_t> table = one_file_line_table();
  Report before, after;
  EXPECT_EQ(look_up(table, 0xfff, before), LineLookup::NotCovered);
  EXPECT_EQ(look_up(table, 0x1008, after), LineLookup::NotCovered);
  EXPECT_STREQ(after.c_str(), "");
}

// Every prefix of a table is read without reading past it: a truncated
// or damaged file gives no location, never a fault.
TEST(LineTable, TruncatedTablesAreUnreadableNotFaults) {
  std::vector<uint8_t> table = one_file_line_table();
  for (size_t length = 1; length < table.size(); ++length) {
    std::vector<uint8_t> prefix(table.begin(), table.begin() + length);
    prefix.shrink_to_fit();
    Report out;
    EXPECT_NE(look_up(prefix, 0x1000, out), LineLookup::Found) << length;
  }
}

TEST(LineTable, UnknownVersionIsUnreadable) {
  std::vector<uint8_t> table = one_file_line_table();
  table[4] = 6;
  Report out;
  EXPECT_EQ(look_up(table, 0x1000, out), LineLookup::Unreadable);
}
