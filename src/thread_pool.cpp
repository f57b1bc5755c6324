#include "thread_pool.h"

namespace sentiment {
namespace {

constexpr int kSpinsBeforeSleeping = 20000;

// Waits until `value` differs from `old`: spins a little, then sleeps.
template <typename T>
void AwaitChange(const std::atomic<T>& value, T old) {
  for (int i = 0; i < kSpinsBeforeSleeping; ++i) {
    if (value.load(std::memory_order_acquire) != old) return;
  }
  while (value.load(std::memory_order_acquire) == old) value.wait(old);
}

}  // namespace

ThreadPool::ThreadPool(int threads) {
  for (int i = 1; i < threads; ++i) {
    workers_.emplace_back([this, i] { WorkerLoop(i); });
  }
}

ThreadPool::~ThreadPool() {
  stopping_.store(true, std::memory_order_release);
  generation_.fetch_add(1, std::memory_order_acq_rel);
  generation_.notify_all();
  for (std::thread& worker : workers_) worker.join();
}

void ThreadPool::Run(const std::function<void(int)>& task) {
  if (workers_.empty()) {
    task(0);
    return;
  }
  task_ = &task;
  pending_.store(static_cast<int>(workers_.size()), std::memory_order_release);
  generation_.fetch_add(1, std::memory_order_acq_rel);
  generation_.notify_all();
  task(0);
  for (int left = pending_.load(std::memory_order_acquire); left != 0;
       left = pending_.load(std::memory_order_acquire)) {
    AwaitChange(pending_, left);
  }
  task_ = nullptr;
}

void ThreadPool::ForRanges(
    size_t n, const std::function<void(size_t, size_t, int)>& body) {
  const size_t parts = static_cast<size_t>(size());
  Run([&](int index) {
    const size_t i = static_cast<size_t>(index);
    body(n * i / parts, n * (i + 1) / parts, index);
  });
}

void ThreadPool::WorkerLoop(int index) {
  uint64_t seen = 0;
  while (true) {
    AwaitChange(generation_, seen);
    seen = generation_.load(std::memory_order_acquire);
    if (stopping_.load(std::memory_order_acquire)) return;
    (*task_)(index);
    if (pending_.fetch_sub(1, std::memory_order_acq_rel) == 1) {
      pending_.notify_all();
    }
  }
}

}  // namespace sentiment
