#include "sentiment/loss.h"

#include <gtest/gtest.h>

#include <cmath>

#include "sentiment/activation.h"

namespace sentiment {
namespace {

TEST(LossTest, StableAtLargeLogits) {
  // max(z,0) - z y + log1p(exp(-|z|)) at |z| = 100: exact to float precision.
  EXPECT_NEAR(BinaryCrossEntropyFromLogit(100.0f, 1.0f), 0.0f, 1e-30f);
  EXPECT_FLOAT_EQ(BinaryCrossEntropyFromLogit(100.0f, 0.0f), 100.0f);
  EXPECT_FLOAT_EQ(BinaryCrossEntropyFromLogit(-100.0f, 1.0f), 100.0f);
  EXPECT_NEAR(BinaryCrossEntropyFromLogit(-100.0f, 0.0f), 0.0f, 1e-30f);
  EXPECT_TRUE(std::isfinite(BinaryCrossEntropyFromLogit(1e30f, 0.0f)));
}

TEST(LossTest, LogTwoAtZeroLogit) {
  EXPECT_FLOAT_EQ(BinaryCrossEntropyFromLogit(0.0f, 0.0f), std::log(2.0f));
  EXPECT_FLOAT_EQ(BinaryCrossEntropyFromLogit(0.0f, 1.0f), std::log(2.0f));
}

TEST(LossTest, MatchesNaiveFormulaAtModerateLogits) {
  for (float z : {-3.0f, -0.5f, 0.7f, 2.5f}) {
    for (float y : {0.0f, 1.0f}) {
      const double p = 1.0 / (1.0 + std::exp(-static_cast<double>(z)));
      const double naive = -(y * std::log(p) + (1 - y) * std::log(1 - p));
      EXPECT_NEAR(BinaryCrossEntropyFromLogit(z, y), naive, 1e-6) << z << " " << y;
    }
  }
}

TEST(LossTest, GradientMatchesFiniteDifference) {
  for (float z : {-4.0f, -0.3f, 0.0f, 1.7f}) {
    for (float y : {0.0f, 1.0f}) {
      const float h = 1e-2f;
      const double numeric = (BinaryCrossEntropyFromLogit(z + h, y) -
                              BinaryCrossEntropyFromLogit(z - h, y)) /
                             (2.0 * h);
      EXPECT_NEAR(BinaryCrossEntropyGradient(z, y), numeric, 1e-4);
    }
  }
  EXPECT_FLOAT_EQ(BinaryCrossEntropyGradient(100.0f, 1.0f), 0.0f);
  EXPECT_FLOAT_EQ(BinaryCrossEntropyGradient(-100.0f, 1.0f), -1.0f);
}

TEST(ActivationTest, SigmoidIsFiniteAndSymmetric) {
  EXPECT_FLOAT_EQ(Sigmoid(0.0f), 0.5f);
  EXPECT_FLOAT_EQ(Sigmoid(-200.0f), 0.0f);
  EXPECT_FLOAT_EQ(Sigmoid(200.0f), 1.0f);
  EXPECT_NEAR(Sigmoid(2.0f) + Sigmoid(-2.0f), 1.0f, 1e-7f);
  EXPECT_NEAR(Sigmoid(1.0f), 0.7310585786300049, 1e-7);
}

}  // namespace
}  // namespace sentiment
