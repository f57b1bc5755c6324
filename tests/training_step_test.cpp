#include "sentiment/training_step.h"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "sentiment/numpy_random.h"

namespace sentiment {
namespace {

constexpr int kVocabulary = 6;
constexpr int kLength = 3;
constexpr int kDim = 4;

// A network with weights of order 1, so every path carries gradient.
Network MakeNetwork() {
  NetworkConfig config{.vocabulary_size = kVocabulary,
                       .sequence_length = kLength,
                       .embedding_dim = kDim,
                       .dropout = 0.5f};
  RandomState random(7);
  NetworkParameters p;
  p.embedding.resize(kVocabulary, kDim);
  for (Eigen::Index i = 0; i < p.embedding.size(); ++i) {
    p.embedding.data()[i] = 2.0f * random.UniformFloat() - 1.0f;
  }
  p.dense_kernel.resize(kDim);
  for (int i = 0; i < kDim; ++i) p.dense_kernel[i] = 2.0f * random.UniformFloat() - 1.0f;
  p.dense_bias = 0.3f;
  return Network(config, p);
}

// Three examples; id 5 never occurs, id 0 (padding) does.
const std::vector<int32_t> kIds = {2, 3, 0,  4, 4, 1,  2, 0, 0};
const std::vector<float> kLabels = {1.0f, 0.0f, 1.0f};

double Loss(const Network& network, const DropoutMasks& masks) {
  return ForwardBackward(network, kIds, kLabels, masks, nullptr).loss_sum /
         kLabels.size();
}

// Central differences of the batch-mean loss, parameter by parameter, with
// the dropout masks held fixed.
void ExpectGradientsMatchFiniteDifferences(const DropoutMasks& masks) {
  Network network = MakeNetwork();
  Gradients gradients(network.config());
  ForwardBackward(network, kIds, kLabels, masks, &gradients);

  const float h = 1e-2f;
  const auto numeric = [&](float& parameter) {
    const float saved = parameter;
    parameter = saved + h;
    const double plus = Loss(network, masks);
    parameter = saved - h;
    const double minus = Loss(network, masks);
    parameter = saved;
    return (plus - minus) / (2.0 * h);
  };
  NetworkParameters& p = network.mutable_parameters();
  for (int row = 0; row < kVocabulary; ++row) {
    for (int col = 0; col < kDim; ++col) {
      EXPECT_NEAR(gradients.embedding(row, col), numeric(p.embedding(row, col)),
                  2e-4)
          << "embedding(" << row << ", " << col << ")";
    }
  }
  for (int i = 0; i < kDim; ++i) {
    EXPECT_NEAR(gradients.dense_kernel[i], numeric(p.dense_kernel[i]), 2e-4)
        << "dense_kernel[" << i << "]";
  }
  EXPECT_NEAR(gradients.dense_bias, numeric(p.dense_bias), 2e-4);
}

TEST(TrainingStepTest, GradientsMatchFiniteDifferencesWithoutDropout) {
  ExpectGradientsMatchFiniteDifferences(DropoutMasks::None(3, kLength, kDim));
}

TEST(TrainingStepTest, GradientsMatchFiniteDifferencesWithDropout) {
  const DropoutMasks masks = DropoutMasks::Draw(3, kLength, kDim, 0.5f, 3);
  // The masks must really drop something for this test to mean anything.
  EXPECT_LT(masks.embedding.minCoeff(), 0.5f);
  EXPECT_LT(masks.pooled.minCoeff(), 0.5f);
  ExpectGradientsMatchFiniteDifferences(masks);
}

TEST(TrainingStepTest, UnusedRowsGetZeroGradient) {
  Network network = MakeNetwork();
  Gradients gradients(network.config());
  ForwardBackward(network, kIds, kLabels, DropoutMasks::None(3, kLength, kDim),
                  &gradients);
  EXPECT_EQ(gradients.embedding.row(5).squaredNorm(), 0.0f);
  EXPECT_GT(gradients.embedding.row(0).squaredNorm(), 0.0f);
}

TEST(TrainingStepTest, DropoutMasksAreZeroOrInverseKeepRate) {
  const DropoutMasks masks = DropoutMasks::Draw(4, 50, 8, 0.2f, 11);
  int dropped = 0;
  for (Eigen::Index i = 0; i < masks.embedding.size(); ++i) {
    const float value = masks.embedding.data()[i];
    ASSERT_TRUE(value == 0.0f || value == 1.25f) << value;
    dropped += value == 0.0f;
  }
  // 1600 draws at rate 0.2: expect 320 dropped, give or take a few sigma.
  EXPECT_GT(dropped, 250);
  EXPECT_LT(dropped, 390);
}

TEST(TrainingStepTest, NoDropoutForwardEqualsInferenceLogit) {
  const Network network = MakeNetwork();
  const std::vector<int32_t> ids = {4, 4, 1};
  const std::vector<float> label = {1.0f};
  const BatchResult result = ForwardBackward(
      network, ids, label, DropoutMasks::None(1, kLength, kDim), nullptr);
  const float logit = network.Logit(ids);
  EXPECT_NEAR(result.loss_sum, std::log1p(std::exp(-logit)), 1e-6);
}

}  // namespace
}  // namespace sentiment
