// Where a file the tool writes goes (`train -o`, `export -o`). Rules:
// - "-" is standard output, written straight.
// - A symbolic link is followed, link after link (relative targets from the
//   link's folder); its final target is what gets written, the link stays.
// - A regular file, or a name that does not exist yet, is replaced
//   atomically in its own folder (atomic_file.h).
// - A stream, that is a FIFO, character device (terminal, /dev/null) or
//   socket, is written straight, as the shell's `>` would, and so is a
//   descriptor link in /proc (/dev/stdout, /dev/fd/N, /proc/self/fd/N lead
//   there), whatever it points to: the output joins that open file.
// - A directory or block device is refused.
#ifndef SENTIMENT_SRC_OUTPUT_PATH_H_
#define SENTIMENT_SRC_OUTPUT_PATH_H_

#include <cstdint>
#include <filesystem>
#include <span>

namespace sentiment {

struct OutputTarget {
  enum class Kind { kFile, kStream, kStandardOutput };
  Kind kind = Kind::kFile;
  // kFile: the file to create or replace, links resolved; kStream: the path
  // to open for writing (the last link when it is a descriptor link).
  std::filesystem::path path;
};

// `path` with symbolic links followed, as far as an ordinary file system
// goes: stops at a name that does not exist, at anything not a link, and
// at a descriptor link in /proc (`descriptor_link` then true). Throws
// Error(kIo) naming `path` after 40 links (a loop).
struct FollowedPath {
  std::filesystem::path path;
  bool descriptor_link = false;
};
FollowedPath FollowLinks(const std::filesystem::path& path);

// Applies the rules above to `path` without writing anything. Throws
// Error(kIo) naming `path` for a directory, a block device, a link loop or
// a path that names no file ("" or "dir/").
OutputTarget ResolveOutputPath(const std::filesystem::path& path);

// Writes `bytes` to `path` under the rules above. Throws Error(kIo) naming
// the path (the resolved one when links were followed) and the system's
// reason; a failed atomic replacement leaves no temporary file and the
// previous file untouched.
void WriteOutputFile(const std::filesystem::path& path,
                     std::span<const uint8_t> bytes);

// Checks what can be checked before the work that produces the bytes
// starts (train calls it before reading any file): the path resolves, and
// for a file, its folder exists and accepts a new file and the name fits
// the file system. Streams are not opened (a FIFO would wait for a reader).
// Throws what WriteOutputFile would.
void CheckOutputPath(const std::filesystem::path& path);

}  // namespace sentiment

#endif  // SENTIMENT_SRC_OUTPUT_PATH_H_
