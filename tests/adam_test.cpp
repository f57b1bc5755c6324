#include "sentiment/adam.h"

#include <gtest/gtest.h>

#include <vector>

namespace sentiment {
namespace {

// Expected values worked out in double precision from Keras 3's
// Adam.update_step: m += (g - m)(1 - b1); v += (g^2 - v)(1 - b2);
// alpha = lr sqrt(1 - b2^t) / (1 - b1^t); x -= alpha m / (sqrt(v) + eps).
TEST(AdamTest, TwoStepsMatchKerasUpdateRule) {
  Adam adam(AdamOptions{}, {2});
  std::vector<float> x = {1.0f, 1.0f};

  adam.BeginStep();
  std::vector<float> g1 = {0.5f, 0.5f};
  adam.Apply(0, x, g1);
  // Step 1: m = 0.05, v = 0.00025, alpha = 3.16227766e-4.
  EXPECT_NEAR(x[0], 0.9990000063245154, 1e-7);

  adam.BeginStep();
  std::vector<float> g2 = {-0.25f, 0.0f};
  adam.Apply(0, x, g2);
  // Step 2: m = 0.02, v = 0.00031225, alpha = 2.35316725e-4.
  EXPECT_NEAR(x[0], 0.9987336707920792, 1e-7);
  EXPECT_EQ(adam.iterations(), 2);
}

TEST(AdamTest, ZeroGradientStillMovesThroughMomentum) {
  Adam adam(AdamOptions{}, {1});
  std::vector<float> x = {1.0f};
  std::vector<float> g1 = {0.5f};
  std::vector<float> g0 = {0.0f};
  adam.BeginStep();
  adam.Apply(0, x, g1);
  adam.BeginStep();
  adam.Apply(0, x, g0);
  // Dense Keras Adam decays m and v and moves the variable anyway.
  EXPECT_NEAR(x[0], 0.998329952310293, 1e-7);
}

TEST(AdamTest, VariablesKeepSeparateMoments) {
  Adam adam(AdamOptions{.learning_rate = 0.1f}, {1, 1});
  std::vector<float> a = {0.0f}, b = {0.0f};
  std::vector<float> positive = {1.0f}, negative = {-1.0f};
  adam.BeginStep();
  adam.Apply(0, a, positive);
  adam.Apply(1, b, negative);
  // The first Adam step moves by about lr against the gradient's sign.
  EXPECT_NEAR(a[0], -0.1f, 1e-5);
  EXPECT_NEAR(b[0], 0.1f, 1e-5);
}

}  // namespace
}  // namespace sentiment
