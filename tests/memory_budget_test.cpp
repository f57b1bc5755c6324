#include "sentiment/memory_budget.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>

#include "sentiment/error.h"

namespace sentiment {
namespace {

constexpr uint64_t kMiB = uint64_t{1} << 20;
constexpr uint64_t kGiB = uint64_t{1} << 30;

// The benchmark's corpus (tools/benchmark.sh): 25,000 reviews of about 230
// words, taken here as 2 KB each to stay on the generous side, with the
// tutorial's settings.
TrainingShape BenchmarkShape() {
  return {.files = 25'000,
          .text_bytes = 25'000 * 2'000,
          .sequence_length = 250,
          .max_tokens = 10'000,
          .embedding_dim = 16,
          .training_threads = 1};
}

std::string RefusalOf(const TrainingShape& shape,
                      const AvailableMemory& available) {
  try {
    CheckTrainingFits(shape, EstimateTrainingMemory(shape), available);
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::kInvalidInput);
    return error.what();
  }
  return "accepted";
}

TEST(MemoryBudgetTest, EstimateCountsIdsTextsEmbeddingCopiesAndMasks) {
  const TrainingMemory memory = EstimateTrainingMemory(BenchmarkShape());
  EXPECT_EQ(memory.token_ids, 25'000u * 250 * 4);
  EXPECT_EQ(memory.texts, 50'000'000u);
  EXPECT_EQ(memory.vocabulary_rows, 10'000);
  // Weights, Adam m and v, one thread's gradients.
  EXPECT_EQ(memory.embedding_copies, 4);
  EXPECT_EQ(memory.embedding, 10'000u * 16 * 4 * 4);
  EXPECT_EQ(memory.dropout_masks, 251u * 16 * 4);
  EXPECT_EQ(memory.total(), 25'000'000u + 50'000'000u + 2'560'000u + 16'064u);
}

TEST(MemoryBudgetTest, EachTrainingThreadAddsGradientsAndMasks) {
  TrainingShape shape = BenchmarkShape();
  shape.training_threads = 8;
  const TrainingMemory memory = EstimateTrainingMemory(shape);
  EXPECT_EQ(memory.embedding_copies, 3 + 8);
  EXPECT_EQ(memory.embedding, 10'000u * 16 * 4 * 11);
  EXPECT_EQ(memory.dropout_masks, 8u * 251 * 16 * 4);
}

TEST(MemoryBudgetTest, EarlyStoppingAddsACopyOfTheBestWeights) {
  TrainingShape shape = BenchmarkShape();
  shape.keeps_best_weights = true;
  const TrainingMemory memory = EstimateTrainingMemory(shape);
  // Weights, Adam m and v, one thread's gradients, the best epoch's weights.
  EXPECT_EQ(memory.embedding_copies, 5);
  EXPECT_EQ(memory.embedding, 10'000u * 16 * 4 * 5);
  const std::string refusal = RefusalOf(shape, {memory.total() - 1, "test"});
  EXPECT_NE(refusal.find("x 5 copies for weights, Adam moments, gradients and "
                         "the best epoch's weights = "),
            std::string::npos)
      << refusal;
}

TEST(MemoryBudgetTest, VocabularyIsBoundedByWhatTheTextCanHold) {
  // 16 files of 500 bytes in all hold at most (500 + 16) / 2 tokens, plus
  // padding and [UNK], whatever --max-tokens allows.
  const TrainingMemory memory =
      EstimateTrainingMemory({.files = 16,
                              .text_bytes = 500,
                              .sequence_length = 10,
                              .max_tokens = 50'000'000,
                              .embedding_dim = 16,
                              .training_threads = 1});
  EXPECT_EQ(memory.vocabulary_rows, 2 + 258);
}

TEST(MemoryBudgetTest, AbsurdSizesSaturateInsteadOfWrapping) {
  const TrainingMemory memory =
      EstimateTrainingMemory({.files = UINT64_MAX / 2,
                              .text_bytes = UINT64_MAX / 2,
                              .sequence_length = 100'000,
                              .max_tokens = 50'000'000,
                              .embedding_dim = 4096,
                              .training_threads = 1024});
  EXPECT_EQ(memory.token_ids, UINT64_MAX);
  EXPECT_EQ(memory.total(), UINT64_MAX);
}

TEST(MemoryBudgetTest, AvailableIsTheSmallestOfMemAvailableAndTheLimits) {
  const std::string meminfo =
      "MemTotal:       24683620 kB\n"
      "MemFree:        23088560 kB\n"
      "MemAvailable:   23301688 kB\n";
  AvailableMemory available =
      AvailableMemoryFrom(meminfo, std::nullopt, std::nullopt);
  EXPECT_EQ(available.bytes, uint64_t{23301688} * 1024);
  EXPECT_EQ(available.limited_by, "MemAvailable in /proc/meminfo");

  available = AvailableMemoryFrom(meminfo, 400'000u * 1024, std::nullopt);
  EXPECT_EQ(available.bytes, 400'000u * 1024);
  EXPECT_EQ(available.limited_by, "the address-space limit, ulimit -v");

  available = AvailableMemoryFrom(meminfo, 8 * kGiB, 2 * kGiB);
  EXPECT_EQ(available.bytes, 2 * kGiB);
  EXPECT_EQ(available.limited_by, "the data-segment limit, ulimit -d");
}

TEST(MemoryBudgetTest, NothingKnownMeansNothingLimits) {
  EXPECT_EQ(AvailableMemoryFrom("", std::nullopt, std::nullopt).bytes,
            UINT64_MAX);
  EXPECT_EQ(
      AvailableMemoryFrom("MemAvailable: lots\n", std::nullopt, std::nullopt)
          .bytes,
      UINT64_MAX);
  // Only a whole key counts.
  EXPECT_EQ(
      AvailableMemoryFrom("XMemAvailable: 5 kB\n", std::nullopt, std::nullopt)
          .bytes,
      UINT64_MAX);
}

TEST(MemoryBudgetTest, ThisProcessHasSomeMemory) {
  EXPECT_GT(ReadAvailableMemory().bytes, 16 * kMiB);
}

TEST(MemoryBudgetTest, RefusesWithEveryTermAndTheFlagsThatLowerIt) {
  // The fixture of tests/data/reviews with a huge sequence length and width.
  const TrainingShape shape{.files = 16,
                            .text_bytes = 497,
                            .sequence_length = 100'000,
                            .max_tokens = 10'000,
                            .embedding_dim = 4096,
                            .training_threads = 2};
  EXPECT_EQ(
      RefusalOf(shape, {400'000u * 1024, "the address-space limit, ulimit -v"}),
      "training needs about 3.1 GiB (token ids: 16 files x sequence length "
      "100000 x 4 bytes = 6.1 MiB; texts: 497 bytes; embedding: 258 rows x "
      "dim 4096 x 4 bytes x 5 copies for weights, Adam moments and "
      "gradients = 20.2 MiB; dropout masks: 2 threads x 100001 x dim 4096 "
      "x 4 bytes = 3.1 GiB), but only 390.6 MiB is available (the "
      "address-space limit, ulimit -v); lower --sequence-length, "
      "--embedding-dim, --max-tokens or --threads");
}

TEST(MemoryBudgetTest, AcceptsWhatFitsExactly) {
  const TrainingShape shape = BenchmarkShape();
  const uint64_t need = EstimateTrainingMemory(shape).total();
  EXPECT_EQ(RefusalOf(shape, {need, "test"}), "accepted");
  EXPECT_NE(RefusalOf(shape, {need - 1, "test"}), "accepted");
}

// The runs the project makes (tests, tools/train_default_model.sh, the
// 25,000-review benchmark) need well under 128 MiB, so the check can only
// refuse them on a machine that could not run them anyway.
TEST(MemoryBudgetTest, NormalRunsNeedLittle) {
  EXPECT_LT(EstimateTrainingMemory(BenchmarkShape()).total(), 128 * kMiB);
  // data/train: 2,400 files, 237 KB, default flags, --threads 1.
  EXPECT_LT(EstimateTrainingMemory({.files = 2'400,
                                    .text_bytes = 237'198,
                                    .sequence_length = 250,
                                    .max_tokens = 10'000,
                                    .embedding_dim = 16,
                                    .training_threads = 1})
                .total(),
            8 * kMiB);
}

}  // namespace
}  // namespace sentiment
