// The steps train and autotune share (src/train_steps.h): the bars they
// draw while reading, adapting and vectorizing.
#include "train_steps.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "sentiment/progress.h"

namespace sentiment {
namespace {

namespace fs = std::filesystem;
const fs::path kReviews = fs::path(SENTIMENT_TEST_DATA) / "reviews";

// A clock a second ahead at every call, so every Update of a bar draws.
Progress::Clock EverySecond() {
  return [seconds = 0.0]() mutable { return seconds += 1.0; };
}

// The done counts of every `label` bar drawn in `log`, in order.
std::vector<int64_t> CountsDrawn(const std::string& log, const std::string& label) {
  std::vector<int64_t> counts;
  const std::regex bar("\r" + label + " +([0-9]+)/[0-9]+ \\[");
  for (auto it = std::sregex_iterator(log.begin(), log.end(), bar);
       it != std::sregex_iterator(); ++it) {
    counts.push_back(std::stoll((*it)[1].str()));
  }
  return counts;
}

TEST(TrainStepsTest, ReadingCountsEveryFileAcrossBothSplits) {
  for (const int threads : {1, 2}) {
    TrainOptions options;
    options.validation_split = 0.25;  // 12 training files, then 4 validation
    options.fit.threads = threads;
    std::ostringstream log;
    Progress progress(log, /*terminal=*/true, EverySecond());
    const SplitTexts texts =
        ReadSplitTexts(kReviews, options, options, progress, {});
    EXPECT_EQ(texts.training.texts.size(), 12u);
    // Threads report their files in groups; the bar never goes back, shows
    // the training split whole, then every file.
    const std::vector<int64_t> counts = CountsDrawn(log.str(), "Reading");
    ASSERT_FALSE(counts.empty()) << log.str();
    EXPECT_TRUE(std::is_sorted(counts.begin(), counts.end())) << log.str();
    EXPECT_NE(std::find(counts.begin(), counts.end(), 12), counts.end())
        << log.str();
    EXPECT_EQ(counts.back(), 16) << log.str();
  }
}

TEST(TrainStepsTest, ReadingADataFileCountsItsMegabytesParsed) {
  // 30,000 rows of about 100 bytes: 3 MB, so the bar moves more than once.
  const fs::path data =
      fs::path(::testing::TempDir()) / "train_steps_test_rows.tsv";
  {
    std::ofstream out(data, std::ios::binary);
    out << "text\tlabel\n";
    for (int i = 0; i < 30000; ++i) {
      out << "row " << i << std::string(90, i % 2 ? 'a' : 'b') << "\t"
          << (i % 2 ? "pos" : "neg") << "\n";
    }
  }
  const int64_t megabytes =
      static_cast<int64_t>((fs::file_size(data) + 999'999) / 1'000'000);
  ASSERT_EQ(megabytes, 4);
  TrainOptions options;
  std::ostringstream log;
  Progress progress(log, /*terminal=*/true, EverySecond());
  const SplitTexts texts = ReadSplitTexts(data, options, options, progress, {});
  EXPECT_EQ(texts.training.texts.size() + texts.validation.texts.size(), 30000u);
  const std::vector<int64_t> counts = CountsDrawn(log.str(), "Reading \\(MB\\)");
  ASSERT_GE(counts.size(), 3u) << log.str();
  for (size_t i = 1; i < counts.size(); ++i) EXPECT_LE(counts[i - 1], counts[i]);
  EXPECT_EQ(counts.back(), megabytes) << log.str();
  fs::remove(data);
}

TEST(TrainStepsTest, AdaptingAndVectorizingCountUpToEveryText) {
  TrainOptions options;
  options.validation_split = 0.25;
  std::ostringstream log;
  Progress progress(log, /*terminal=*/true, EverySecond());
  const SplitTexts texts = ReadSplitTexts(kReviews, options, options, progress, {});
  const VectorizedTexts vectorized =
      VectorizeTexts(texts, options.vectorizer, /*threads=*/2, progress);
  EXPECT_EQ(vectorized.training.size(), 12u);
  for (const auto& [label, total] :
       {std::pair<std::string, int64_t>{"Adapting", 12}, {"Vectorizing", 16}}) {
    const std::vector<int64_t> counts = CountsDrawn(log.str(), label);
    ASSERT_FALSE(counts.empty()) << label;
    for (size_t i = 1; i < counts.size(); ++i) {
      EXPECT_LE(counts[i - 1], counts[i]) << label;
    }
    EXPECT_EQ(counts.back(), total) << label << "\n" << log.str();
  }
}

// Training steps take a thread per 16,384 embedding values of a batch
// (batch x length x dim), at least 1 and at most --threads.
TEST(TrainStepsTest, TrainingThreadsGrowWithTheBatchsValues) {
  auto threads_for = [](int batch, int length, int dim, int threads) {
    TrainOptions options;
    options.fit.batch_size = batch;
    options.vectorizer.output_sequence_length = length;
    options.embedding_dim = dim;
    options.fit.threads = threads;
    return TrainingThreads(options);
  };
  EXPECT_EQ(threads_for(32, 250, 16, 1), 1);   // 128,000 values, one thread asked
  EXPECT_EQ(threads_for(32, 250, 16, 2), 2);   // the tutorial's shape
  EXPECT_EQ(threads_for(32, 250, 16, 16), 7);  // 128,000 / 16,384 = 7.8
  EXPECT_EQ(threads_for(32, 95, 16, 2), 2);    // 48,640: sotu_parties
  EXPECT_EQ(threads_for(32, 34, 16, 2), 1);    // 17,408: the UCI sentences
  EXPECT_EQ(threads_for(32, 32, 16, 8), 1);    // 16,384: exactly one thread's
  EXPECT_EQ(threads_for(32, 64, 16, 8), 2);    // 32,768: two threads'
  EXPECT_EQ(threads_for(1, 1, 1, 8), 1);
  // A length chosen from the data counts at the most it can be.
  EXPECT_EQ(threads_for(32, kSequenceLengthFromData, 16, 8),
            threads_for(32, TextVectorization::kMaxSequenceLengthFromData, 16, 8));
}

}  // namespace
}  // namespace sentiment
