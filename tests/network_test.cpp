// Network::Initialize: Keras's initializers, their ranges and their reach.
#include "sentiment/network.h"

#include <gtest/gtest.h>

#include <cmath>

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

}  // namespace
}  // namespace sentiment
