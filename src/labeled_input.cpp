#include "sentiment/labeled_input.h"

#include <algorithm>
#include <cstdio>
#include <system_error>
#include <utility>

#include "sentiment/error.h"

namespace sentiment {
namespace fs = std::filesystem;
namespace {


// Flags that only a data file can use, refused with a folder rather than
// ignored.
void CheckNoDataFileFlags(const fs::path &folder, const InputOptions &options) {
  const InputOptions defaults;
  const char *flag = nullptr;
  if (options.format != defaults.format) {
    flag = "--input-format";
  } else if (options.text_column != defaults.text_column) {
    flag = "--text-column";
  } else if (options.label_column != defaults.label_column) {
    flag = "--label-column";
  }
  if (flag != nullptr) {
    throw InvalidInput(folder.string() + ": " + flag +
                       " is for a data file, and this is a folder of class "
                       "folders");
  }
}

LabeledInput ReadClassFolders(const fs::path &directory, InputPurpose purpose) {
  FileListing listing = ListLabeledFiles(directory);
  for (const std::string &name : listing.class_names) {
    if (const auto problem = ClassNameProblem(name)) {
      throw InvalidInput(directory.string() + ": class folder '" +
                         EscapeForMessage(name) + "' " + *problem +
                         "; rename the folder");
    }
  }
  const size_t classes = listing.class_names.size();
  if (purpose == InputPurpose::kTraining) {
    if (classes < 2) {
      throw InvalidInput(directory.string() + ": found " +
                         std::to_string(classes) + " class folder(s) (" +
                         JoinNames(listing.class_names) +
                         "); a classifier needs at least 2");
    }
    std::vector<size_t> per_class(classes, 0);
    for (const LabeledFile &file : listing.files)
      ++per_class[file.label];
    for (size_t label = 0; label < classes; ++label) {
      if (per_class[label] == 0) {
        throw InvalidInput((directory / listing.class_names[label]).string() +
                           ": class folder has no .txt files");
      }
    }
  } else if (listing.files.empty()) {
    throw InvalidInput(directory.string() +
                       ": no .txt files in the class folders");
  }
  LabeledInput input;
  input.class_names = std::move(listing.class_names);
  input.examples.reserve(listing.files.size());
  for (LabeledFile &file : listing.files) {
    // A file that cannot be stat'ed counts as empty here; reading it
    // reports the problem.
    std::error_code error;
    const uintmax_t size = fs::file_size(file.path, error);
    if (!error)
      input.text_bytes += size;
    input.examples.push_back({std::move(file.path), std::string(), file.label});
  }
  return input;
}

LabeledInput ReadDataFile(const fs::path &path, InputFormat format,
                          const InputOptions &options, InputPurpose purpose,
                          const StepsDone &on_parsed) {
  const std::string name = path.string();
  std::vector<LabeledRow> rows;
  LabeledInput input;
  input.is_data_file = true;
  {
    const std::string bytes = ReadFileBytes(path);
    input.text_bytes = bytes.size();
    rows = ParseDataFile(bytes, format, options, name, on_parsed);
  }
  if (rows.empty()) {
    throw InvalidInput(
        name + ": no rows" +
        (format == InputFormat::kCsv || format == InputFormat::kTsv
             ? " after the header"
             : ""));
  }
  for (const LabeledRow &row : rows)
    input.class_names.push_back(row.label);
  std::sort(input.class_names.begin(), input.class_names.end());
  input.class_names.erase(
      std::unique(input.class_names.begin(), input.class_names.end()),
      input.class_names.end());
  if (purpose == InputPurpose::kTraining && input.class_names.size() < 2) {
    throw InvalidInput(name + ": found 1 class (" + input.class_names[0] +
                       ") among the labels; a classifier needs at least 2");
  }
  input.examples.reserve(rows.size());
  for (LabeledRow &row : rows) {
    const auto found = std::lower_bound(input.class_names.begin(),
                                        input.class_names.end(), row.label);
    input.examples.push_back(
        {fs::path(), std::move(row.text),
         static_cast<int>(found - input.class_names.begin())});
  }
  return input;
}

} // namespace

LabeledInput ReadLabeledInput(const fs::path &path,
                              const InputOptions &options,
                              InputPurpose purpose,
                              const StepsDone &on_parsed) {
  std::error_code error;
  const fs::file_status status = fs::status(path, error);
  const std::optional<InputFormat> by_name = InputFormatOfPath(path);
  const bool named_as_data_file =
      by_name.has_value() || options.format != InputFormat::kByExtension;
  if (status.type() == fs::file_type::not_found) {
    throw InvalidInput(path.string() + (named_as_data_file
                                            ? ": no such file"
                                            : ": no such directory"));
  }
  if (error) {
    throw IoError(path.string() + ": cannot access: " + error.message());
  }
  if (status.type() == fs::file_type::directory) {
    CheckNoDataFileFlags(path, options);
    return ReadClassFolders(path, purpose);
  }
  if (status.type() != fs::file_type::regular) {
    throw InvalidInput(path.string() +
                       ": not a directory, nor a regular data file (a FIFO, "
                       "socket or device)");
  }
  if (!named_as_data_file) {
    throw InvalidInput(path.string() +
                       ": not a directory, nor a data file by its extension "
                       "(.csv, .tsv, .jsonl, .ndjson, .ft, .fasttext); pass "
                       "--input-format to read it as one");
  }
  const InputFormat format =
      options.format != InputFormat::kByExtension ? options.format : *by_name;
  if (format == InputFormat::kFastText) {
    const InputOptions defaults;
    if (options.text_column != defaults.text_column ||
        options.label_column != defaults.label_column) {
      throw InvalidInput(path.string() +
                         ": --text-column and --label-column are for csv, "
                         "tsv and jsonl; fastText lines have no columns");
    }
  }
  return ReadDataFile(path, format, options, purpose, on_parsed);
}

Dataset TakeExamples(LabeledInput &input,
                     const std::vector<size_t> &positions,
                     const StepsDone &on_read, int threads) {
  if (!input.is_data_file) {
    std::vector<LabeledFile> files;
    files.reserve(positions.size());
    for (const size_t k : positions) {
      files.push_back({input.examples[k].path, input.examples[k].label});
    }
    return ReadFiles(files, on_read, threads);
  }
  Dataset dataset;
  dataset.texts.reserve(positions.size());
  dataset.labels.reserve(positions.size());
  for (const size_t k : positions) {
    dataset.texts.push_back(std::move(input.examples[k].text));
    dataset.labels.push_back(input.examples[k].label);
  }
  return dataset;
}

std::vector<size_t> AllPositions(size_t n) {
  std::vector<size_t> positions(n);
  for (size_t i = 0; i < n; ++i)
    positions[i] = i;
  return positions;
}

std::optional<std::string> SplitNamedClassesWarning(const fs::path &path,
                                                    const LabeledInput &input) {
  if (input.is_data_file)
    return std::nullopt;
  std::vector<std::string> split_names;
  bool has_train = false;
  std::string train_folder;
  for (const std::string &name : input.class_names) {
    std::string lower = name;
    std::transform(lower.begin(), lower.end(), lower.begin(), [](char c) {
      return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
    });
    if (lower == "train" || lower == "test" || lower == "validation") {
      split_names.push_back(name);
      if (lower == "train") {
        has_train = true;
        train_folder = name;
      }
    }
  }
  if (split_names.empty())
    return std::nullopt;
  std::string warning =
      "warning: " + path.string() + ": class folders named like a split (" +
      JoinNames(split_names) +
      "); each subfolder is a class, so these are trained as classes";
  if (has_train) {
    warning += "; did you mean " + (path / train_folder).string() + "?";
  }
  return warning;
}

std::optional<std::string> MajorityClassWarning(
    double val_accuracy, const std::vector<int32_t> &validation_labels,
    const std::vector<std::string> &class_names, const char *noun) {
  if (validation_labels.empty() || class_names.empty())
    return std::nullopt;
  std::vector<size_t> counts(class_names.size(), 0);
  for (const int32_t label : validation_labels)
    ++counts[label];
  const auto majority = std::max_element(counts.begin(), counts.end());
  const double share = static_cast<double>(*majority) /
                       static_cast<double>(validation_labels.size());
  // Accuracy is a float ratio of the same counts; allow for its rounding.
  if (!(val_accuracy <= share + 1e-6))
    return std::nullopt;
  char numbers[128];
  std::snprintf(numbers, sizeof numbers, "%.4f", val_accuracy);
  char share_text[32];
  std::snprintf(share_text, sizeof share_text, "%.4f", share);
  return std::string("warning: the final val_accuracy ") + numbers +
         " is no better than always predicting the majority class " +
         class_names[static_cast<size_t>(majority - counts.begin())] + " (" +
         share_text + " of the validation " + noun +
         "); try more --epochs, a larger --learning-rate, --class-weight "
         "balanced, or more data";
}

std::string JoinNames(const std::vector<std::string> &names) {
  std::string joined;
  for (const std::string &name : names) {
    if (!joined.empty())
      joined += ", ";
    joined += name;
  }
  return joined;
}

} // namespace sentiment
