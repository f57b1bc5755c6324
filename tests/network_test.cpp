// Network::Initialize: Keras's initializers, their ranges and their reach;
// the logits from a token score table against the plain forward pass.
#include "sentiment/network.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <vector>

namespace sentiment {
namespace {

// 100 000 uniform draws: the gap between the largest and the end of its
// range exceeds 1e-3 of the range with probability about exp(-100).
constexpr int kRows = 2000;
constexpr int kColumns = 50;
constexpr double kReach = 1e-3;

TEST(NetworkTest, InitialEmbeddingFillsKerasUniformRange) {
  const Network network = Network::Initialize(
      NetworkConfig{.vocabulary_size = kRows, .sequence_length = 1,
                    .embedding_dim = kColumns},
      3);
  const EmbeddingMatrix& embedding = network.parameters().embedding;
  // Keras RandomUniform(-0.05, 0.05): [minval, maxval).
  EXPECT_GE(embedding.minCoeff(), -0.05f);
  EXPECT_LT(embedding.maxCoeff(), 0.05f);
  EXPECT_LT(embedding.minCoeff(), -0.05 + 0.1 * kReach);
  EXPECT_GT(embedding.maxCoeff(), 0.05 - 0.1 * kReach);
  // Uniform, not bunched: the mean is near 0 (sd of the mean 1.8e-4).
  EXPECT_NEAR(embedding.mean(), 0.0, 1e-3);
}

TEST(NetworkTest, InitialKernelFillsGlorotUniformRange) {
  // embedding_dim != outputs, so a limit from either alone is wrong, and
  // both are large enough for 100 000 draws.
  for (const auto& [dim, outputs] : {std::pair{200, 500}, std::pair{500, 200}}) {
    const Network network = Network::Initialize(
        NetworkConfig{.vocabulary_size = 1, .sequence_length = 1,
                      .embedding_dim = dim, .outputs = outputs},
        4);
    const EmbeddingMatrix& kernel = network.parameters().dense_kernel;
    const double limit = std::sqrt(6.0 / (dim + outputs));
    const double slack = 1e-6 * limit;  // float rounding of the limit
    EXPECT_GE(kernel.minCoeff(), -limit - slack) << dim << "x" << outputs;
    EXPECT_LE(kernel.maxCoeff(), limit + slack) << dim << "x" << outputs;
    EXPECT_LT(kernel.minCoeff(), -limit * (1 - kReach)) << dim << "x" << outputs;
    EXPECT_GT(kernel.maxCoeff(), limit * (1 - kReach)) << dim << "x" << outputs;
    EXPECT_NEAR(kernel.mean(), 0.0, 0.01 * limit) << dim << "x" << outputs;
  }
}

TEST(NetworkTest, InitialBiasIsZero) {
  const Network network = Network::Initialize(
      NetworkConfig{.vocabulary_size = 4, .sequence_length = 1,
                    .embedding_dim = 3, .outputs = 5},
      4);
  EXPECT_TRUE(network.parameters().dense_bias.isZero(0.0f));
}

// Logits from TokenScores() computed once must be Logits' bits exactly,
// and both the mean of the pooled rows through the Dense layer, worked out
// here in double.
TEST(NetworkTest, LogitsFromTokenScoresAreLogitsBitForBit) {
  for (const int outputs : {1, 4}) {
    for (const bool masking : {false, true}) {
      const NetworkConfig config{.vocabulary_size = 50, .sequence_length = 9,
                                 .embedding_dim = 5, .outputs = outputs,
                                 .mask_padding = masking};
      Network network = Network::Initialize(config, 7);
      for (int k = 0; k < outputs; ++k) {
        network.mutable_parameters().dense_bias(k) = 0.25f * static_cast<float>(k + 1);
      }
      const std::vector<float> scores = network.TokenScores();
      std::vector<double> sums(static_cast<size_t>(outputs));
      std::vector<float> from_table(static_cast<size_t>(outputs));
      // Texts of 9, 4 and 0 tokens, padded with id 0.
      const std::vector<std::vector<int32_t>> texts = {
          {3, 49, 1, 7, 7, 12, 30, 2, 44}, {5, 1, 18, 41, 0, 0, 0, 0, 0},
          {0, 0, 0, 0, 0, 0, 0, 0, 0}};
      // Below the vocabulary's 50 rows no table is worth computing, and an
      // empty one means the plain forward pass.
      EXPECT_TRUE(network.TokenScoresFor(49).empty());
      EXPECT_EQ(network.TokenScoresFor(50), scores);
      std::vector<float> without_table(static_cast<size_t>(outputs));
      for (const std::vector<int32_t>& ids : texts) {
        network.LogitsFromTokenScores(scores, ids, sums, from_table);
        network.LogitsFromTokenScores({}, ids, sums, without_table);
        const std::vector<float> plain = network.Logits(ids);
        EXPECT_EQ(without_table, plain);
        int pooled = 0;
        std::vector<double> mean(5, 0.0);
        for (const int32_t id : ids) {
          if (masking && id == 0) continue;
          ++pooled;
          for (int d = 0; d < 5; ++d) mean[d] += network.parameters().embedding(id, d);
        }
        for (int k = 0; k < outputs; ++k) {
          EXPECT_EQ(from_table[k], plain[k]) << outputs << " outputs, masking " << masking;
          double expected = network.parameters().dense_bias(k);
          for (int d = 0; d < 5; ++d) {
            if (pooled > 0) {
              expected += mean[d] / pooled * network.parameters().dense_kernel(d, k);
            }
          }
          EXPECT_NEAR(from_table[k], expected, 1e-6) << outputs << " outputs";
        }
      }
    }
  }
}

}  // namespace
}  // namespace sentiment
