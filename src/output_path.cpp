#include "output_path.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

#include "atomic_file_internal.h"
#include "sentiment/atomic_file.h"
#include "sentiment/error.h"

namespace sentiment {
namespace fs = std::filesystem;
namespace {

constexpr int kMaxLinks = 40;  // as the kernel's ELOOP limit
constexpr long kProcFileSystem = 0x9fa0;  // PROC_SUPER_MAGIC

bool InProcFileSystem(const fs::path& folder) {
  struct statfs info;
  return ::statfs(folder.empty() ? "." : folder.c_str(), &info) == 0 &&
         static_cast<long>(info.f_type) == kProcFileSystem;
}

// Writes all of `bytes` to `fd`, waiting when the descriptor is non-blocking
// and full. Throws Error(kIo) naming `name`.
void WriteAll(int fd, const std::string& name, std::span<const uint8_t> bytes) {
  size_t written = 0;
  while (written < bytes.size()) {
    const ssize_t n =
        ::write(fd, bytes.data() + written, bytes.size() - written);
    if (n >= 0) {
      written += static_cast<size_t>(n);
      continue;
    }
    const int error = errno;
    if (error == EINTR) continue;
    if (error == EAGAIN || error == EWOULDBLOCK) {
      pollfd ready{fd, POLLOUT, 0};
      ::poll(&ready, 1, -1);
      continue;
    }
    throw IoError(name + ": write failed: " + std::strerror(error));
  }
}

}  // namespace

FollowedPath FollowLinks(const fs::path& path) {
  FollowedPath followed{path, false};
  for (int links = 0; links <= kMaxLinks; ++links) {
    struct stat status;
    if (::lstat(followed.path.c_str(), &status) != 0 ||
        !S_ISLNK(status.st_mode)) {
      return followed;
    }
    if (InProcFileSystem(followed.path.parent_path())) {
      followed.descriptor_link = true;
      return followed;
    }
    std::string target(static_cast<size_t>(status.st_size) + 1, '\0');
    for (;;) {
      const ssize_t n =
          ::readlink(followed.path.c_str(), target.data(), target.size());
      if (n < 0) return followed;  // gone meanwhile: the write will tell
      if (static_cast<size_t>(n) < target.size()) {
        target.resize(static_cast<size_t>(n));
        break;
      }
      target.resize(target.size() * 2);
    }
    const fs::path next(target);
    followed.path =
        next.is_absolute() ? next : followed.path.parent_path() / next;
  }
  throw IoError(path.string() + ": " + std::strerror(ELOOP));
}

OutputTarget ResolveOutputPath(const fs::path& path) {
  if (path == "-") return {OutputTarget::Kind::kStandardOutput, path};
  if (path.empty() || !path.has_filename()) {
    throw IoError("'" + path.string() + "': the output path names no file");
  }
  const FollowedPath followed = FollowLinks(path);
  struct stat status;
  if (::stat(followed.path.c_str(), &status) != 0) {
    // A new name (or one the write will report on).
    return {OutputTarget::Kind::kFile, followed.path};
  }
  if (S_ISDIR(status.st_mode)) {
    throw IoError(path.string() +
                  ": exists and is a directory; refusing to replace it");
  }
  if (S_ISBLK(status.st_mode)) {
    throw IoError(path.string() +
                  ": exists and is a block device; refusing to write to it");
  }
  if (followed.descriptor_link || !S_ISREG(status.st_mode)) {
    return {OutputTarget::Kind::kStream, followed.path};
  }
  return {OutputTarget::Kind::kFile, followed.path};
}

void WriteOutputFile(const fs::path& path, std::span<const uint8_t> bytes) {
  const OutputTarget target = ResolveOutputPath(path);
  switch (target.kind) {
    case OutputTarget::Kind::kFile:
      WriteFileAtomically(target.path, bytes);
      return;
    case OutputTarget::Kind::kStandardOutput:
      WriteAll(STDOUT_FILENO, "standard output", bytes);
      return;
    case OutputTarget::Kind::kStream: {
      // Appending: through a descriptor link to a regular file, the output
      // follows what is already there, as for the descriptor itself.
      const int fd = ::open(target.path.c_str(),
                            O_WRONLY | O_APPEND | O_NOCTTY | O_CLOEXEC);
      if (fd < 0) {
        const int error = errno;
        throw IoError(path.string() + ": cannot open for writing: " +
                      std::strerror(error));
      }
      try {
        WriteAll(fd, path.string(), bytes);
      } catch (...) {
        ::close(fd);
        throw;
      }
      if (::close(fd) != 0) {
        const int error = errno;
        throw IoError(path.string() + ": close failed: " +
                      std::strerror(error));
      }
      return;
    }
  }
}

void CheckOutputPath(const fs::path& path) {
  const OutputTarget target = ResolveOutputPath(path);
  if (target.kind == OutputTarget::Kind::kFile) CheckAtomicWrite(target.path);
}

}  // namespace sentiment
