#include "file_reading.h"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "huge_pages.h"
#include "sentiment/error.h"

namespace sentiment {
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
