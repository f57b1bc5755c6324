#include "sentiment/dataset.h"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <exception>
#include <system_error>
#include <utility>

#include "concurrent_steps.h"
#include "file_reading.h"
#include "sentiment/error.h"
#include "sentiment/numpy_random.h"
#include "thread_pool.h"

namespace sentiment {
namespace fs = std::filesystem;
namespace {

bool HasTxtExtension(const std::string& name) {
  constexpr std::string_view kExtension = ".txt";
  if (name.size() < kExtension.size()) return false;
  for (size_t k = 0; k < kExtension.size(); ++k) {
    char c = name[name.size() - kExtension.size() + k];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != kExtension[k]) return false;
  }
  return true;
}

// The entries of one folder. Throws Error(kIo) naming the folder when it
// cannot be listed (os.walk would skip it silently; a missing part of the
// data set is worth a clear error instead).
std::vector<fs::directory_entry> ListFolder(const fs::path& folder) {
  std::vector<fs::directory_entry> entries;
  std::error_code error;
  for (fs::directory_iterator it(folder, error), end; !error && it != end;
       it.increment(error)) {
    entries.push_back(*it);
  }
  if (error) throw IoError(folder.string() + ": cannot list: " + error.message());
  return entries;
}

// Whether Keras would index `entry` of a walked folder: a file (or a link
// to one) ending in .txt. A .txt entry that is a FIFO, socket or device, or
// a link that cannot be followed, is refused by name: reading it could
// block forever or fail later without saying which file it was.
bool IsTextFile(const fs::directory_entry& entry, const std::string& name) {
  if (!HasTxtExtension(name)) return false;
  // A plain file is known from the listing's d_type, without the stat call
  // that costs as much as reading a small file; links and the rest get one.
  std::error_code error;
  if (!entry.is_symlink(error) && entry.is_regular_file(error)) return true;
  const fs::file_type type = entry.status(error).type();
  if (type == fs::file_type::directory) return false;
  if (type == fs::file_type::regular) return true;
  if (error || type == fs::file_type::not_found) {
    throw InvalidInput(entry.path().string() +
                       ": cannot follow the symbolic link: " +
                       (error ? error.message() : "target not found"));
  }
  throw InvalidInput(entry.path().string() +
                     ": not a regular file (a FIFO, socket or device); "
                     "move it out of the class folder");
}

// The whole content of `path` as raw bytes. Throws Error(kIo) naming the
// path and the system's reason, Error(kInvalidInput) when it is no longer a
// regular file (swapped for a FIFO since it was listed).
std::string ReadWholeFile(const fs::path& path) {
  const OpenedText opened = OpenTextForReading(path, path.string());
  struct Closer {
    int fd;
    ~Closer() { ::close(fd); }
  } closer{opened.fd};
  // Room for one byte more than fstat said, so an unchanged file is one
  // read, ending short at exactly the size it had when opened: for a
  // regular file a short read means the end (or a signal, after which
  // reading goes on unless the size is reached). A file that grew
  // meanwhile is read to its end, one that shrank to where it ends now.
  std::string text(static_cast<size_t>(opened.size) + 1, '\0');
  size_t filled = 0;
  for (;;) {
    if (filled == text.size()) text.resize(2 * text.size());
    const size_t room = text.size() - filled;
    const ssize_t n = ::read(opened.fd, text.data() + filled, room);
    if (n == 0) break;
    if (n < 0) {
      const int error = errno;
      if (error == EINTR) continue;
      if (error == EAGAIN) {
        ClearNonBlocking(opened.fd, path.string());
        continue;
      }
      throw IoError(path.string() + ": read failed: " + std::strerror(error));
    }
    filled += static_cast<size_t>(n);
    if (static_cast<size_t>(n) < room && filled == opened.size) break;
  }
  text.resize(filled);
  return text;
}

}  // namespace

FileListing ListLabeledFiles(const fs::path& directory) {
  std::error_code error;
  const fs::file_status status = fs::status(directory, error);
  if (status.type() == fs::file_type::not_found) {
    throw InvalidInput(directory.string() + ": no such directory");
  }
  if (error) {
    throw IoError(directory.string() + ": cannot access: " + error.message());
  }
  if (status.type() != fs::file_type::directory) {
    throw InvalidInput(directory.string() + ": not a directory");
  }
  FileListing listing;
  for (const fs::directory_entry& entry : ListFolder(directory)) {
    const std::string name = entry.path().filename().string();
    if (name.starts_with(".")) continue;
    // As os.path.isdir: links to folders count, broken links do not.
    std::error_code entry_error;
    if (entry.is_directory(entry_error)) listing.class_names.push_back(name);
  }
  if (listing.class_names.empty()) {
    throw InvalidInput(directory.string() +
                       ": no class folders (expected one subdirectory per "
                       "class, e.g. neg/ and pos/)");
  }
  std::sort(listing.class_names.begin(), listing.class_names.end());

  for (size_t label = 0; label < listing.class_names.size(); ++label) {
    for (fs::path& file :
         ListTextFilesUnder(directory / listing.class_names[label])) {
      listing.files.push_back({std::move(file), static_cast<int>(label)});
    }
  }
  return listing;
}

