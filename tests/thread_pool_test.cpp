#include "thread_pool.h"

#include <gtest/gtest.h>

#include <atomic>
#include <vector>

namespace sentiment {
namespace {

TEST(ThreadPoolTest, ForRangesCoversEveryIndexOnce) {
  for (int threads : {1, 2, 3, 8}) {
    ThreadPool pool(threads);
    EXPECT_EQ(pool.size(), threads);
    for (size_t n : {0u, 1u, 2u, 7u, 1000u}) {
      std::vector<std::atomic<int>> hits(n);
      pool.ForRanges(n, [&](size_t begin, size_t end, int) {
        for (size_t i = begin; i < end; ++i) hits[i]++;
      });
      for (size_t i = 0; i < n; ++i) ASSERT_EQ(hits[i].load(), 1) << i;
    }
  }
}

TEST(ThreadPoolTest, RunsEveryThreadIndexEachTime) {
  ThreadPool pool(4);
  for (int round = 0; round < 200; ++round) {
    std::vector<std::atomic<int>> seen(4);
    pool.Run([&](int index) { seen[index]++; });
    for (int i = 0; i < 4; ++i) ASSERT_EQ(seen[i].load(), 1);
  }
}

TEST(ThreadPoolTest, RangesDependOnlyOnSizeAndThreadCount) {
  ThreadPool pool(3);
  std::vector<std::pair<size_t, size_t>> first(3), second(3);
  pool.ForRanges(10, [&](size_t b, size_t e, int i) { first[i] = {b, e}; });
  pool.ForRanges(10, [&](size_t b, size_t e, int i) { second[i] = {b, e}; });
  EXPECT_EQ(first, second);
  EXPECT_EQ(first[0].first, 0u);
  EXPECT_EQ(first[2].second, 10u);
}

}  // namespace
}  // namespace sentiment
