#include "cli/usage_errors.h"

#include <gtest/gtest.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <sstream>
#include <string>
#include <vector>

namespace sentiment::cli {
namespace {

// A small command line shaped like sentiment's.
class UsageErrorsTest : public ::testing::Test {
 protected:
  UsageErrorsTest() {
    app_.set_version_flag("-V,--version", "1.0");
    app_.require_subcommand(1);
    CLI::App* train = app_.add_subcommand("train", "Train a model");
    train->add_option("DIR", dir_, "Training directory")->required();
    train->add_option("-o,--output", output_, "Model to write")->required();
    train->add_option("--epochs", epochs_, "Passes");
    CLI::App* predict = app_.add_subcommand("predict", "Predict");
    predict->add_option("BUNDLE", dir_, "Bundle")->required();
    predict->add_flag("--logits", logits_, "Raw logits");
  }

  // The line DescribeParseError prints for `args`, or "" when they parse.
  std::string ParseErrorFor(std::vector<std::string> args) {
    std::reverse(args.begin(), args.end());  // CLI11 parses from the back
    try {
      app_.parse(args);
    } catch (const CLI::ParseError& error) {
      return DescribeParseError(app_, error);
    }
    return "";
  }

  CLI::App app_{"Test tool", "tool"};
  std::string dir_, output_;
  int epochs_ = 1;
  bool logits_ = false;
};

TEST_F(UsageErrorsTest, ListsNamesFromTheApp) {
  EXPECT_EQ(CommandNames(app_), (std::vector<std::string>{"train", "predict"}));
  EXPECT_EQ(
      FlagNames(*app_.get_subcommand("train")),
      (std::vector<std::string>{"--help", "-h", "--output", "-o", "--epochs"}));
}

TEST_F(UsageErrorsTest, NamesAnUnknownCommandWithASuggestion) {
  EXPECT_EQ(ParseErrorFor({"predcit", "x"}),
            "tool: unknown command 'predcit'; did you mean 'predict'? "
            "(see 'tool --help')");
  EXPECT_EQ(ParseErrorFor({"frobnicate"}),
            "tool: unknown command 'frobnicate' (see 'tool --help')");
  EXPECT_EQ(ParseErrorFor({"hlep"}),
            "tool: unknown command 'hlep'; did you mean 'help'? "
            "(see 'tool --help')");
}

TEST_F(UsageErrorsTest, NamesAnUnknownFlagWithASuggestion) {
  EXPECT_EQ(ParseErrorFor({"train", "d", "-o", "m", "--epoch", "5"}),
            "tool train: unknown flag '--epoch'; did you mean '--epochs'? "
            "(see 'tool train --help')");
  EXPECT_EQ(ParseErrorFor({"train", "d", "-o", "m", "--epoch=5"}),
            "tool train: unknown flag '--epoch'; did you mean '--epochs'? "
            "(see 'tool train --help')");
  EXPECT_EQ(ParseErrorFor({"--verison"}),
            "tool: unknown flag '--verison'; did you mean '--version'? "
            "(see 'tool --help')");
}

TEST_F(UsageErrorsTest, NamesAnUnknownFlagBeforeAMissingArgument) {
  EXPECT_EQ(ParseErrorFor({"predict", "--logit"}),
            "tool predict: unknown flag '--logit'; did you mean '--logits'? "
            "(see 'tool predict --help')");
}

TEST_F(UsageErrorsTest, CoversAFlagAddedLater) {
  bool all = false;
  app_.get_subcommand("predict")->add_flag("--all", all, "Every class");
  EXPECT_EQ(ParseErrorFor({"predict", "b", "--al"}),
            "tool predict: unknown flag '--al'; did you mean '--all'? "
            "(see 'tool predict --help')");
}

TEST_F(UsageErrorsTest, NamesTheCommandsWhenNoneIsGiven) {
  EXPECT_EQ(
      ParseErrorFor({}),
      "tool: a command is required: train or predict (see 'tool --help')");
}

TEST_F(UsageErrorsTest, KeepsCliElevensMessageForOtherErrors) {
  EXPECT_EQ(ParseErrorFor({"predict"}),
            "tool: BUNDLE is required (see 'tool predict --help')");
  EXPECT_EQ(ParseErrorFor({"predict", "a", "b"}),
            "tool: The following argument was not expected: b "
            "(see 'tool predict --help')");
}

TEST_F(UsageErrorsTest, NegativeNumbersAreNotFlags) {
  EXPECT_EQ(DescribeUnknownName(app_), std::nullopt);
  ParseErrorFor({"predict", "b", "-5"});
  EXPECT_EQ(DescribeUnknownName(app_), std::nullopt);
}

TEST_F(UsageErrorsTest, HelpCommandPrintsTopLevelOrCommandHelp) {
  std::ostringstream out, err;
  EXPECT_EQ(RunHelpCommand(app_, {}, out, err), 0);
  EXPECT_NE(out.str().find("Test tool"), std::string::npos);
  EXPECT_NE(out.str().find("predict"), std::string::npos);
  EXPECT_EQ(err.str(), "");

  out.str("");
  EXPECT_EQ(RunHelpCommand(app_, {"predict"}, out, err), 0);
  EXPECT_NE(out.str().find("Usage: tool predict"), std::string::npos);
  EXPECT_NE(out.str().find("--logits"), std::string::npos);
  EXPECT_EQ(err.str(), "");
}

TEST_F(UsageErrorsTest, HelpCommandNamesAnUnknownCommand) {
  std::ostringstream out, err;
  EXPECT_EQ(RunHelpCommand(app_, {"predcit"}, out, err), 2);
  EXPECT_EQ(out.str(), "");
  EXPECT_EQ(err.str(),
            "tool: unknown command 'predcit'; did you mean 'predict'? "
            "(see 'tool --help')\n");
  err.str("");
  EXPECT_EQ(RunHelpCommand(app_, {"train", "predict"}, out, err), 2);
  EXPECT_EQ(err.str(),
            "tool help: unexpected argument 'predict'; it takes one command "
            "name (see 'tool --help')\n");
}

}  // namespace
}  // namespace sentiment::cli
