#include "sentiment/loss.h"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

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

// -log softmax(z)[y], worked out in double.
double NaiveSparseCategorical(const std::vector<float>& z, int y) {
  double sum = 0;
  for (float v : z) sum += std::exp(static_cast<double>(v));
  return -std::log(std::exp(static_cast<double>(z[y])) / sum);
}

TEST(LossTest, SparseCategoricalMatchesNaiveFormula) {
  const std::vector<float> z = {0.5f, -1.25f, 2.0f, 0.0f};
  for (int y = 0; y < 4; ++y) {
    EXPECT_NEAR(SparseCategoricalCrossEntropyFromLogits(z, y),
                NaiveSparseCategorical(z, y), 1e-6);
    EXPECT_NEAR(LossFromLogits(z, y), NaiveSparseCategorical(z, y), 1e-6);
  }
  // Equal logits: log K.
  EXPECT_FLOAT_EQ(SparseCategoricalCrossEntropyFromLogits(std::vector<float>(3, 7.0f), 1),
                  std::log(3.0f));
}

TEST(LossTest, SparseCategoricalIsStableAtLargeLogits) {
  const std::vector<float> z = {1000.0f, -1000.0f, 0.0f};
  EXPECT_NEAR(SparseCategoricalCrossEntropyFromLogits(z, 0), 0.0f, 1e-30f);
  EXPECT_FLOAT_EQ(SparseCategoricalCrossEntropyFromLogits(z, 2), 1000.0f);
  EXPECT_FLOAT_EQ(SparseCategoricalCrossEntropyFromLogits(z, 1), 2000.0f);
}

TEST(LossTest, SparseCategoricalGradientIsSoftmaxMinusOneHot) {
  const std::vector<float> z = {0.3f, -0.7f, 1.1f};
  for (int y = 0; y < 3; ++y) {
    std::vector<float> gradient(3);
    LossGradient(z, y, gradient);
    for (int k = 0; k < 3; ++k) {
      std::vector<float> plus = z, minus = z;
      const float h = 1e-2f;
      plus[k] += h;
      minus[k] -= h;
      const double numeric =
          (NaiveSparseCategorical(plus, y) - NaiveSparseCategorical(minus, y)) / (2 * h);
      EXPECT_NEAR(gradient[k], numeric, 1e-4) << "y " << y << " k " << k;
    }
  }
}

TEST(LossTest, OneLogitIsBinaryCrossEntropy) {
  const std::vector<float> z = {0.8f};
  EXPECT_EQ(LossFromLogits(z, 1), BinaryCrossEntropyFromLogit(0.8f, 1.0f));
  EXPECT_EQ(LossFromLogits(z, 0), BinaryCrossEntropyFromLogit(0.8f, 0.0f));
  // Binary cross-entropy on z is the two-class softmax loss on [0, z].
  EXPECT_NEAR(LossFromLogits(z, 1),
              SparseCategoricalCrossEntropyFromLogits(std::vector<float>{0.0f, 0.8f}, 1),
              1e-6);
}

TEST(ActivationTest, PredictedClassIsAboveZeroOrTheFirstLargest) {
  EXPECT_EQ(PredictedClass(std::vector<float>{0.0f}), 0);  // exactly 0: first class
  EXPECT_EQ(PredictedClass(std::vector<float>{1e-30f}), 1);
  EXPECT_EQ(PredictedClass(std::vector<float>{-3.0f}), 0);
  EXPECT_EQ(PredictedClass(std::vector<float>{0.5f, 2.0f, 2.0f}), 1);  // tie: lowest
  EXPECT_EQ(PredictedClass(std::vector<float>{4.0f, 4.0f, 4.0f}), 0);
  EXPECT_EQ(PredictedClass(std::vector<float>{-1.0f, -2.0f, -0.5f}), 2);
}

TEST(ActivationTest, SoftmaxSumsToOneWithoutOverflow) {
  std::vector<float> p(3);
  Softmax(std::vector<float>{1000.0f, 999.0f, -1000.0f}, p);
  EXPECT_NEAR(p[0] + p[1] + p[2], 1.0, 1e-6);
  EXPECT_NEAR(p[0], 1.0 / (1.0 + std::exp(-1.0)), 1e-6);
  EXPECT_EQ(p[2], 0.0f);
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
