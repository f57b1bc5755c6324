// A fixed set of worker threads that run one task at a time, all together.
// Training calls it twice per batch, so waking the workers must be cheap:
// they spin up to 100 us before sleeping on an atomic, unless the pool has
// more threads than the process has CPUs.
#ifndef SENTIMENT_SRC_THREAD_POOL_H_
#define SENTIMENT_SRC_THREAD_POOL_H_

#include <pthread.h>

#include <atomic>
#include <chrono>
#include <cstddef>
#include <exception>
#include <functional>
#include <mutex>
#include <vector>

namespace sentiment {

class ThreadPool {
 public:
  // `threads` >= 1 counts the calling thread, so 1 means no workers. Workers
  // get kWorkerStackBytes of stack, not the 8 MiB that `ulimit -s` gives
  // the main thread, so many threads do not use up an address-space limit.
  // When the system refuses to start a thread (ulimit -u, ulimit -v) the
  // pool keeps the workers it could start: size() is then smaller than
  // `threads`, at least 1. Throws nothing for that reason. Under an
  // address-space limit it starts no more workers than a quarter of the
  // room left holds, so the work still has memory.
  explicit ThreadPool(int threads);
  ~ThreadPool();
  ThreadPool(const ThreadPool&) = delete;
  ThreadPool& operator=(const ThreadPool&) = delete;

  // The threads that run a task, the caller included.
  static constexpr size_t kWorkerStackBytes = size_t{2} << 20;

  int size() const { return static_cast<int>(workers_.size()) + 1; }

  // Runs task(thread_index) for every index in [0, size()), the caller
  // taking index 0, and returns when all are done. When tasks throw, it
  // still waits for every thread to finish its task, then rethrows the first
  // exception; the pool stays usable. Not reentrant.
  void Run(const std::function<void(int)>& task);

  // Splits [0, n) into size() contiguous ranges, the same for a given n and
  // thread count, and runs body(begin, end, thread_index) on each.
  void ForRanges(size_t n,
                 const std::function<void(size_t, size_t, int)>& body);

 private:
  struct WorkerStart {
    ThreadPool* pool;
    int index;
  };
  static void* StartWorker(void* start);
  void WorkerLoop(int index);
  // Keeps `error` if it is the first exception of the current Run.
  void RecordError(std::exception_ptr error);

  std::vector<WorkerStart> starts_;  // reserved up front: never moves
  std::vector<pthread_t> workers_;
  const std::function<void(int)>* task_ = nullptr;
  std::atomic<uint64_t> generation_{0};
  std::atomic<int> pending_{0};
  std::atomic<bool> stopping_{false};
  // How long Run and the workers spin before sleeping (see kSpinTime).
  const std::chrono::microseconds spin_time_;
  std::mutex error_mutex_;
  std::exception_ptr first_error_;
};

}  // namespace sentiment

#endif  // SENTIMENT_SRC_THREAD_POOL_H_
