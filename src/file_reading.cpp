#include "file_reading.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "huge_pages.h"
#include "sentiment/error.h"

namespace sentiment {
namespace {

// open(O_NONBLOCK), filling `status` from the opened descriptor.
int OpenNonBlocking(const std::filesystem::path& path, const std::string& name,
                    struct stat& status) {
  const int fd =
      ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
  if (fd < 0) {
    const int error = errno;
    throw IoError(name + ": cannot open for reading: " + std::strerror(error));
  }
  if (::fstat(fd, &status) != 0) {
    const int error = errno;
    ::close(fd);
    throw IoError(name + ": cannot open for reading: " + std::strerror(error));
  }
  return fd;
}

// An anonymous pipe (`<(command)`, /dev/stdin) has its writer already; a
// FIFO in a file system may have none.
bool IsNamedFifo(int fd, const struct stat& status) {
  constexpr long kPipeFileSystem = 0x50495045;  // PIPEFS_MAGIC
  struct statfs info;
  return S_ISFIFO(status.st_mode) && ::fstatfs(fd, &info) == 0 &&
         static_cast<long>(info.f_type) != kPipeFileSystem;
}

}  // namespace

void ClearNonBlocking(int fd, const std::string& name) {
  // Only O_NONBLOCK among the status flags open() set can change, so
  // clearing them all needs no F_GETFL first.
  if (::fcntl(fd, F_SETFL, 0) != 0) {
    const int error = errno;
    throw IoError(name + ": cannot read: " + std::strerror(error));
  }
}

int OpenModelForReading(const std::filesystem::path& path,
                        const std::string& name) {
  struct stat status;
  const int fd = OpenNonBlocking(path, name, status);
  try {
    ClearNonBlocking(fd, name);
  } catch (...) {
    ::close(fd);
    throw;
  }
  if (IsNamedFifo(fd, status)) {
    pollfd ready{fd, POLLIN, 0};
    int n;
    do {
      n = ::poll(&ready, 1, kFifoWriterWaitSeconds * 1000);
    } while (n < 0 && errno == EINTR);
    if (n == 0) {
      ::close(fd);
      throw IoError(name + ": a FIFO that no program wrote to within " +
                    std::to_string(kFifoWriterWaitSeconds) +
                    " seconds; start the writer first");
    }
  }
  return fd;
}

OpenedText OpenTextForReading(const std::filesystem::path& path,
                              const std::string& name) {
  struct stat status;
  const int fd = OpenNonBlocking(path, name, status);
  if (!S_ISREG(status.st_mode)) {
    ::close(fd);
    throw InvalidInput(name +
                       ": not a regular file (a FIFO, socket or device); "
                       "move it out of the class folder");
  }
  return {fd, static_cast<uint64_t>(status.st_size)};
}

void ReadUpTo(int fd, const std::string& name, uint64_t limit,
              std::vector<uint8_t>& bytes) {
  constexpr size_t kChunk = size_t{1} << 20;
  while (bytes.size() < limit) {
    const size_t old_size = bytes.size();
    const size_t want =
        static_cast<size_t>(std::min<uint64_t>(limit - old_size, kChunk));
    bytes.resize(old_size + want);
    const ssize_t n = ::read(fd, bytes.data() + old_size, want);
    if (n < 0) {
      const int error = errno;
      bytes.resize(old_size);
      if (error == EINTR) continue;
      if (error == EISDIR) {
        throw BadModelFile(name + ": is a directory, not a model file");
      }
      throw IoError(name + ": read failed: " + std::strerror(error));
    }
    bytes.resize(old_size + static_cast<size_t>(n));
    if (n == 0) break;
  }
}

void ReadRegularFileUpTo(int fd, const std::string& name, uint64_t size,
                         uint64_t limit, std::vector<uint8_t>& bytes) {
  bytes.reserve(static_cast<size_t>(std::min(limit, size + 1)));
  AdviseHugePages(bytes.data(), bytes.capacity());
  ReadUpTo(fd, name, limit, bytes);
  const uint64_t expected = std::min(size, limit);
  if (bytes.size() != expected) {
    throw IoError(name + ": changed while being read (it had " +
                  std::to_string(size) + " bytes when opened, " +
                  (bytes.size() < expected
                       ? "then ended after " + std::to_string(bytes.size())
                       : std::string("then held more")) +
                  "); another program is writing it, try again when it is "
                  "done");
  }
}

}  // namespace sentiment
