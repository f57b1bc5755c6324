#include "sentiment/atomic_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

#include "sentiment/error.h"

namespace sentiment {
namespace fs = std::filesystem;
namespace {

std::string Describe(const fs::path& path, const std::string& what) {
  return path.string() + ": " + what + ": " + std::strerror(errno);
}

}  // namespace

void WriteFileAtomically(const fs::path& path, std::span<const uint8_t> bytes) {
  struct stat existing;
  if (::stat(path.c_str(), &existing) == 0 && !S_ISREG(existing.st_mode)) {
    throw IoError(path.string() +
                  ": exists and is not a regular file; refusing to replace it");
  }
  fs::path folder = path.parent_path();
  if (folder.empty()) folder = ".";
  std::string temporary =
      (folder / ("." + path.filename().string() + ".tmp-XXXXXX")).string();
  const int fd = ::mkstemp(temporary.data());
  if (fd < 0) throw IoError(Describe(path, "cannot create a file in " + folder.string()));

  const auto fail = [&](const std::string& what) {
    const std::string message = Describe(path, what);
    ::close(fd);
    ::unlink(temporary.c_str());
    throw IoError(message);
  };
  size_t written = 0;
  while (written < bytes.size()) {
    const ssize_t n = ::write(fd, bytes.data() + written, bytes.size() - written);
    if (n < 0) {
      if (errno == EINTR) continue;
      fail("write failed");
    }
    written += static_cast<size_t>(n);
  }
  // mkstemp creates the file 0600; give it the usual permissions.
  const mode_t mask = ::umask(0);
  ::umask(mask);
  if (::fchmod(fd, 0666 & ~mask) != 0) fail("cannot set permissions");
  if (::fsync(fd) != 0) fail("flush to disk failed");
  if (::close(fd) != 0) {
    const std::string message = Describe(path, "close failed");
    ::unlink(temporary.c_str());
    throw IoError(message);
  }
  if (::rename(temporary.c_str(), path.c_str()) != 0) {
    const std::string message = Describe(path, "cannot replace");
    ::unlink(temporary.c_str());
    throw IoError(message);
  }
}

}  // namespace sentiment
