// What the process does with signals while it writes files: the temporary
// file of an atomic write is removed when SIGINT, SIGTERM, SIGHUP or SIGQUIT
// ends the process, and a write past the file-size limit (ulimit -f) fails
// with EFBIG, reported like any failed write, instead of killing the
// process with SIGXFSZ.
#ifndef SENTIMENT_SIGNAL_CLEANUP_H_
#define SENTIMENT_SIGNAL_CLEANUP_H_

namespace sentiment {

// For programs (the CLI's main calls it first): installs the handler that
// removes registered temporary files, then restores the signal's default
// action and raises it again, so the process still ends by that signal
// (exit status 128 + number). Signals the parent set to be ignored stay
// ignored. Sets SIGXFSZ to be ignored. Call before starting threads.
void InstallSignalCleanup();

// Registers `path` as a temporary file to remove if a signal ends the
// process, for as long as the object lives. Without InstallSignalCleanup
// it only records the name. Holds at most kSlots names at once (more are
// not registered) and names up to 4095 bytes.
class TemporaryFileRegistration {
 public:
  static constexpr int kSlots = 16;

  explicit TemporaryFileRegistration(const char* path);
  ~TemporaryFileRegistration();
  TemporaryFileRegistration(const TemporaryFileRegistration&) = delete;
  TemporaryFileRegistration& operator=(const TemporaryFileRegistration&) =
      delete;

 private:
  int slot_ = -1;
};

}  // namespace sentiment

#endif  // SENTIMENT_SIGNAL_CLEANUP_H_
