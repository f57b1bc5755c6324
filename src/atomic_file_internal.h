// Internals of the atomic file writer shared with output_path.cpp and tests:
// the pre-flight check, and a seam to make the system calls that move bytes
// to disk fail on purpose.
#ifndef SENTIMENT_SRC_ATOMIC_FILE_INTERNAL_H_
#define SENTIMENT_SRC_ATOMIC_FILE_INTERNAL_H_

#include <sys/types.h>
#include <unistd.h>

#include <cstddef>
#include <filesystem>

namespace sentiment {

// The write(2) and fsync(2) that WriteFileAtomically calls. Tests replace
// them to inject faults (a failing flush must be reported, and the
// temporary file removed); nothing else changes them.
struct FileSystemCalls {
  ssize_t (*write)(int fd, const void* data, size_t size) = ::write;
  int (*fsync)(int fd) = ::fsync;
};
FileSystemCalls& FileSystemCallsForTesting();

// What WriteFileAtomically(path, ...) checks before writing, without
// writing: `path` is a regular file or a new name (symbolic links
// resolved), short enough for its file system, and a temporary file can be
// created (and is removed again) in its folder. Throws the Error(kIo) the
// write would throw.
void CheckAtomicWrite(const std::filesystem::path& path);

}  // namespace sentiment

#endif  // SENTIMENT_SRC_ATOMIC_FILE_INTERNAL_H_
