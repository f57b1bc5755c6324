#include "cli/suggestions.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace sentiment::cli {
namespace {

TEST(EditDistanceTest, CountsEditsWithAdjacentSwapsAsOne) {
  // Worked by hand: the optimal string alignment distance.
  EXPECT_EQ(EditDistance("", ""), 0);
  EXPECT_EQ(EditDistance("", "abc"), 3);
  EXPECT_EQ(EditDistance("abc", ""), 3);
  EXPECT_EQ(EditDistance("predict", "predict"), 0);
  EXPECT_EQ(EditDistance("predcit", "predict"), 1);   // swap "ci"
  EXPECT_EQ(EditDistance("--epoch", "--epochs"), 1);  // insert
  EXPECT_EQ(EditDistance("trian", "train"), 1);       // swap "ia"
  // 2 substitutions and 1 insertion.
  EXPECT_EQ(EditDistance("kitten", "sitting"), 3);
  // Optimal string alignment edits no substring twice: 3, where the
  // unrestricted Damerau-Levenshtein distance is 2.
  EXPECT_EQ(EditDistance("ca", "abc"), 3);
  EXPECT_EQ(EditDistance("export", "expotr"), 1);
}

const std::vector<std::string> kCommands = {"train",   "evaluate", "export",
                                            "predict", "inspect",  "help"};
const std::vector<std::string> kFlags = {"--help",        "-h",
                                         "--output",      "-o",
                                         "--max-tokens",  "--sequence-length",
                                         "--standardize", "--epochs",
                                         "--seed",        "--threads"};

TEST(SuggestTest, NamesTheNearestCommand) {
  EXPECT_EQ(Suggest("predcit", kCommands), "predict");
  EXPECT_EQ(Suggest("trian", kCommands), "train");
  EXPECT_EQ(Suggest("evalute", kCommands), "evaluate");
  EXPECT_EQ(Suggest("hlep", kCommands), "help");
}

TEST(SuggestTest, NamesTheNearestFlag) {
  EXPECT_EQ(Suggest("--epoch", kFlags), "--epochs");
  EXPECT_EQ(Suggest("-epochs", kFlags), "--epochs");
  EXPECT_EQ(Suggest("--sequence-lenght", kFlags), "--sequence-length");
  EXPECT_EQ(Suggest("--max_tokens", kFlags), "--max-tokens");
}

TEST(SuggestTest, IgnoresCase) {
  EXPECT_EQ(Suggest("PREDICT", kCommands), "predict");
  EXPECT_EQ(Suggest("--Epochs", kFlags), "--epochs");
}

TEST(SuggestTest, CompletesAUniquePrefix) {
  EXPECT_EQ(Suggest("pred", kCommands), "predict");
  EXPECT_EQ(Suggest("--thr", kFlags), "--threads");
  EXPECT_EQ(Suggest("--stand", kFlags), "--standardize");
}

TEST(SuggestTest, OffersNothingForAnAmbiguousPrefix) {
  EXPECT_EQ(Suggest("e", kCommands), std::nullopt);  // evaluate or export
  EXPECT_EQ(Suggest("ex", kCommands), "export");     // the only "ex..."
  // --sequence-length or --seed.
  EXPECT_EQ(Suggest("--se", kFlags), std::nullopt);
}

TEST(SuggestTest, OffersNothingWhenNothingIsClose) {
  EXPECT_EQ(Suggest("frobnicate", kCommands), std::nullopt);
  EXPECT_EQ(Suggest("--verbose", kFlags), std::nullopt);
  EXPECT_EQ(Suggest("", kCommands), std::nullopt);
  EXPECT_EQ(Suggest("--", kFlags), std::nullopt);
  EXPECT_EQ(Suggest("x", {}), std::nullopt);
}

TEST(SuggestTest, GivesShortWordsNoEditDistanceSuggestion) {
  // One edit from "-h" and "-o", but nothing suggests either was meant.
  EXPECT_EQ(Suggest("-x", kFlags), std::nullopt);
  EXPECT_EQ(Suggest("ab", kCommands), std::nullopt);
}

}  // namespace
}  // namespace sentiment::cli
