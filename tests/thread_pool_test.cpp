#include "thread_pool.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <stdexcept>
#include <thread>
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

// Runs a task in which thread `thrower` throws while the others take a while
// to finish; Run must wait for all of them and then rethrow.
void ExpectRethrowsAfterEveryThreadFinished(ThreadPool& pool, int thrower) {
  std::atomic<int> finished{0};
  try {
    pool.Run([&](int index) {
      if (index == thrower) throw std::runtime_error("task failed");
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
      finished++;
    });
    FAIL() << "Run did not rethrow";
  } catch (const std::runtime_error& error) {
    EXPECT_STREQ(error.what(), "task failed");
  }
  // Every other thread had finished before Run returned: none still uses
  // the task.
  EXPECT_EQ(finished.load(), pool.size() - 1);
}

TEST(ThreadPoolTest, RethrowsATaskExceptionOnTheCallerThread) {
  ThreadPool pool(4);
  ExpectRethrowsAfterEveryThreadFinished(pool, 0);
}

TEST(ThreadPoolTest, RethrowsATaskExceptionFromAWorker) {
  ThreadPool pool(4);
  ExpectRethrowsAfterEveryThreadFinished(pool, 2);
}

TEST(ThreadPoolTest, RethrowsTheFirstWhenEveryThreadThrows) {
  ThreadPool pool(3);
  EXPECT_THROW(pool.Run([](int) { throw std::bad_alloc(); }), std::bad_alloc);
}

TEST(ThreadPoolTest, StaysUsableAfterATaskThrew) {
  ThreadPool pool(4);
  ExpectRethrowsAfterEveryThreadFinished(pool, 3);
  ExpectRethrowsAfterEveryThreadFinished(pool, 0);
  for (int round = 0; round < 50; ++round) {
    std::vector<std::atomic<int>> seen(4);
    pool.Run([&](int index) { seen[index]++; });
    for (int i = 0; i < 4; ++i) ASSERT_EQ(seen[i].load(), 1);
  }
}

}  // namespace
}  // namespace sentiment
