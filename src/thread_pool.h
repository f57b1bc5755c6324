// A fixed set of worker threads that run one task at a time, all together.
// Training calls it twice per batch, so waking the workers must be cheap:
// they spin briefly before sleeping on an atomic.
#ifndef SENTIMENT_SRC_THREAD_POOL_H_
#define SENTIMENT_SRC_THREAD_POOL_H_

#include <atomic>
#include <cstddef>
#include <functional>
#include <thread>
#include <vector>

namespace sentiment {

class ThreadPool {
 public:
  // `threads` >= 1 counts the calling thread, so 1 means no workers.
  explicit ThreadPool(int threads);
  ~ThreadPool();
  ThreadPool(const ThreadPool&) = delete;
  ThreadPool& operator=(const ThreadPool&) = delete;

  int size() const { return static_cast<int>(workers_.size()) + 1; }

  // Runs task(thread_index) for every index in [0, size()), the caller
  // taking index 0, and returns when all are done. Not reentrant.
  void Run(const std::function<void(int)>& task);

  // Splits [0, n) into size() contiguous ranges, the same for a given n and
  // thread count, and runs body(begin, end, thread_index) on each.
  void ForRanges(size_t n,
                 const std::function<void(size_t, size_t, int)>& body);

 private:
  void WorkerLoop(int index);

  std::vector<std::thread> workers_;
  const std::function<void(int)>* task_ = nullptr;
  std::atomic<uint64_t> generation_{0};
  std::atomic<int> pending_{0};
  std::atomic<bool> stopping_{false};
};

}  // namespace sentiment

#endif  // SENTIMENT_SRC_THREAD_POOL_H_
