#include "sentiment/autotune.h"

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <set>
#include <sstream>
#include <string>

#include "sentiment/commands.h"
#include "sentiment/error.h"
#include "sentiment/model_file.h"
#include "sentiment/numpy_random.h"

namespace sentiment {
namespace {

namespace fs = std::filesystem;

const fs::path kReviews = fs::path(SENTIMENT_TEST_DATA) / "reviews";
const fs::path kTopics = fs::path(SENTIMENT_TEST_DATA) / "topics";

// Settings that fit the 16 fixture reviews in well under a second, with
// the autotune epoch cap and patience, so that trial 1 trains exactly as
// a plain train with these options.
TrainOptions FastOptions() {
  TrainOptions options;
  options.vectorizer.output_sequence_length = 10;
  options.fit.epochs = 60;
  options.fit.patience = 3;
  options.fit.batch_size = 4;
  options.fit.learning_rate = 0.05f;
  options.fit.threads = 1;
  options.validation_split = 0.25;
  return options;
}

constexpr int kSlowLength = 20000;

// Settings whose epochs take a noticeable time on the fixtures: long
// sequences of padding and one example per Adam step.
TrainOptions SlowOptions() {
  TrainOptions options = FastOptions();
  options.vectorizer.output_sequence_length = kSlowLength;
  options.fit.batch_size = 1;
  options.embedding_dim = 64;
  return options;
}

AutotuneOptions Trials(int n) {
  AutotuneOptions autotune;
  autotune.trials = n;
  return autotune;
}

AutotuneOptions Seconds(double seconds) {
  AutotuneOptions autotune;
  autotune.seconds = seconds;
  return autotune;
}

std::string Bytes(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

int CountLines(const std::string& text, const std::string& prefix) {
  int count = 0;
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind(prefix, 0) == 0) ++count;
  }
  return count;
}

class AutotuneTest : public ::testing::Test {
 protected:
  void SetUp() override {
    folder_ = fs::path(::testing::TempDir()) /
              ("autotune_test_" +
               std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()));
    fs::remove_all(folder_);
    fs::create_directories(folder_);
  }
  void TearDown() override { fs::remove_all(folder_); }

  fs::path folder_;
};

TEST(AutotuneSequenceTest, StartsWithTheUsersSettingsThenTheSpaceWithoutRepeats) {
  const std::vector<AutotuneSettings> space = AutotuneSpace();
  EXPECT_EQ(space.size(), 180u);
  // The defaults are a point of the space: 180 trials in all.
  const AutotuneSettings defaults = SettingsOf(TrainOptions{});
  const auto sequence = AutotuneSequence(defaults, 42);
  ASSERT_EQ(sequence.size(), 180u);
  EXPECT_EQ(sequence[0], defaults);
  std::set<std::string> seen;
  for (const AutotuneSettings& s : sequence) {
    EXPECT_TRUE(seen.insert(DescribeSettings(s)).second) << DescribeSettings(s);
  }
  // Settings outside the space come first, then all 180.
  const auto custom = AutotuneSequence(SettingsOf(FastOptions()), 42);
  ASSERT_EQ(custom.size(), 181u);
  EXPECT_EQ(custom[0].learning_rate, 0.05f);
  // A function of the seed: the same seed, the same order; another, another.
  EXPECT_EQ(AutotuneSequence(defaults, 42), sequence);
  EXPECT_NE(AutotuneSequence(defaults, 43), sequence);
}

// Worked out with numpy: idx = np.arange(180);
// np.random.RandomState(2954428840).shuffle(idx), where 2954428840 is
// DeriveSeed(42, kAutotune), starts 28, 32, 45, 2, 62; the defaults are
// index 0 of the space, so none of these is skipped.
TEST(AutotuneSequenceTest, FollowsNumpysShuffleOfTheAutotuneStream) {
  EXPECT_EQ(DeriveSeed(42, SeedStream::kAutotune), 2954428840u);
  const auto sequence = AutotuneSequence(SettingsOf(TrainOptions{}), 42);
  const std::vector<AutotuneSettings> expected = {
      {0.001f, 16, 1, false, 10000},  // trial 1: the defaults
      {0.001f, 64, 1, true, 20000},   // 28
      {0.001f, 64, 2, false, 50000},  // 32
      {0.003f, 16, 2, true, 10000},   // 45
      {0.001f, 16, 1, false, 50000},  // 2
      {0.003f, 64, 1, false, 50000},  // 62
  };
  for (size_t i = 0; i < expected.size(); ++i) {
    EXPECT_EQ(DescribeSettings(sequence[i]), DescribeSettings(expected[i])) << i;
  }
}

