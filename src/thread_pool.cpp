#include "thread_pool.h"

#include <sched.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>

namespace sentiment {
namespace {

// How long a wait spins before it sleeps, when every thread of the pool
// can have a CPU. Training forks and joins twice per batch, 50 to 200 us
// apart, and a thread that slept in between costs a futex wake-up each
// time, tens of microseconds on a VM: spinning for 10 us (the earlier
// bound) let sotu_parties' training sleep and wake about 19,000 times;
// 100 us, about 75 times, and it trained about 12% faster. With more
// threads than CPUs a spinning thread holds a CPU the thread it waits for
// needs (3x slower at 8 threads on 2 CPUs), so those pools do not spin.
constexpr std::chrono::microseconds kSpinTime(100);

// The CPUs this process may run on.
int CpusAvailable() {
  cpu_set_t cpus;
  if (::sched_getaffinity(0, sizeof cpus, &cpus) != 0) return 1;
  return std::max(1, CPU_COUNT(&cpus));
}

// Waits until `value` differs from `old`: spins for up to `spin`, then
// sleeps.
template <typename T>
void AwaitChange(const std::atomic<T>& value, T old,
                 std::chrono::microseconds spin) {
  if (value.load(std::memory_order_acquire) != old) return;
  const auto deadline = std::chrono::steady_clock::now() + spin;
  for (int i = 1; spin.count() > 0; ++i) {
    if (value.load(std::memory_order_acquire) != old) return;
    // Reading the clock costs more than a load: only every 256th time.
    if (i % 256 == 0 && std::chrono::steady_clock::now() >= deadline) break;
  }
  while (value.load(std::memory_order_acquire) == old) value.wait(old);
}

// Under an address-space limit (ulimit -v), the workers whose stacks fit
// in a quarter of what is left: starting threads until pthread_create
// fails would leave nothing for the work itself.
int WorkersTheAddressSpaceAllows(int wanted) {
  rlimit limit{};
  if (::getrlimit(RLIMIT_AS, &limit) != 0 || limit.rlim_cur == RLIM_INFINITY) {
    return wanted;
  }
  unsigned long long pages = 0;
  if (std::FILE* statm = std::fopen("/proc/self/statm", "r")) {
    if (std::fscanf(statm, "%llu", &pages) != 1) pages = 0;
    std::fclose(statm);
  }
  const uint64_t used = pages * static_cast<uint64_t>(::sysconf(_SC_PAGESIZE));
  const uint64_t left = limit.rlim_cur > used ? limit.rlim_cur - used : 0;
  const uint64_t per_worker =
      ThreadPool::kWorkerStackBytes + static_cast<uint64_t>(::sysconf(_SC_PAGESIZE));
  return static_cast<int>(
      std::min<uint64_t>(static_cast<uint64_t>(wanted), left / 4 / per_worker));
}

}  // namespace

ThreadPool::ThreadPool(int threads)
    : spin_time_(std::max(threads, 1) <= CpusAvailable()
                     ? kSpinTime
                     : std::chrono::microseconds(0)) {
  threads = 1 + WorkersTheAddressSpaceAllows(std::max(threads, 1) - 1);
  const size_t wanted = static_cast<size_t>(threads - 1);
  if (wanted == 0) return;
  starts_.reserve(wanted);
  workers_.reserve(wanted);
  pthread_attr_t attributes;
  if (::pthread_attr_init(&attributes) != 0) return;
  ::pthread_attr_setstacksize(&attributes, kWorkerStackBytes);
  for (int i = 1; i < threads; ++i) {
    starts_.push_back({this, i});
    pthread_t thread;
    // EAGAIN (ulimit -u, no memory for a stack): run with the threads
    // already started.
    if (::pthread_create(&thread, &attributes, &ThreadPool::StartWorker,
                         &starts_.back()) != 0) {
      break;
    }
    workers_.push_back(thread);
  }
  ::pthread_attr_destroy(&attributes);
}

ThreadPool::~ThreadPool() {
  stopping_.store(true, std::memory_order_release);
  generation_.fetch_add(1, std::memory_order_acq_rel);
  generation_.notify_all();
  for (pthread_t worker : workers_) ::pthread_join(worker, nullptr);
}

void* ThreadPool::StartWorker(void* start) {
  const WorkerStart& worker = *static_cast<const WorkerStart*>(start);
  worker.pool->WorkerLoop(worker.index);
  return nullptr;
}

void ThreadPool::Run(const std::function<void(int)>& task) {
  if (workers_.empty()) {
    task(0);
    return;
  }
  first_error_ = nullptr;
  task_ = &task;
  pending_.store(static_cast<int>(workers_.size()), std::memory_order_release);
  generation_.fetch_add(1, std::memory_order_acq_rel);
  generation_.notify_all();
  try {
    task(0);
  } catch (...) {
    RecordError(std::current_exception());
  }
  // The workers hold a pointer to `task`: wait for all of them, also when
  // the caller's part threw.
  for (int left = pending_.load(std::memory_order_acquire); left != 0;
       left = pending_.load(std::memory_order_acquire)) {
    AwaitChange(pending_, left, spin_time_);
  }
  task_ = nullptr;
  if (first_error_) {
    std::exception_ptr error = std::move(first_error_);
    first_error_ = nullptr;
    std::rethrow_exception(error);
  }
}

void ThreadPool::RecordError(std::exception_ptr error) {
  const std::lock_guard<std::mutex> lock(error_mutex_);
  if (!first_error_) first_error_ = std::move(error);
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
    AwaitChange(generation_, seen, spin_time_);
    seen = generation_.load(std::memory_order_acquire);
    if (stopping_.load(std::memory_order_acquire)) return;
    try {
      (*task_)(index);
    } catch (...) {
      // An exception leaving a thread would terminate the process; Run
      // rethrows it on the caller's thread instead.
      RecordError(std::current_exception());
    }
    if (pending_.fetch_sub(1, std::memory_order_acq_rel) == 1) {
      pending_.notify_all();
    }
  }
}

}  // namespace sentiment
