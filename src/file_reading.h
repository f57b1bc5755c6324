// Opening model files and training texts without blocking, and reading a
// model file's bytes into memory with plain read() calls. They are copied
// rather than memory-mapped: a mapped file that another program
// truncates while it is decoded kills the reader with SIGBUS, while a copy
// holds only what was read and can be checked for a change of size.
#ifndef SENTIMENT_SRC_FILE_READING_H_
#define SENTIMENT_SRC_FILE_READING_H_

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace sentiment {

// Opening without blocking: a FIFO without a writer (perhaps swapped in for
// a file after it was listed) would otherwise block in open() forever. Each
// throws Error(kIo) "NAME: cannot open for reading: REASON" when it cannot.

// For a model file, a descriptor in blocking mode: regular files, devices
// and pipes are read; a named FIFO
// must deliver its first bytes within kFifoWriterWaitSeconds, else Error(kIo)
// "NAME: a FIFO that no program wrote to within 5 seconds".
constexpr int kFifoWriterWaitSeconds = 5;
int OpenModelForReading(const std::filesystem::path& path,
                        const std::string& name);

// For a training text: anything but a regular file (checked on the opened
// descriptor, so a file swapped after listing is caught) is
// Error(kInvalidInput) "NAME: not a regular file (a FIFO, socket or
// device); move it out of the class folder". The descriptor keeps
// O_NONBLOCK, which Linux ignores for regular files: one system call fewer
// per file counts when a corpus is 50,000 small files. A read that still
// says EAGAIN should ClearNonBlocking and retry.
struct OpenedText {
  int fd;
  uint64_t size;  // from fstat on the opened descriptor
};
OpenedText OpenTextForReading(const std::filesystem::path& path,
                              const std::string& name);

// Puts a descriptor from these functions in blocking mode. Throws
// Error(kIo) "NAME: cannot read: REASON".
void ClearNonBlocking(int fd, const std::string& name);

// Appends bytes read from `fd` to `bytes` until it holds `limit` bytes or
// the input ends. Grows with the data actually read, never by `limit`.
// Throws Error(kIo) naming `name` and the system's reason when a read
// fails, Error(kBadModelFile) when `fd` is a directory.
void ReadUpTo(int fd, const std::string& name, uint64_t limit,
              std::vector<uint8_t>& bytes);

// ReadUpTo for a regular file that had `size` bytes when it was opened
// (from fstat); `bytes` holds what was read from the start of the file.
// Throws Error(kIo) naming `name` when the bytes read disagree with that
// size, fewer than min(size, limit) or more than `size`: another program
// changed the file while it was being read. Reserves min(limit, size + 1)
// bytes up front, so a complete file is read without regrowth.
void ReadRegularFileUpTo(int fd, const std::string& name, uint64_t size,
                         uint64_t limit, std::vector<uint8_t>& bytes);

}  // namespace sentiment

#endif  // SENTIMENT_SRC_FILE_READING_H_