TEST(AutotuneChoiceTest, HigherAccuracyThenLowerLossWins) {
  const auto trial = [](double val_accuracy, double val_loss) {
    TrialResult result;
    EpochMetrics metrics;
    metrics.val_loss = 9.0;  // an epoch that is not the kept one
    result.history.push_back(metrics);
    metrics.val_accuracy = val_accuracy;
    metrics.val_loss = val_loss;
    result.history.push_back(metrics);
    result.kept_epoch = 1;
    return result;
  };
  EXPECT_TRUE(BetterTrial(trial(0.8, 0.5), trial(0.7, 0.1)));
  EXPECT_FALSE(BetterTrial(trial(0.7, 0.1), trial(0.8, 0.5)));
  EXPECT_TRUE(BetterTrial(trial(0.8, 0.3), trial(0.8, 0.4)));
  EXPECT_FALSE(BetterTrial(trial(0.8, 0.4), trial(0.8, 0.3)));
  // A full tie is not better: the earlier trial keeps its place.
  EXPECT_FALSE(BetterTrial(trial(0.8, 0.3), trial(0.8, 0.3)));
}

TEST(AutotuneSequenceTest, TrialsTrainThroughEarlyStopping) {
  TrainOptions user;
  user.fit.epochs = 10;
  const TrainOptions trial = TrialOptions(user, AutotuneSpace()[7]);
  EXPECT_EQ(trial.fit.epochs, 50);
  EXPECT_EQ(trial.fit.patience, 3);
  EXPECT_EQ(SettingsOf(trial), AutotuneSpace()[7]);
  user.fit.epochs = 80;
  user.fit.patience = 5;
  EXPECT_EQ(TrialOptions(user, AutotuneSpace()[7]).fit.epochs, 80);
  EXPECT_EQ(TrialOptions(user, AutotuneSpace()[7]).fit.patience, 5);
}

TEST_F(AutotuneTest, SameTrialCountAndSeedWriteTheSameBytes) {
  for (const fs::path& data : {kReviews, kTopics}) {
    std::ostringstream log_a, log_b;
    const AutotuneReport a = RunAutotune(data, folder_ / "a", FastOptions(),
                                         Trials(4), log_a);
    const AutotuneReport b = RunAutotune(data, folder_ / "b", FastOptions(),
                                         Trials(4), log_b);
    EXPECT_EQ(a.trials.size(), 4u);
    EXPECT_EQ(CountLines(log_a.str(), "Trial "), 4) << log_a.str();
    EXPECT_EQ(CountLines(log_a.str(), "Chose trial "), 1) << log_a.str();
    EXPECT_EQ(CountLines(log_a.str(), "Epoch "), 0) << log_a.str();
    EXPECT_EQ(a.chosen, b.chosen);
    const std::string bytes = Bytes(folder_ / "a");
    EXPECT_FALSE(bytes.empty());
    EXPECT_EQ(bytes, Bytes(folder_ / "b")) << data;
  }
}

TEST_F(AutotuneTest, FirstTrialIsAPlainTrainWithTheSameOptions) {
  std::ostringstream log;
  RunTrain(kTopics, folder_ / "plain", FastOptions(), log);
  const AutotuneReport report =
      RunAutotune(kTopics, folder_ / "tuned", FastOptions(), Trials(1), log);
  ASSERT_EQ(report.trials.size(), 1u);
  const ModelFile plain = ReadModelFile(folder_ / "plain");
  const TrialResult& first = report.trials[0];
  ASSERT_EQ(first.history.size(), plain.model.history.size());
  for (size_t i = 0; i < first.history.size(); ++i) {
    EXPECT_EQ(first.history[i].val_loss, plain.model.history[i].val_loss) << i;
    EXPECT_EQ(first.history[i].val_accuracy, plain.model.history[i].val_accuracy) << i;
  }
  // One trial is the only choice: the file is the plain train's, byte for byte.
  EXPECT_EQ(Bytes(folder_ / "tuned"), Bytes(folder_ / "plain"));
}

