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

// "PATH: WHAT: strerror(error)", with the errno captured by the caller before
// anything else could change it.
std::string Describe(const fs::path& path, const std::string& what, int error) {
  return path.string() + ": " + what + ": " + std::strerror(error);
}

// Makes the rename itself durable. Best effort: the new file is already in
// place, so a failure here is not reported as a failed write.
void SyncFolder(const fs::path& folder) {
  const int fd = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return;
  ::fsync(fd);
  ::close(fd);
}

}  // namespace

void WriteFileAtomically(const fs::path& path, std::span<const uint8_t> bytes) {
  if (path.empty() || !path.has_filename()) {
    throw IoError("'" + path.string() + "': the output path names no file");
  }
  struct stat existing;
  if (::stat(path.c_str(), &existing) == 0 && !S_ISREG(existing.st_mode)) {
    const char* kind = S_ISDIR(existing.st_mode)    ? "a directory"
                       : S_ISFIFO(existing.st_mode) ? "a FIFO"
                       : S_ISCHR(existing.st_mode) || S_ISBLK(existing.st_mode)
                           ? "a device"
                           : "not a regular file";
    throw IoError(path.string() + ": exists and is " + kind +
                  "; refusing to replace it");
  }
  fs::path folder = path.parent_path();
  if (folder.empty()) folder = ".";
  std::string temporary =
      (folder / ("." + path.filename().string() + ".tmp-XXXXXX")).string();
  const int fd = ::mkstemp(temporary.data());
  if (fd < 0) {
    const int error = errno;
    throw IoError(Describe(path, "cannot create a file in " + folder.string(), error));
  }

  const auto fail = [&](const std::string& what) {
    const int error = errno;
    ::close(fd);
    ::unlink(temporary.c_str());
    throw IoError(Describe(path, what, error));
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
    const int error = errno;
    ::unlink(temporary.c_str());
    throw IoError(Describe(path, "close failed", error));
  }
  if (::rename(temporary.c_str(), path.c_str()) != 0) {
    const int error = errno;
    ::unlink(temporary.c_str());
    throw IoError(Describe(path, "cannot replace", error));
  }
  SyncFolder(folder);
}

}  // namespace sentiment
