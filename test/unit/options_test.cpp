//===- options_test.cpp - PKGUARD_OPTIONS parsing -------------------------===//
#include "options.h"

#include <gtest/gtest.h>

#include <string.h>
#include <string>

using namespace pkguard;

TEST(Options, DefaultsWhenUnset) {
  Options o;
  EXPECT_FALSE(parse_options(nullptr, o).failed);
  EXPECT_FALSE(o.require_pku);
  EXPECT_FALSE(o.verbose);
}

TEST(Options, ParsesBothSeparatorsAndSpellings) {
  Options o;
  EXPECT_FALSE(parse_options("require_pku=1:verbose=true", o).failed);
  EXPECT_TRUE(o.require_pku);
  EXPECT_TRUE(o.verbose);
  EXPECT_FALSE(parse_options("verbose=0,require_pku=false", o).failed);
  EXPECT_FALSE(o.require_pku);
  EXPECT_FALSE(o.verbose);
}

TEST(Options, EmptyItemsAreIgnored) {
  Options o;
  EXPECT_FALSE(parse_options("::verbose=1,", o).failed);
  EXPECT_TRUE(o.verbose);
}

TEST(Options, UnknownNameIsAnError) {
  Options o;
  OptionsError e = parse_options("verbose=1:requre_pku=1", o);
  ASSERT_TRUE(e.failed);
  EXPECT_STREQ(e.message, "unknown option 'requre_pku' in PKGUARD_OPTIONS");
}

TEST(Options, BadValueIsAnError) {
  Options o;
  OptionsError e = parse_options("require_pku=yes", o);
  ASSERT_TRUE(e.failed);
  EXPECT_STREQ(e.message, "expected 0 or 1 in 'require_pku=yes' in PKGUARD_OPTIONS");
  EXPECT_FALSE(o.require_pku);
}

TEST(Options, MissingEqualsIsAnError) {
  Options o;
  OptionsError e = parse_options("verbose", o);
  ASSERT_TRUE(e.failed);
  EXPECT_STREQ(e.message, "missing '=' in 'verbose' in PKGUARD_OPTIONS");
}

TEST(Options, ProtectionKeysCanBeTurnedOff) {
  Options o;
  EXPECT_TRUE(o.use_pku);
  EXPECT_FALSE(parse_options("use_pku=0", o).failed);
  EXPECT_FALSE(o.use_pku);
}

TEST(Options, ReportOptions) {
  Options o;
  EXPECT_TRUE(o.symbolize);
  EXPECT_STREQ(o.log_path, "");
  EXPECT_FALSE(parse_options("symbolize=0:log_path=/tmp/r:help=1", o).failed);
  EXPECT_FALSE(o.symbolize);
  EXPECT_TRUE(o.help);
  EXPECT_STREQ(o.log_path, "/tmp/r");
}

TEST(Options, LogPathLongerThanTheLimitIsAnError) {
  Options o;
  std::string text = "log_path=" + std::string(kMaxLogPathLength + 1, 'a');
  OptionsError e = parse_options(text.c_str(), o);
  ASSERT_TRUE(e.failed);
  EXPECT_NE(strstr(e.message, "expected a path of 1 to 200 characters in"), nullptr);
  EXPECT_STREQ(o.log_path, "");
}
