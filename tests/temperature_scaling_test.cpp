// FitTemperature against closed-form optima, against scipy
// (tests/temperature_oracle.py) on random logits, and its refusals.
#include "sentiment/temperature_scaling.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "sentiment/activation.h"
#include "sentiment/error.h"
#include "sentiment/loss.h"

namespace sentiment {
namespace {

namespace fs = std::filesystem;

std::string ErrorOf(std::span<const float> logits, int outputs,
                    std::span<const int32_t> labels) {
  try {
    FitTemperature(logits, outputs, labels);
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::kInvalidInput);
    return error.what();
  }
  return "no error";
}

// n examples of logit a, a fraction q of them labelled 1: the loss
// q softplus(-a/T) + (1 - q) softplus(a/T) is least where sigmoid(a/T) = q,
// T = a / logit(q). With a = 2, q = 3/4: T = 2 / ln 3.
TEST(TemperatureScalingTest, BinaryOptimumIsClosedForm) {
  std::vector<float> logits;
  std::vector<int32_t> labels;
  for (int i = 0; i < 40; ++i) {
    // Half the examples mirrored (-a, labels flipped): the same optimum.
    const bool mirrored = i % 2 == 1;
    logits.push_back(mirrored ? -2.0f : 2.0f);
    const int32_t agrees = (i / 2) % 4 != 0 ? 1 : 0;  // 3 of every 4
    labels.push_back(mirrored ? 1 - agrees : agrees);
  }
  const TemperatureFit fit = FitTemperature(logits, 1, labels);
  EXPECT_NEAR(fit.temperature, 2.0 / std::log(3.0), 1e-6);
  EXPECT_LT(fit.loss_after, fit.loss_before);
  // The loss at the optimum: -(q ln q + (1 - q) ln(1 - q)).
  EXPECT_NEAR(fit.loss_after, -(0.75 * std::log(0.75) + 0.25 * std::log(0.25)),
              1e-12);
}

// Three logits (a, 0, 0), rotated, with the label on the large one in a
// fraction q of the examples and on each other class in (1 - q) / 2: the
// loss is least where e^(a/T) / (e^(a/T) + 2) = q, T = a / ln(2q / (1 - q)).
// With a = 3, q = 3/5: T = 3 / ln 3. An overconfident model gets T > 1.
TEST(TemperatureScalingTest, SoftmaxOptimumIsClosedForm) {
  std::vector<float> logits;
  std::vector<int32_t> labels;
  for (int i = 0; i < 30; ++i) {
    const int top = i % 3;
    for (int k = 0; k < 3; ++k) logits.push_back(k == top ? 3.0f : 0.0f);
    const int which = (i / 3) % 5;  // 3 of 5 on top, 1 each on the others
    labels.push_back(which < 3 ? top : (top + which - 2) % 3);
  }
  const TemperatureFit fit = FitTemperature(logits, 3, labels);
  EXPECT_NEAR(fit.temperature, 3.0 / std::log(3.0), 1e-6);
  EXPECT_GT(fit.temperature, 1.0f);
  EXPECT_LT(fit.loss_after, fit.loss_before);
}

// An underconfident model (right 90% of the time with small logits) gets
// T < 1: the probabilities sharpen.
TEST(TemperatureScalingTest, UnderconfidentLogitsGetATemperatureBelowOne) {
  std::vector<float> logits;
  std::vector<int32_t> labels;
  for (int i = 0; i < 100; ++i) {
    logits.push_back(0.5f);
    labels.push_back(i % 10 != 0 ? 1 : 0);
  }
  const TemperatureFit fit = FitTemperature(logits, 1, labels);
  EXPECT_NEAR(fit.temperature, 0.5 / std::log(9.0), 1e-6);
}

TEST(TemperatureScalingTest, LogLossAtOneIsTheModelsLoss) {
  const std::vector<float> logits = {1.5f, -0.25f, 3.0f, 0.0f, 2.0f, -1.0f};
  const std::vector<int32_t> labels = {2, 0};
  double sum = 0.0;
  sum += SparseCategoricalCrossEntropyFromLogits({logits.data(), 3}, 2);
  sum += SparseCategoricalCrossEntropyFromLogits({logits.data() + 3, 3}, 0);
  EXPECT_NEAR(TemperatureLogLoss(logits, 3, labels, 1.0), sum / 2, 1e-6);
  // softmax(z / 2) by hand for the first example, label 2.
  const double e0 = std::exp(0.75), e1 = std::exp(-0.125), e2 = std::exp(1.5);
  const double first = -std::log(e2 / (e0 + e1 + e2));
  const double f0 = std::exp(0.0), f1 = std::exp(1.0), f2 = std::exp(-0.5);
  const double second = -std::log(f0 / (f0 + f1 + f2));
  EXPECT_NEAR(TemperatureLogLoss(logits, 3, labels, 2.0),
              (first + second) / 2, 1e-12);
}

// scipy's bounded Brent search on log T against our Newton steps on 1/T,
// binary and K = 4, on noisy random logits.
TEST(TemperatureScalingTest, AgreesWithScipyOnRandomLogits) {
  const fs::path folder = fs::path(::testing::TempDir()) / "temperature_oracle";
  fs::create_directories(folder);
  std::mt19937 random(7);
  std::normal_distribution<float> noise(0.0f, 1.0f);
  std::uniform_int_distribution<int> coin(0, 99);
  for (const int outputs : {1, 4}) {
    for (const float scale : {0.3f, 4.0f}) {
      const int classes = outputs == 1 ? 2 : outputs;
      std::vector<float> logits;
      std::vector<int32_t> labels;
      for (int i = 0; i < 300; ++i) {
        const int32_t label = static_cast<int32_t>(i % classes);
        labels.push_back(label);
        if (outputs == 1) {
          logits.push_back(scale * ((label == 1 ? 1.0f : -1.0f) + 1.5f * noise(random)));
        } else {
          for (int k = 0; k < outputs; ++k) {
            logits.push_back(scale * ((k == label ? 1.0f : 0.0f) + noise(random)));
          }
        }
      }
      const nlohmann::json data = {
          {"outputs", outputs}, {"logits", logits}, {"labels", labels}};
      const fs::path input = folder / "data.json";
      const fs::path output = folder / "t.txt";
      std::ofstream(input) << data.dump();
      const std::string command = std::string(SENTIMENT_PYTHON) + " '" +
                                  SENTIMENT_TEMPERATURE_ORACLE + "' '" +
                                  input.string() + "' >'" + output.string() + "'";
      ASSERT_EQ(std::system(command.c_str()), 0) << command;
      double expected = 0.0;
      std::ifstream(output) >> expected;
      const TemperatureFit fit = FitTemperature(logits, outputs, labels);
      EXPECT_NEAR(fit.temperature, expected, 1e-5 * expected)
          << "outputs " << outputs << ", scale " << scale;
      EXPECT_LE(fit.loss_after, fit.loss_before);
      // A minimum: nudging T either way costs.
      for (const double factor : {0.999, 1.001}) {
        EXPECT_GT(TemperatureLogLoss(logits, outputs, labels,
                                     fit.temperature * factor),
                  fit.loss_after);
      }
    }
  }
  fs::remove_all(folder);
}

// At T = 1 the activation gives the bits it gave before temperatures existed.
TEST(TemperatureScalingTest, TemperatureOneReproducesTheActivationBitForBit) {
  for (const float z : {-30.0f, -2.5f, -1e-3f, 0.0f, 0.7f, 4.25f, 88.0f}) {
    float p[2];
    ClassProbabilities({&z, 1}, p, 1.0f);
    EXPECT_EQ(p[1], Sigmoid(z));
    EXPECT_EQ(p[0], 1.0f - Sigmoid(z));
  }
  const float logits[3] = {0.3f, -1.7f, 2.9f};
  const float largest = 2.9f;
  float sum = 0.0f, expected[3];
  for (int k = 0; k < 3; ++k) sum += expected[k] = std::exp(logits[k] - largest);
  for (float& e : expected) e /= sum;
  float p[3];
  ClassProbabilities(logits, p, 1.0f);
  for (int k = 0; k < 3; ++k) EXPECT_EQ(p[k], expected[k]);
  // T = 2 is softmax(z / 2), to rounding; the order of the classes stays.
  ClassProbabilities(logits, p, 2.0f);
  const double h0 = std::exp(0.15), h1 = std::exp(-0.85), h2 = std::exp(1.45);
  EXPECT_NEAR(p[2], h2 / (h0 + h1 + h2), 1e-6);
  EXPECT_GT(p[2], p[0]);
  EXPECT_GT(p[0], p[1]);
}

TEST(TemperatureScalingTest, RefusesWhatHasNoMinimum) {
  EXPECT_EQ(ErrorOf({}, 1, {}), "no labelled examples to fit the temperature on");
  // Perfectly separated: the loss falls as T shrinks.
  const std::vector<float> separated = {2.0f, -1.0f, 0.5f};
  const std::vector<int32_t> separated_labels = {1, 0, 1};
  EXPECT_EQ(ErrorOf(separated, 1, separated_labels),
            "the temperature fit does not converge: the log-loss keeps falling "
            "as T shrinks towards 0 (the logits separate the classes of this "
            "data perfectly)");
  // Wrong more often than right, or all logits zero: it falls as T grows.
  const std::string grows =
      "the temperature fit does not converge: the log-loss keeps falling as T "
      "grows without bound (the logits rank the labels no better than chance "
      "on this data)";
  const std::vector<float> wrong = {2.0f, -1.0f, 0.5f};
  const std::vector<int32_t> wrong_labels = {0, 1, 0};
  EXPECT_EQ(ErrorOf(wrong, 1, wrong_labels), grows);
  const std::vector<float> zeros(6, 0.0f);
  const std::vector<int32_t> zero_labels = {0, 2};
  EXPECT_EQ(ErrorOf(zeros, 3, zero_labels), grows);
}

}  // namespace
}  // namespace sentiment
