#include "concurrent_steps.h"

#include <gtest/gtest.h>

#include <atomic>
#include <cstdint>
#include <thread>
#include <vector>

namespace sentiment {
namespace {

TEST(ConcurrentStepsTest, ReportsOneCallAtATimeNeverDecreasingThenTheTotal) {
  std::atomic<int> inside{0};
  std::atomic<bool> overlapped{false};
  std::vector<int64_t> reported;  // written only inside the callback
  const StepsDone report = [&](int64_t done) {
    if (inside.fetch_add(1) != 0) overlapped = true;
    reported.push_back(done);
    std::this_thread::yield();  // widen the window for an overlap
    inside.fetch_sub(1);
  };
  ConcurrentSteps steps(report);
  constexpr int kThreads = 4;
  constexpr int kAddsPerThread = 5000;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < kAddsPerThread; ++i) steps.Add(3);
    });
  }
  for (std::thread& thread : threads) thread.join();
  steps.Finish();

  EXPECT_FALSE(overlapped.load());
  ASSERT_FALSE(reported.empty());
  for (size_t i = 1; i < reported.size(); ++i) {
    ASSERT_LE(reported[i - 1], reported[i]) << "call " << i;
  }
  EXPECT_EQ(reported.back(), int64_t{3} * kThreads * kAddsPerThread);
}

TEST(ConcurrentStepsTest, AnEmptyCallbackCountsNothingAndCallsNothing) {
  const StepsDone none;
  ConcurrentSteps steps(none);
  // Calling an empty std::function would throw std::bad_function_call.
  EXPECT_NO_THROW(steps.Add(5));
  EXPECT_NO_THROW(steps.Finish());
}

}  // namespace
}  // namespace sentiment
