// Files that appear whole or not at all.
#ifndef SENTIMENT_ATOMIC_FILE_H_
#define SENTIMENT_ATOMIC_FILE_H_

#include <cstdint>
#include <filesystem>
#include <span>

namespace sentiment {

// Writes `bytes` to a temporary file in the destination's folder, flushes it
// to disk, renames it over `path` and flushes the folder, so a reader sees
// the old file or the new one, never a mix. Refuses to replace anything that
// is not a regular file (a directory, device or FIFO; checked through
// symbolic links, and a link to a regular file is itself replaced). Throws
// Error(kIo) naming the path and the system's reason (no permission, no
// space left, ...), also for a path that names no file ("" or "dir/"); on
// failure the temporary file is removed and `path` is untouched.
void WriteFileAtomically(const std::filesystem::path& path,
                         std::span<const uint8_t> bytes);

}  // namespace sentiment

#endif  // SENTIMENT_ATOMIC_FILE_H_
