#include "sentiment/atomic_file.h"

#include <fcntl.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <optional>
#include <string>

#include "atomic_file_internal.h"
#include "output_path.h"
#include "sentiment/error.h"
#include "sentiment/signal_cleanup.h"

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

// The destination of an atomic write: `path` with links followed, refused
// unless it is a regular file or a new name.
struct Destination {
  fs::path file;    // what the rename replaces
  fs::path folder;  // where the temporary file goes
};

Destination ResolveDestination(const fs::path& path) {
  if (path.empty() || !path.has_filename()) {
    throw IoError("'" + path.string() + "': the output path names no file");
  }
  const FollowedPath followed = FollowLinks(path);
  struct stat existing;
  if (::stat(followed.path.c_str(), &existing) == 0 &&
      (!S_ISREG(existing.st_mode) || followed.descriptor_link)) {
    const char* kind =
        S_ISDIR(existing.st_mode)    ? "a directory"
        : S_ISFIFO(existing.st_mode) ? "a FIFO"
        : S_ISCHR(existing.st_mode) || S_ISBLK(existing.st_mode)
            ? "a device"
        : followed.descriptor_link ? "a link to an open file descriptor"
                                   : "not a regular file";
    throw IoError(path.string() + ": exists and is " + kind +
                  "; refusing to replace it");
  }
  Destination destination{followed.path, followed.path.parent_path()};
  if (destination.folder.empty()) destination.folder = ".";
  return destination;
}

// The longest file name the folder's file system takes.
size_t MaxNameBytes(const fs::path& folder) {
  const long limit = ::pathconf(folder.c_str(), _PC_NAME_MAX);
  return limit > 0 ? static_cast<size_t>(limit) : 255;
}

// Refuses a name the folder cannot hold before anything is written, instead
// of failing at the rename.
void CheckNameFits(const fs::path& path, const Destination& destination) {
  if (destination.file.filename().native().size() >
      MaxNameBytes(destination.folder)) {
    throw IoError(Describe(path, "cannot create", ENAMETOOLONG));
  }
}

// Six random characters for a temporary name.
std::string RandomSuffix() {
  static constexpr char kAlphabet[] =
      "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
  unsigned char random[6];
  if (::getrandom(random, sizeof random, GRND_NONBLOCK) !=
      static_cast<ssize_t>(sizeof random)) {
    uint64_t seed = static_cast<uint64_t>(
        std::chrono::steady_clock::now().time_since_epoch().count());
    seed ^= static_cast<uint64_t>(::getpid()) << 32;
    for (unsigned char& byte : random) {
      seed = seed * 6364136223846793005u + 1442695040888963407u;
      byte = static_cast<unsigned char>(seed >> 56);
    }
  }
  std::string suffix;
  for (unsigned char byte : random) suffix += kAlphabet[byte % 62];
  return suffix;
}

// A created temporary file, registered for removal if a signal ends the
// process before it is renamed or removed.
struct Temporary {
  int fd = -1;
  std::string path;
  std::optional<TemporaryFileRegistration> registration;
};

// Creates `.NAME.tmp-XXXXXX` in the destination's folder, NAME shortened so
// the whole fits the file system's name limit. The name is registered
// before the file exists, so no signal can leave it behind.
void CreateTemporary(const fs::path& path, const Destination& destination,
                     Temporary& temporary) {
  constexpr std::string_view kSuffix = ".tmp-";
  constexpr size_t kAdded = 1 + kSuffix.size() + 6;
  std::string name = destination.file.filename().native();
  const size_t max_name = MaxNameBytes(destination.folder);
  if (name.size() + kAdded > max_name) {
    name.resize(max_name > kAdded ? max_name - kAdded : 0);
  }
  for (int attempt = 0;; ++attempt) {
    temporary.path = (destination.folder /
                      ("." + name + std::string(kSuffix) + RandomSuffix()))
                         .native();
    temporary.registration.emplace(temporary.path.c_str());
    // 0666 less the umask: the permissions of any new file.
    temporary.fd = ::open(temporary.path.c_str(),
                          O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW,
                          0666);
    if (temporary.fd >= 0) return;
    const int error = errno;
    temporary.registration.reset();
    if (error == EEXIST && attempt < 100) continue;
    throw IoError(Describe(
        path, "cannot create a file in " + destination.folder.string(), error));
  }
}

}  // namespace

FileSystemCalls& FileSystemCallsForTesting() {
  static FileSystemCalls calls;
  return calls;
}

void CheckAtomicWrite(const fs::path& path) {
  const Destination destination = ResolveDestination(path);
  CheckNameFits(path, destination);
  Temporary temporary;
  CreateTemporary(path, destination, temporary);
  ::close(temporary.fd);
  ::unlink(temporary.path.c_str());
}

void WriteFileAtomically(const fs::path& path, std::span<const uint8_t> bytes) {
  const Destination destination = ResolveDestination(path);
  const fs::path& file = destination.file;
  CheckNameFits(path, destination);
  const FileSystemCalls& calls = FileSystemCallsForTesting();
  Temporary temporary;
  CreateTemporary(file, destination, temporary);

  const auto fail = [&](const std::string& what) {
    const int error = errno;
    ::close(temporary.fd);
    ::unlink(temporary.path.c_str());
    throw IoError(Describe(file, what, error));
  };
  size_t written = 0;
  while (written < bytes.size()) {
    const ssize_t n = calls.write(temporary.fd, bytes.data() + written,
                                  bytes.size() - written);
    if (n < 0) {
      if (errno == EINTR) continue;
      fail("write failed");
    }
    written += static_cast<size_t>(n);
  }
  if (calls.fsync(temporary.fd) != 0) fail("flush to disk failed");
  if (::close(temporary.fd) != 0) {
    const int error = errno;
    ::unlink(temporary.path.c_str());
    throw IoError(Describe(file, "close failed", error));
  }
  if (::rename(temporary.path.c_str(), file.c_str()) != 0) {
    const int error = errno;
    ::unlink(temporary.path.c_str());
    throw IoError(Describe(file, "cannot replace", error));
  }
  SyncFolder(destination.folder);
}

}  // namespace sentiment