std::vector<fs::path> ListTextFilesUnder(const fs::path& folder) {
  // os.walk with followlinks=False, each folder listed once: links to
  // folders are not entered (so link loops cannot recurse), and a folder's
  // own .txt names are kept as it is listed.
  struct Walked {
    fs::path folder;
    std::vector<std::string> names;
  };
  std::vector<Walked> walked = {{folder, {}}};
  for (size_t i = 0; i < walked.size(); ++i) {
    std::vector<std::string> names;
    for (const fs::directory_entry& entry : ListFolder(walked[i].folder)) {
      // From the listing's d_type where the file system gives it.
      std::error_code error;
      if (!entry.is_symlink(error) && entry.is_directory(error)) {
        walked.push_back({entry.path(), {}});
        continue;
      }
      std::string name = entry.path().filename().string();
      if (IsTextFile(entry, name)) names.push_back(std::move(name));
    }
    std::sort(names.begin(), names.end());
    walked[i].names = std::move(names);
  }
  // os.walk roots sorted by their path string.
  std::sort(walked.begin(), walked.end(), [](const Walked& a, const Walked& b) {
    return a.folder.native() < b.folder.native();
  });
  std::vector<fs::path> files;
  for (const Walked& each : walked) {
    for (const std::string& name : each.names) files.push_back(each.folder / name);
  }
  return files;
}

SplitPositions SplitPositionsForValidation(size_t n, double fraction,
                                           uint32_t seed) {
  if (!(fraction >= 0.0 && fraction < 1.0)) {
    throw InvalidInput("--validation-split must be in [0, 1), got " +
                       std::to_string(fraction));
  }
  std::vector<size_t> positions(n);
  for (size_t i = 0; i < n; ++i) positions[i] = i;
  RandomState random(seed);
  random.Shuffle(positions);
  const size_t validation_count =
      static_cast<size_t>(fraction * static_cast<double>(n));
  SplitPositions split;
  const auto boundary =
      positions.end() - static_cast<ptrdiff_t>(validation_count);
  split.training.assign(positions.begin(), boundary);
  split.validation.assign(boundary, positions.end());
  return split;
}

ValidationSplit SplitForValidation(std::vector<LabeledFile> files,
                                   double fraction, uint32_t seed) {
  const SplitPositions positions =
      SplitPositionsForValidation(files.size(), fraction, seed);
  ValidationSplit split;
  for (const size_t k : positions.training) split.training.push_back(files[k]);
  for (const size_t k : positions.validation) {
    split.validation.push_back(files[k]);
  }
  return split;
}

Dataset ReadFiles(const std::vector<LabeledFile>& files,
                  const StepsDone& on_read, int threads) {
  Dataset dataset;
  dataset.texts.resize(files.size());
  dataset.labels.reserve(files.size());
  for (const LabeledFile& file : files) dataset.labels.push_back(file.label);
  // Opening a small file costs more than reading it, and the system calls
  // of several threads overlap. Each thread stops at its first failure;
  // its range precedes every later thread's, so the failure reported is
  // the first file by position, whatever the timing.
  ThreadPool pool(std::max(1, threads));
  std::vector<std::exception_ptr> failures(static_cast<size_t>(pool.size()));
  ConcurrentSteps read(on_read);
  pool.ForRanges(files.size(), [&](size_t begin, size_t end, int thread) {
    ConcurrentSteps::Group done(read);
    for (size_t i = begin; i < end; ++i) {
      try {
        dataset.texts[i] = ReadWholeFile(files[i].path);
      } catch (...) {
        failures[static_cast<size_t>(thread)] = std::current_exception();
        return;
      }
      done.Step();
    }
  });
  for (const std::exception_ptr& failure : failures) {
    if (failure) std::rethrow_exception(failure);
  }
  read.Finish();
  return dataset;
}

std::string ReadFileBytes(const fs::path& path) { return ReadWholeFile(path); }

}  // namespace sentiment
