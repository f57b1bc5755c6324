#include "flush_denormals.h"

#include <gtest/gtest.h>

#include <atomic>
#include <limits>
#include <vector>

#include "sentiment/network.h"
#include "sentiment/trainer.h"
#include "thread_pool.h"

namespace sentiment {
namespace {

// Whether this thread flushes denormals: halving the smallest normal float
// gives a denormal, 0 under flush-to-zero; a denormal input multiplied back
// into the normal range reads as 0 under denormals-are-zero.
bool FlushesToZero() {
  volatile float smallest_normal = std::numeric_limits<float>::min();
  return smallest_normal * 0.5f == 0.0f;
}
bool DenormalsAreZero() {
  volatile float denormal = std::numeric_limits<float>::denorm_min() * 1024.0f;
  volatile float scale = 0x1p100f;
  return denormal * scale == 0.0f;
}

TEST(FlushDenormalsTest, FlushesInScopeAndRestoresAfter) {
  ASSERT_FALSE(FlushesToZero());
  ASSERT_FALSE(DenormalsAreZero());
  {
    const ScopedFlushDenormals flush;
    EXPECT_TRUE(FlushesToZero());
    EXPECT_TRUE(DenormalsAreZero());
    {
      const ScopedFlushDenormals nested;
      EXPECT_TRUE(FlushesToZero());
    }
    EXPECT_TRUE(FlushesToZero()) << "the inner scope restored the outer's modes";
  }
  EXPECT_FALSE(FlushesToZero());
  EXPECT_FALSE(DenormalsAreZero());
}

TEST(FlushDenormalsTest, APoolStartedInScopeFlushesOnEveryThread) {
  const ScopedFlushDenormals flush;
  ThreadPool pool(3);
  ASSERT_EQ(pool.size(), 3);
  std::vector<std::atomic<int>> flushes(3);
  pool.Run([&](int thread) {
    flushes[thread] = FlushesToZero() && DenormalsAreZero();
  });
  for (int thread = 0; thread < 3; ++thread) EXPECT_EQ(flushes[thread], 1) << thread;
}

// TensorFlow runs its CPU kernels with denormals flushed; so does Fit, and
// the caller's modes come back when it returns.
TEST(FlushDenormalsTest, FitTrainsWithDenormalsFlushed) {
  VectorizedSet training;
  for (int i = 0; i < 8; ++i) {
    training.ids.insert(training.ids.end(), {2 + i % 2, 4, 0});
    training.labels.push_back(i % 2);
  }
  Network network = Network::Initialize(
      NetworkConfig{.vocabulary_size = 6, .sequence_length = 3, .embedding_dim = 4},
      1);
  int batches = 0, flushed = 0;
  FitCallbacks callbacks;
  callbacks.on_batch = [&](int64_t, double) {
    ++batches;
    flushed += FlushesToZero() && DenormalsAreZero();
  };
  Fit(network, training, {}, FitOptions{.epochs = 2, .batch_size = 4, .threads = 2},
      callbacks);
  EXPECT_EQ(batches, 4);
  EXPECT_EQ(flushed, 4);
  EXPECT_FALSE(FlushesToZero());
  EXPECT_FALSE(DenormalsAreZero());
}

}  // namespace
}  // namespace sentiment
