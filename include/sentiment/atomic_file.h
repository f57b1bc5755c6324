// Files that appear whole or not at all.
#ifndef SENTIMENT_ATOMIC_FILE_H_
#define SENTIMENT_ATOMIC_FILE_H_

#include <cstdint>
#include <filesystem>
#include <span>

namespace sentiment {

// Writes `bytes` to a temporary file in the destination's folder, flushes it
// to disk, renames it over the destination and flushes the folder, so a
// reader sees the old file or the new one, never a mix. Symbolic links are
// followed: the final target is replaced in its own folder and the links
// stay. Refuses to replace anything that is not a regular file (a
// directory, device, FIFO or a descriptor link in /proc). The temporary
// name is `.NAME.tmp-XXXXXX`, NAME shortened when the whole would pass the
// file system's name limit; it is registered with signal_cleanup.h. Throws
// Error(kIo) naming the path and the system's reason (no permission, no
// space left, file too large, a name over the limit, ...), also for a path
// that names no file ("" or "dir/"); on failure the temporary file is
// removed and the destination is untouched.
void WriteFileAtomically(const std::filesystem::path& path,
                         std::span<const uint8_t> bytes);

}  // namespace sentiment

#endif  // SENTIMENT_ATOMIC_FILE_H_
