// Golden tests for the port of numpy's legacy RandomState. Known outputs:
//   np.random.RandomState(42).permutation(10) -> [8 1 5 0 7 2 9 4 3 6]
//   np.random.RandomState(0).permutation(10)  -> [2 8 4 9 1 6 7 3 0 5]
//   np.random.RandomState(42).randint(0, 10, 10) -> [6 3 7 4 6 9 2 6 7 4]
//   MT19937 init_genrand(5489): first output 3499211612, 10000th 4123659995
//   MT19937 init_genrand(0) / (42): first outputs 2357136044 / 1608637542
#include "sentiment/numpy_random.h"

#include <cstdint>
#include <numeric>
#include <random>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace sentiment {
namespace {

std::vector<int> Arange(int n) {
  std::vector<int> v(n);
  std::iota(v.begin(), v.end(), 0);
  return v;
}

TEST(RandomStateTest, FullRangeIntervalReturnsRawMt19937Draw) {
  RandomState rs(5489);
  EXPECT_EQ(rs.Interval(0xFFFFFFFFu), 3499211612u);
}

TEST(RandomStateTest, FirstRawDrawMatchesNumpySeeding) {
  EXPECT_EQ(RandomState(0).Interval(0xFFFFFFFFu), 2357136044u);
  EXPECT_EQ(RandomState(42).Interval(0xFFFFFFFFu), 1608637542u);
}

TEST(RandomStateTest, TenThousandthRawDrawMatchesMt19937) {
  RandomState rs(5489);
  uint32_t last = 0;
  for (int i = 0; i < 10000; ++i) last = rs.Interval(0xFFFFFFFFu);
  EXPECT_EQ(last, 4123659995u);
}

TEST(RandomStateTest, IntervalZeroReturnsZeroWithoutConsumingADraw) {
  RandomState rs(5489);
  EXPECT_EQ(rs.Interval(0), 0u);
  EXPECT_EQ(rs.Interval(0), 0u);
  EXPECT_EQ(rs.Interval(0xFFFFFFFFu), 3499211612u);
}

TEST(RandomStateTest, IntervalMatchesNumpyRandint) {
  // np.random.RandomState(42).randint(0, 10, 10) uses the same masked
  // rejection sampling on 32-bit draws.
  RandomState rs(42);
  std::vector<uint32_t> got;
  for (int i = 0; i < 10; ++i) got.push_back(rs.Interval(9));
  EXPECT_EQ(got, (std::vector<uint32_t>{6, 3, 7, 4, 6, 9, 2, 6, 7, 4}));
}

TEST(RandomStateTest, IntervalMasksAndRejectsLikeNumpyRandomInterval) {
  // Reference: mask = smallest all-ones >= max; draw & mask, reject > max.
  for (const uint32_t max :
       {1u, 2u, 3u, 5u, 9u, 100u, 255u, 256u, 1000u, 0x7FFFFFFFu, 0x80000000u,
        0x80000001u, 0xFFFFFFFEu}) {
    uint32_t mask = max;
    mask |= mask >> 1;
    mask |= mask >> 2;
    mask |= mask >> 4;
    mask |= mask >> 8;
    mask |= mask >> 16;
    std::mt19937 reference(1234);
    RandomState rs(1234);
    for (int i = 0; i < 200; ++i) {
      uint32_t expected;
      do {
        expected = static_cast<uint32_t>(reference()) & mask;
      } while (expected > max);
      ASSERT_EQ(rs.Interval(max), expected) << "max " << max << " draw " << i;
    }
  }
}

TEST(RandomStateTest, IntervalStaysInRangeAndCoversIt) {
  RandomState rs(7);
  std::set<uint32_t> seen;
  for (int i = 0; i < 2000; ++i) {
    const uint32_t v = rs.Interval(5);
    ASSERT_LE(v, 5u);
    seen.insert(v);
  }
  EXPECT_EQ(seen.size(), 6u);
}

TEST(RandomStateTest, ShuffleMatchesNumpySeed42) {
  std::vector<int> v = Arange(10);
  RandomState(42).Shuffle(v);
  EXPECT_EQ(v, (std::vector<int>{8, 1, 5, 0, 7, 2, 9, 4, 3, 6}));
}

TEST(RandomStateTest, ShuffleMatchesNumpySeed0) {
  std::vector<int> v = Arange(10);
  RandomState(0).Shuffle(v);
  EXPECT_EQ(v, (std::vector<int>{2, 8, 4, 9, 1, 6, 7, 3, 0, 5}));
}

TEST(RandomStateTest, ShufflePermutesArbitraryElementTypes) {
  std::vector<std::string> v = {"a", "b", "c", "d", "e",
                                "f", "g", "h", "i", "j"};
  RandomState(42).Shuffle(v);
  EXPECT_EQ(v, (std::vector<std::string>{"i", "b", "f", "a", "h", "c", "j",
                                         "e", "d", "g"}));
}

TEST(RandomStateTest, ShuffleOfEmptyOrSingleElementConsumesNoDraws) {
  RandomState rs(5489);
  std::vector<int> empty;
  rs.Shuffle(empty);
  EXPECT_TRUE(empty.empty());
  std::vector<int> one = {17};
  rs.Shuffle(one);
  EXPECT_EQ(one, (std::vector<int>{17}));
  EXPECT_EQ(rs.Interval(0xFFFFFFFFu), 3499211612u);
}

TEST(RandomStateTest, SameSeedGivesSameSequence) {
  RandomState a(123456789u);
  RandomState b(123456789u);
  for (int i = 0; i < 100; ++i) {
    ASSERT_EQ(a.Interval(1000), b.Interval(1000));
  }
}

TEST(RandomStateTest, ConsecutiveShufflesContinueTheStream) {
  // Two shuffles from one RandomState differ from two fresh seed-42 shuffles.
  RandomState rs(42);
  std::vector<int> first = Arange(10);
  std::vector<int> second = Arange(10);
  rs.Shuffle(first);
  rs.Shuffle(second);
  EXPECT_EQ(first, (std::vector<int>{8, 1, 5, 0, 7, 2, 9, 4, 3, 6}));
  EXPECT_NE(second, first);
}

TEST(RandomStateTest, UniformFloatUsesTopTwentyFourBitsOfADraw) {
  // 3499211612 >> 8 == 13668795.
  RandomState rs(5489);
  EXPECT_EQ(rs.UniformFloat(), 13668795.0f / 16777216.0f);
}

}  // namespace
}  // namespace sentiment
