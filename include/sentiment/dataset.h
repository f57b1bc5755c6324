// Labelled text from a class-folder directory, following Keras's
// text_dataset_from_directory.
#ifndef SENTIMENT_DATASET_H_
#define SENTIMENT_DATASET_H_

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "sentiment/progress.h"

namespace sentiment {

struct LabeledFile {
  std::filesystem::path path;
  int label = 0;  // position of the class name in sorted order
};

struct FileListing {
  std::vector<std::string> class_names;  // sorted by code point
  std::vector<LabeledFile> files;        // in Keras's indexing order
};

// Lists a training directory as Keras's index_directory does: one class per
// non-hidden subdirectory (sorted by byte value); inside each, every folder
// walked recursively with roots sorted by path and names sorted, keeping
// names that end in ".txt" in any case. Symbolic links to folders are not
// followed (Keras's default follow_links=False), so link loops are harmless;
// links to files are. Throws Error(kInvalidInput) naming the directory when
// it is missing, not a directory or has no class folders, and naming the
// entry when a .txt entry is a FIFO, socket or device or a link that cannot
// be followed; Error(kIo) naming the folder that cannot be listed.
FileListing ListLabeledFiles(const std::filesystem::path& directory);

// The .txt files under one folder, as ListLabeledFiles lists a class
// folder: walked recursively, roots sorted by path, names sorted. Throws as
// ListLabeledFiles for an entry or folder it cannot use.
std::vector<std::filesystem::path> ListTextFilesUnder(
    const std::filesystem::path& folder);

struct ValidationSplit {
  std::vector<LabeledFile> training;
  std::vector<LabeledFile> validation;
};

// Shuffles the listing with numpy's RandomState(seed).shuffle and keeps the
// first n - int(fraction * n) files for training, the rest for validation,
// as Keras's get_training_or_validation_split. fraction must be in [0, 1).
ValidationSplit SplitForValidation(std::vector<LabeledFile> files,
                                   double fraction, uint32_t seed);

struct SplitPositions {
  std::vector<size_t> training;
  std::vector<size_t> validation;
};

// SplitForValidation of n items by position: the shuffle moves items by
// their positions alone, so SplitForValidation(files) holds
// files[training[k]] and files[validation[k]]. The split of data file rows
// and of class folder files is this one function. Throws as
// SplitForValidation.
SplitPositions SplitPositionsForValidation(size_t n, double fraction,
                                           uint32_t seed);

struct Dataset {
  std::vector<std::string> texts;  // raw file bytes
  std::vector<int32_t> labels;     // class index
};

// Reads every file as raw bytes, on `threads` threads: NUL bytes, invalid
// UTF-8 and empty files pass through unchanged. Throws Error(kIo) naming the
// first unreadable file (by position in `files`) and the reason.
// `on_read`, if given, is told how many files are read, from those
// threads, one call at a time.
Dataset ReadFiles(const std::vector<LabeledFile>& files,
                  const StepsDone& on_read = {}, int threads = 1);

// The whole content of one file as raw bytes, as ReadFiles reads each.
// Throws Error(kIo) naming the path and the reason.
std::string ReadFileBytes(const std::filesystem::path& path);

}  // namespace sentiment

#endif  // SENTIMENT_DATASET_H_
