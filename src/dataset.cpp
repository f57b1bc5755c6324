#include "sentiment/dataset.h"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <system_error>

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

// Every folder under `root` (itself included), without following symbolic
// links, as os.walk lists them.
std::vector<fs::path> WalkFolders(const fs::path& root) {
  std::vector<fs::path> folders = {root};
  std::error_code error;
  fs::recursive_directory_iterator it(root, error), end;
  if (error) throw IoError(root.string() + ": cannot list: " + error.message());
  for (; it != end; it.increment(error)) {
    if (error) break;
    if (it->is_directory(error) && !it->is_symlink(error)) {
      folders.push_back(it->path());
    }
  }
  if (error) throw IoError(root.string() + ": cannot list: " + error.message());
  return folders;
}

// The names in `folder` that Keras would index: regular files (or links to
// them) ending in .txt, sorted.
std::vector<std::string> TextFileNames(const fs::path& folder) {
  std::vector<std::string> names;
  std::error_code error;
  for (fs::directory_iterator it(folder, error), end; !error && it != end;
       it.increment(error)) {
    const std::string name = it->path().filename().string();
    if (!it->is_directory(error) && HasTxtExtension(name)) names.push_back(name);
  }
  if (error) throw IoError(folder.string() + ": cannot list: " + error.message());
  std::sort(names.begin(), names.end());
  return names;
}

}  // namespace

FileListing ListLabeledFiles(const fs::path& directory) {
  std::error_code error;
  if (!fs::exists(directory, error)) {
    throw InvalidInput(directory.string() + ": no such directory");
  }
  if (!fs::is_directory(directory, error)) {
    throw InvalidInput(directory.string() + ": not a directory");
  }
  FileListing listing;
  for (fs::directory_iterator it(directory, error), end; !error && it != end;
       it.increment(error)) {
    const std::string name = it->path().filename().string();
    if (name.starts_with(".")) continue;
    if (it->is_directory(error)) listing.class_names.push_back(name);
  }
  if (error) {
    throw IoError(directory.string() + ": cannot list: " + error.message());
  }
  if (listing.class_names.empty()) {
    throw InvalidInput(directory.string() +
                       ": no class folders (expected one subdirectory per "
                       "class, e.g. neg/ and pos/)");
  }
  std::sort(listing.class_names.begin(), listing.class_names.end());

  for (size_t label = 0; label < listing.class_names.size(); ++label) {
    std::vector<fs::path> folders =
        WalkFolders(directory / listing.class_names[label]);
    // os.walk roots sorted by their path string.
    std::sort(folders.begin(), folders.end(),
              [](const fs::path& a, const fs::path& b) {
                return a.native() < b.native();
              });
    for (const fs::path& folder : folders) {
      for (const std::string& name : TextFileNames(folder)) {
        listing.files.push_back({folder / name, static_cast<int>(label)});
      }
    }
  }
  return listing;
}

ValidationSplit SplitForValidation(std::vector<LabeledFile> files,
                                   double fraction, uint32_t seed) {
  if (!(fraction >= 0.0 && fraction < 1.0)) {
    throw InvalidInput("--validation-split must be in [0, 1), got " +
                       std::to_string(fraction));
  }
  RandomState random(seed);
  random.Shuffle(files);
  const size_t validation_count =
      static_cast<size_t>(fraction * static_cast<double>(files.size()));
  ValidationSplit split;
  const auto boundary = files.end() - static_cast<ptrdiff_t>(validation_count);
  split.training.assign(files.begin(), boundary);
  split.validation.assign(boundary, files.end());
  return split;
}

Dataset ReadFiles(const std::vector<LabeledFile>& files) {
  Dataset dataset;
  dataset.texts.reserve(files.size());
  dataset.labels.reserve(files.size());
  for (const LabeledFile& file : files) {
    std::ifstream in(file.path, std::ios::binary);
    if (!in) throw IoError(file.path.string() + ": cannot open for reading");
    std::string text;
    char buffer[1 << 16];
    while (in.read(buffer, sizeof buffer) || in.gcount() > 0) {
      text.append(buffer, static_cast<size_t>(in.gcount()));
    }
    if (in.bad()) throw IoError(file.path.string() + ": read failed");
    dataset.texts.push_back(std::move(text));
    dataset.labels.push_back(static_cast<float>(file.label));
  }
  return dataset;
}

}  // namespace sentiment
