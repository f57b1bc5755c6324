// Counting a task's steps on several threads for a StepsDone callback
// (progress.h), which is not thread-safe: a worker that finds the callback
// busy adds its steps and goes on, so no worker ever waits on progress.
#ifndef SENTIMENT_SRC_CONCURRENT_STEPS_H_
#define SENTIMENT_SRC_CONCURRENT_STEPS_H_

#include <atomic>
#include <cstdint>
#include <mutex>

#include "sentiment/progress.h"

namespace sentiment {

class ConcurrentSteps {
 public:
  // `report` may be empty (nothing is counted then); it must outlive this.
  explicit ConcurrentSteps(const StepsDone& report) : report_(report) {}

  // From any thread: `steps` more are done. Calls the callback with the
  // total so far unless another thread is calling it; the totals it gets
  // never decrease.
  void Add(int64_t steps) {
    if (!report_) return;
    done_.fetch_add(steps, std::memory_order_relaxed);
    std::unique_lock<std::mutex> lock(reporting_, std::try_to_lock);
    // Read under the lock, so the totals reported never decrease.
    if (lock.owns_lock()) report_(done_.load(std::memory_order_relaxed));
  }

  // One worker's steps, passed on in groups so that short steps do not
  // contend for the shared count; the rest when it goes out of scope.
  class Group {
   public:
    explicit Group(ConcurrentSteps& steps) : steps_(steps) {}
    ~Group() {
      if (pending_ > 0) steps_.Add(pending_);
    }
    Group(const Group&) = delete;
    Group& operator=(const Group&) = delete;

    void Step() {
      if (++pending_ == kSize) {
        steps_.Add(pending_);
        pending_ = 0;
      }
    }

   private:
    static constexpr int64_t kSize = 64;
    ConcurrentSteps& steps_;
    int64_t pending_ = 0;
  };

  // After the workers have joined: reports the final total, which a busy
  // callback may have missed.
  void Finish() {
    if (report_) report_(done_.load(std::memory_order_relaxed));
  }

 private:
  const StepsDone& report_;
  std::atomic<int64_t> done_{0};
  std::mutex reporting_;
};

}  // namespace sentiment

#endif  // SENTIMENT_SRC_CONCURRENT_STEPS_H_
