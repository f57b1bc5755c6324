#include "sentiment/signal_cleanup.h"

#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>

namespace sentiment {
namespace {

constexpr size_t kMaxPath = 4096;

// A slot is free (0), being filled (1) or names a file to remove (2). The
// handler reads only slots in state 2, whose name is complete.
struct Slot {
  std::atomic<int> state{0};
  char path[kMaxPath];
};
Slot slots[TemporaryFileRegistration::kSlots];

constexpr int kCleanupSignals[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT};

// Async-signal-safe: atomics, unlink and raise only.
void RemoveTemporariesAndRaise(int signal_number) {
  const int saved_errno = errno;
  for (Slot& slot : slots) {
    if (slot.state.load(std::memory_order_acquire) == 2) ::unlink(slot.path);
  }
  // SA_RESETHAND restored the default action; the signal is blocked while
  // this handler runs, so it ends the process as soon as the handler
  // returns.
  ::raise(signal_number);
  errno = saved_errno;
}

}  // namespace

void InstallSignalCleanup() {
  ::signal(SIGXFSZ, SIG_IGN);
  for (int signal_number : kCleanupSignals) {
    struct sigaction current;
    if (::sigaction(signal_number, nullptr, &current) != 0) continue;
    if (current.sa_handler == SIG_IGN) continue;  // the parent's choice
    struct sigaction action;
    std::memset(&action, 0, sizeof action);
    action.sa_handler = RemoveTemporariesAndRaise;
    sigfillset(&action.sa_mask);
    action.sa_flags = SA_RESETHAND;
    ::sigaction(signal_number, &action, nullptr);
  }
}

TemporaryFileRegistration::TemporaryFileRegistration(const char* path) {
  const size_t length = std::strlen(path);
  if (length >= kMaxPath) return;
  for (int i = 0; i < kSlots; ++i) {
    int expected = 0;
    if (slots[i].state.compare_exchange_strong(expected, 1,
                                               std::memory_order_acq_rel)) {
      std::memcpy(slots[i].path, path, length + 1);
      slots[i].state.store(2, std::memory_order_release);
      slot_ = i;
      return;
    }
  }
}

TemporaryFileRegistration::~TemporaryFileRegistration() {
  if (slot_ >= 0) slots[slot_].state.store(0, std::memory_order_release);
}

}  // namespace sentiment