TEST_F(AutotuneTest, WritesTheBestTrialByAccuracyThenLossThenOrder) {
  std::ostringstream log;
  const AutotuneReport report =
      RunAutotune(kTopics, folder_ / "model", FastOptions(), Trials(8), log);
  ASSERT_EQ(report.trials.size(), 8u);
  ASSERT_GE(report.chosen, 0);
  const TrialResult& chosen = report.trials[report.chosen];
  const EpochMetrics& best = chosen.history[chosen.kept_epoch];
  for (size_t i = 0; i < report.trials.size(); ++i) {
    const TrialResult& trial = report.trials[i];
    if (trial.kept_epoch < 0) continue;
    const EpochMetrics& kept = trial.history[trial.kept_epoch];
    // No trial beats the chosen one; the earlier ones lose to it.
    EXPECT_TRUE(kept.val_accuracy < best.val_accuracy ||
                (kept.val_accuracy == best.val_accuracy &&
                 kept.val_loss >= best.val_loss))
        << "trial " << trial.number;
    if (static_cast<int>(i) < report.chosen) {
      EXPECT_TRUE(BetterTrial(chosen, trial)) << "trial " << trial.number;
    }
  }
  EXPECT_NE(log.str().find("Chose trial " + std::to_string(chosen.number) + " of 8"),
            std::string::npos)
      << log.str();

  // The file holds the chosen trial as trained: its settings, history and
  // weights (its kept epoch's validation loss).
  const ModelFile file = ReadModelFile(folder_ / "model");
  EXPECT_EQ(SettingsOf(file.model.options), chosen.settings);
  EXPECT_EQ(file.model.options.fit.patience, 3);
  ASSERT_EQ(file.model.history.size(), chosen.history.size());
  EXPECT_EQ(file.model.history.back().val_loss, chosen.history.back().val_loss);
  EXPECT_EQ(file.model.network.config().embedding_dim,
            chosen.settings.embedding_dim);
  EXPECT_EQ(file.model.vectorizer.options().ngrams, chosen.settings.ngrams);
  RunEvaluate(folder_ / "model", kTopics, log);
}

TEST_F(AutotuneTest, FinishesWithinTheTimeBudget) {
  constexpr double kBudget = 1.5;
  std::ostringstream log;
  const auto start = std::chrono::steady_clock::now();
  const AutotuneReport report =
      RunAutotune(kTopics, folder_ / "model", SlowOptions(), Seconds(kBudget), log);
  const double seconds = std::chrono::duration<double>(
                             std::chrono::steady_clock::now() - start)
                             .count();
  EXPECT_LE(seconds, kBudget * 1.1) << log.str();
  // The budget, not the space, ended the search: some settings never ran,
  // whether cut off at the deadline or skipped as too slow for the time left
  // (skipping may reach the end of the sequence, so count trials alone).
  const size_t settings =
      AutotuneSequence(SettingsOf(SlowOptions()), SlowOptions().fit.seed).size();
  EXPECT_LT(report.trials.size(), settings) << log.str();
  EXPECT_TRUE(fs::exists(folder_ / "model"));
  EXPECT_GE(report.chosen, 0);
}

TEST_F(AutotuneTest, TooSmallABudgetIsAClearErrorAndWritesNothing) {
  std::ostringstream log;
  TrainOptions options = SlowOptions();
  // An epoch of 18 steps over 100000 x 256 embedding values each: far
  // longer than the budget.
  options.vectorizer.output_sequence_length = 5 * kSlowLength;
  options.embedding_dim = 256;
  try {
    RunAutotune(kTopics, folder_ / "model", options, Seconds(0.2), log);
    ADD_FAILURE() << "expected an Error; log: " << log.str();
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::kInvalidInput);
    const std::string message = error.what();
    EXPECT_NE(message.find("--autotune 0.2: the budget ran out before any "
                           "trial completed an epoch"),
              std::string::npos)
        << message;
    EXPECT_NE(message.find("one epoch of trial 1 takes about"), std::string::npos)
        << message;
  }
  EXPECT_FALSE(fs::exists(folder_ / "model"));
}

TEST_F(AutotuneTest, RefusesAValidationSplitOfZero) {
  TrainOptions options = FastOptions();
  options.validation_split = 0.0;
  options.fit.patience = 0;
  std::ostringstream log;
  try {
    RunAutotune(kReviews, folder_ / "model", options, Trials(2), log);
    ADD_FAILURE() << "expected an Error";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::kInvalidInput);
    EXPECT_STREQ(error.what(),
                 "--autotune needs a validation set to score the trials on; "
                 "set --validation-split above 0");
  }
  EXPECT_FALSE(fs::exists(folder_ / "model"));
}

TEST_F(AutotuneTest, RefusesABadBudget) {
  std::ostringstream log;
  EXPECT_THROW(RunAutotune(kReviews, folder_ / "m", FastOptions(), {}, log), Error);
  EXPECT_THROW(RunAutotune(kReviews, folder_ / "m", FastOptions(), Seconds(0), log),
               Error);
  EXPECT_THROW(RunAutotune(kReviews, folder_ / "m", FastOptions(), Trials(0), log),
               Error);
  EXPECT_FALSE(fs::exists(folder_ / "m"));
}

}  // namespace
}  // namespace sentiment
