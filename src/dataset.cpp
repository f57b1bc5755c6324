#include "sentiment/dataset.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <system_error>
#include <utility>

#include "file_reading.h"
#include "sentiment/error.h"
#include "sentiment/numpy_random.h"

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

// Every folder under `root` (itself included), as os.walk lists them with
// followlinks=False: symbolic links to folders are not entered, so link
// loops cannot recurse.
std::vector<fs::path> WalkFolders(const fs::path& root) {
  std::vector<fs::path> folders = {root};
  for (size_t i = 0; i < folders.size(); ++i) {
    for (const fs::directory_entry& entry : ListFolder(folders[i])) {
      std::error_code error;
      if (entry.symlink_status(error).type() == fs::file_type::directory) {
        folders.push_back(entry.path());
      }
    }
  }
  return folders;
}

// The names in `folder` that Keras would index: files (or links to them)
// ending in .txt, sorted. A .txt entry that is a FIFO, socket or device, or
// a link that cannot be followed, is refused by name: reading it could block
// forever or fail later without saying which file it was.
std::vector<std::string> TextFileNames(const fs::path& folder) {
  std::vector<std::string> names;
  for (const fs::directory_entry& entry : ListFolder(folder)) {
    const std::string name = entry.path().filename().string();
    if (!HasTxtExtension(name)) continue;
    std::error_code error;
    const fs::file_type type = entry.status(error).type();
    if (type == fs::file_type::directory) continue;
    if (type == fs::file_type::regular) {
      names.push_back(name);
    } else if (error || type == fs::file_type::not_found) {
      throw InvalidInput(entry.path().string() +
                         ": cannot follow the symbolic link: " +
                         (error ? error.message() : "target not found"));
    } else {
      throw InvalidInput(entry.path().string() +
                         ": not a regular file (a FIFO, socket or device); "
                         "move it out of the class folder");
    }
  }
  std::sort(names.begin(), names.end());
  return names;
}

// The whole content of `path` as raw bytes. Throws Error(kIo) naming the
// path and the system's reason, Error(kInvalidInput) when it is no longer a
// regular file (swapped for a FIFO since it was listed).
std::string ReadWholeFile(const fs::path& path) {
  const int fd = OpenTextForReading(path, path.string());
  struct Closer {
    int fd;
    ~Closer() { ::close(fd); }
  } closer{fd};
  std::string text;
  struct stat status;
  if (::fstat(fd, &status) == 0 && S_ISREG(status.st_mode)) {
    text.reserve(static_cast<size_t>(status.st_size));
  }
  char buffer[1 << 16];
  for (;;) {
    const ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n == 0) break;
    if (n < 0) {
      const int error = errno;
      if (error == EINTR) continue;
      throw IoError(path.string() + ": read failed: " + std::strerror(error));
    }
    text.append(buffer, static_cast<size_t>(n));
  }
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
  std::vector<fs::path> folders = WalkFolders(folder);
  // os.walk roots sorted by their path string.
  std::sort(folders.begin(), folders.end(),
            [](const fs::path& a, const fs::path& b) {
              return a.native() < b.native();
            });
  std::vector<fs::path> files;
  for (const fs::path& walked : folders) {
    for (const std::string& name : TextFileNames(walked)) {
      files.push_back(walked / name);
    }
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
                  const StepsDone& on_read) {
  Dataset dataset;
  dataset.texts.reserve(files.size());
  dataset.labels.reserve(files.size());
  for (const LabeledFile& file : files) {
    dataset.texts.push_back(ReadWholeFile(file.path));
    dataset.labels.push_back(file.label);
    if (on_read) on_read(static_cast<int64_t>(dataset.texts.size()));
  }
  return dataset;
}

std::string ReadFileBytes(const fs::path& path) { return ReadWholeFile(path); }

}  // namespace sentiment
