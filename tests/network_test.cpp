// Network::Initialize against the numpy oracle's Keras initializers.
#include "sentiment/network.h"

#include <gtest/gtest.h>

#include <string>

#include "training_oracle.h"

namespace sentiment {
namespace {

// The oracle (tests/training_oracle.py initial_weights) draws from numpy's
// RandomState on stream 1 of the seed: the embedding uniform in
// [-0.05, 0.05) (Keras Embedding's RandomUniform), then the kernel uniform
// in +-sqrt(6 / (fan_in + fan_out)) (glorot_uniform), the bias zero.
TEST(NetworkTest, InitialWeightsAreKerasInitializersOnTheWeightStream) {
  struct Shape {
    int vocabulary, dim, outputs;
    uint32_t seed;
  };
  // Binary and K-class heads; a fan-in of 1 makes fan-out dominate the limit.
  for (const Shape& s : {Shape{50, 16, 1, 42}, Shape{6, 1, 9, 7}, Shape{4, 3, 3, 0}}) {
    SCOPED_TRACE("shape " + std::to_string(s.vocabulary) + "x" + std::to_string(s.dim) +
                 " outputs " + std::to_string(s.outputs) + " seed " + std::to_string(s.seed));
    const Network network = Network::Initialize(
        NetworkConfig{.vocabulary_size = s.vocabulary,
                      .sequence_length = 3,
                      .embedding_dim = s.dim,
                      .outputs = s.outputs},
        s.seed);
    const std::vector<nlohmann::json> oracle = RunTrainingOracle(
        "--initial-weights " + std::to_string(s.vocabulary) + " " + std::to_string(s.dim) +
        " " + std::to_string(s.outputs) + " " + std::to_string(s.seed));
    ASSERT_EQ(oracle.size(), 1u);
    const NetworkParameters& p = network.parameters();
    for (int i = 0; i < s.vocabulary; ++i) {
      for (int d = 0; d < s.dim; ++d) {
        ASSERT_FLOAT_EQ(p.embedding(i, d), oracle[0]["embedding"][i][d].get<float>())
            << "embedding " << i << "," << d;
      }
    }
    for (int d = 0; d < s.dim; ++d) {
      for (int k = 0; k < s.outputs; ++k) {
        ASSERT_FLOAT_EQ(p.dense_kernel(d, k), oracle[0]["kernel"][d][k].get<float>())
            << "kernel " << d << "," << k;
      }
    }
    for (int k = 0; k < s.outputs; ++k) EXPECT_EQ(p.dense_bias[k], 0.0f);
  }
}

}  // namespace
}  // namespace sentiment
