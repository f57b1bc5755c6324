#include "sentiment/logit_histogram.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <vector>

#include "sentiment/activation.h"

namespace sentiment {
namespace {

TEST(LogitHistogramTest, MarginIsTheLogitForOneOutput) {
  const float logit[] = {-1.25f};
  EXPECT_EQ(LogitMargin(logit, 0), -1.25f);
  EXPECT_EQ(LogitMargin(logit, 1), -1.25f);
}

TEST(LogitHistogramTest, MarginIsOwnLogitMinusTheLargestOther) {
  const float logits[] = {1.0f, 3.0f, -2.0f};
  EXPECT_EQ(LogitMargin(logits, 1), 2.0f);   // 3 - 1
  EXPECT_EQ(LogitMargin(logits, 0), -2.0f);  // 1 - 3
  EXPECT_EQ(LogitMargin(logits, 2), -5.0f);  // -2 - 3
}

// The default bins, worked out by hand: width 0.5, closed on the right.
TEST(LogitHistogramTest, DefaultBinsAreClosedOnTheRight) {
  const HistogramBins bins;
  EXPECT_EQ(bins.width(), 0.5);
  EXPECT_EQ(bins.Slot(-10.5), 0);   // underflow
  EXPECT_EQ(bins.Slot(-10.0), 0);   // the low edge itself is underflow
  EXPECT_EQ(bins.Slot(-9.99), 1);   // (-10, -9.5]
  EXPECT_EQ(bins.Slot(-9.5), 1);
  EXPECT_EQ(bins.Slot(-9.49), 2);
  EXPECT_EQ(bins.Slot(0.0), 20);    // (-0.5, 0]
  EXPECT_EQ(bins.Slot(1e-6), 21);   // (0, 0.5]
  EXPECT_EQ(bins.Slot(10.0), 40);   // (9.5, 10]
  EXPECT_EQ(bins.Slot(10.01), 41);  // overflow
  EXPECT_EQ(bins.Slot(std::numeric_limits<double>::infinity()), 41);
  EXPECT_EQ(bins.Slot(-std::numeric_limits<double>::infinity()), 0);
  EXPECT_EQ(bins.Slot(std::nan("")), 41);
}

TEST(LogitHistogramTest, CountsAndMeansByTrueClass) {
  const std::vector<float> margins = {-1.0f, 0.25f, 3.0f, -12.0f, 0.0f};
  const std::vector<int32_t> labels = {0, 1, 1, 0, 0};
  const LogitHistogram histogram = HistogramOfMargins(margins, labels, 2);
  ASSERT_EQ(histogram.counts.size(), 2u);
  ASSERT_EQ(histogram.counts[0].size(), 42u);
  // Slot b holds (-10 + 0.5 (b - 1), -10 + 0.5 b].
  std::vector<int64_t> negative(42, 0), positive(42, 0);
  negative[0] = 1;   // -12: underflow
  negative[18] = 1;  // -1 in (-1.5, -1]
  negative[20] = 1;  // 0 in (-0.5, 0]
  positive[21] = 1;  // 0.25 in (0, 0.5]
  positive[26] = 1;  // 3 in (2.5, 3]
  EXPECT_EQ(histogram.counts[0], negative);
  EXPECT_EQ(histogram.counts[1], positive);
  EXPECT_DOUBLE_EQ(histogram.means[0], (-1.0 - 12.0 + 0.0) / 3);
  EXPECT_DOUBLE_EQ(histogram.means[1], (0.25 + 3.0) / 2);
  EXPECT_EQ(histogram.Total(0), 3);
  EXPECT_EQ(histogram.Total(1), 2);
}

// For one logit the share on the correct side is the accuracy by class:
// PredictedClass says class 1 exactly when z > 0.
TEST(LogitHistogramTest, CorrectSideMatchesPredictedClassForOneLogit) {
  const std::vector<float> margins = {-0.5f, 0.0f, 0.1f, 7.0f, -3.0f, 0.0f, 2.0f};
  const std::vector<int32_t> labels = {0, 0, 0, 1, 1, 1, 1};
  const LogitHistogram histogram = HistogramOfMargins(margins, labels, 2);
  int64_t correct[2] = {0, 0};
  for (size_t i = 0; i < margins.size(); ++i) {
    const float logit[] = {margins[i]};
    if (PredictedClass(logit) == labels[i]) ++correct[labels[i]];
  }
  EXPECT_EQ(histogram.Correct(0, 2), correct[0]);  // -0.5 and 0
  EXPECT_EQ(histogram.Correct(1, 2), correct[1]);  // 7 and 2
  EXPECT_EQ(correct[0], 2);
  EXPECT_EQ(correct[1], 2);
}

TEST(LogitHistogramTest, CorrectSideForSeveralClassesIsAPositiveMargin) {
  const std::vector<float> margins = {1.0f, -1.0f, 0.0f, 0.5f};
  const std::vector<int32_t> labels = {2, 2, 2, 0};
  const LogitHistogram histogram = HistogramOfMargins(margins, labels, 3);
  EXPECT_EQ(histogram.Correct(2, 3), 1);
  EXPECT_EQ(histogram.Correct(0, 3), 1);
  EXPECT_EQ(histogram.Total(1), 0);
  EXPECT_TRUE(std::isnan(histogram.means[1]));
}

TEST(LogitHistogramTest, PooledSumsTheClasses) {
  const std::vector<float> margins = {1.0f, -1.0f, 0.0f, 4.0f};
  const std::vector<int32_t> labels = {2, 2, 0, 0};
  const LogitHistogram pooled = HistogramOfMargins(margins, labels, 3).Pooled();
  const std::vector<int32_t> one_class = {0, 0, 0, 0};
  EXPECT_EQ(pooled.counts, HistogramOfMargins(margins, one_class, 1).counts);
  ASSERT_EQ(pooled.means.size(), 1u);
  EXPECT_DOUBLE_EQ(pooled.means[0], 1.0);  // class 1 has none and is skipped
}

TEST(LogitHistogramTest, NoExampleGivesAnEmptyHistogram) {
  EXPECT_TRUE(HistogramOfMargins({}, {}, 2).empty());
}

}  // namespace
}  // namespace sentiment
