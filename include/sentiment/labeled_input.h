// The labelled data `train` and `evaluate` are given: a folder of class
// folders or one data file (data_file.h), as one list of examples, so both
// go through the same validation split and the same reading.
#ifndef SENTIMENT_LABELED_INPUT_H_
#define SENTIMENT_LABELED_INPUT_H_

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "sentiment/data_file.h"
#include "sentiment/dataset.h"

namespace sentiment {

// One labelled example before the split: a file of a class folder (read
// after the split) or a row of a data file (read with the file).
struct LabeledExample {
  std::filesystem::path path; // class folders: the file to read; else empty
  std::string text;           // data file: the row's text
  int label = 0;              // position of the class name in sorted order
};

struct LabeledInput {
  bool is_data_file = false;
  std::vector<std::string> class_names; // sorted by byte value, distinct
  // Class folders in Keras's indexing order (ListLabeledFiles), data file
  // rows in file order.
  std::vector<LabeledExample> examples;
  // Bytes of text for the memory check, known without reading the class
  // folders' files: their sizes, or the data file's size.
  uint64_t text_bytes = 0;

  // "files" for class folders, "rows" for a data file, for messages.
  const char *noun() const { return is_data_file ? "rows" : "files"; }
};

// Training needs every class it names, evaluation only some of the
// model's: a test set may lack a class.
enum class InputPurpose { kTraining, kEvaluation };

// Lists a folder of class folders (ListLabeledFiles), or reads a data file:
// a path that is a regular file (or a link to one) is a data file, in
// options.format or else by its extension (InputFormatOfPath). Checks that
// the result can train a classifier (at least two classes, each folder with
// a .txt file) or be evaluated (at least one example), and that every class
// name is allowed by ClassNameProblem.
// Class names of a data file are its distinct labels sorted by byte value,
// as folder names are. Throws Error(kInvalidInput) naming the path (and
// line) for each problem, including options.format or column flags given
// with a folder; Error(kIo) when the system refuses to read.
// `on_parsed`, for a data file, is told how many of its bytes are parsed
// (ParseDataFile).
LabeledInput ReadLabeledInput(const std::filesystem::path &path,
                              const InputOptions &options,
                              InputPurpose purpose = InputPurpose::kTraining,
                              const StepsDone &on_parsed = {});

// The texts and labels of the examples at `positions`: class folders'
// files are read (ReadFiles), data file rows are moved out of `input`, so a
// position is taken at most once. `on_read`, if given, is told each file
// read (rows of a data file are in memory already). Files are read on
// `threads` threads.
Dataset TakeExamples(LabeledInput &input, const std::vector<size_t> &positions,
                     const StepsDone &on_read = {}, int threads = 1);

// "a, b, c": class names in messages.
std::string JoinNames(const std::vector<std::string> &names);

// Positions 0..n-1 in file order, for evaluating every example.
std::vector<size_t> AllPositions(size_t n);

// A one-line warning when class folders are named like a split (train,
// test, validation, in any case): DIR is probably the folder above the
// split folders. nullopt for data files and other names.
std::optional<std::string>
SplitNamedClassesWarning(const std::filesystem::path &path,
                         const LabeledInput &input);

// A one-line warning when the final validation accuracy is no better than
// always predicting the most frequent class of `validation_labels` (the
// first such class on a tie), naming the flags to try. nullopt when there
// is no validation set or the model beats that share.
std::optional<std::string> MajorityClassWarning(
    double val_accuracy, const std::vector<int32_t> &validation_labels,
    const std::vector<std::string> &class_names, const char *noun);

} // namespace sentiment

#endif // SENTIMENT_LABELED_INPUT_H_
