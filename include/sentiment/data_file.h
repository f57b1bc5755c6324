// Labelled texts in one data file: CSV, TSV, JSON Lines or fastText lines,
// the file forms `train` and `evaluate` read besides class folders. The
// parsers work on the file's bytes, so tests need no files; every malformed
// row is an error naming the file and line, never a silent skip.
#ifndef SENTIMENT_DATA_FILE_H_
#define SENTIMENT_DATA_FILE_H_

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sentiment/progress.h"

namespace sentiment {

enum class InputFormat {
  kByExtension, // decided by the file name (InputFormatOfPath)
  kCsv,         // RFC 4180, header line
  kTsv,         // IANA text/tab-separated-values, header line, no quoting
  kJsonLines,   // one JSON object per line (jsonlines.org)
  kFastText,    // "__label__NAME text" per line, as fastText's supervised input
};

// "csv", "tsv", "jsonl" or "fasttext" to its format. Throws
// Error(kInvalidInput) naming --input-format and the choices otherwise.
InputFormat ParseInputFormat(std::string_view name);

// The name --input-format takes for `format` ("by extension" for kByExtension).
std::string_view InputFormatName(InputFormat format);

// The format of a data file by its extension, in any case: .csv, .tsv,
// .jsonl or .ndjson, .ft or .fasttext. nullopt for any other name.
std::optional<InputFormat> InputFormatOfPath(const std::filesystem::path &path);

// How to read a data file (the flags --input-format, --text-column,
// --label-column).
struct InputOptions {
  InputFormat format = InputFormat::kByExtension; // or forced by the flag
  std::string text_column = "text";   // CSV/TSV header column, JSON key
  std::string label_column = "label"; // CSV/TSV header column, JSON key
};

// One labelled text of a data file.
struct LabeledRow {
  std::string text;  // raw bytes (quotes of CSV and JSON escapes resolved)
  std::string label; // the class name, checked by CheckClassName
  int64_t line = 0;  // 1-based line of the file where the row starts
};

// Parses a data file's bytes (a leading UTF-8 byte order mark is skipped)
// into rows in file order. `format` must not be kByExtension. `name` (the
// path as given) starts every error message, with the line:
// "data.csv:7: 3 fields, expected 2 as in the header". Rules:
// - CSV (RFC 4180): a header line, then records of the same field count;
//   records end in LF or CRLF; a field in double quotes may hold commas,
//   line breaks and doubled quotes (""); a quote inside an unquoted field,
//   anything but a comma or line end after a closing quote, and an
//   unterminated quote are errors.
// - TSV (IANA text/tab-separated-values): a header line, then lines of the
//   same field count, fields split at every tab, no quoting; a trailing CR
//   is dropped.
// - JSON Lines: each line one JSON object (parsed by nlohmann/json) with
//   the text key holding a string and the label key a string or an integer
//   (its decimal digits name the class); other keys are ignored.
// - fastText: each line "__label__NAME" then a space or tab and the text
//   (the label alone is an empty text); another "__label__" word in the
//   line is an error (one label per line).
// In every format an empty line is an error, a file whose lines end with a
// CR alone (no LF anywhere, a CR before the last byte) is refused as such,
// the text and label columns must differ, and each label must pass CheckClassName. Throws
// Error(kInvalidInput) for the first problem. `on_parsed`, if given, is
// told how many of the bytes are parsed, about every MiB, then all of them.
std::vector<LabeledRow> ParseDataFile(std::string_view bytes,
                                      InputFormat format,
                                      const InputOptions &options,
                                      const std::string &name,
                                      const StepsDone &on_parsed = {});

// Why `name` cannot be a class name, or nullopt when it can. Class names
// reach one-line outputs (predict's tab-separated fields, log lines), JSON
// values and the model file, so they must be non-empty, well-formed UTF-8
// (no overlong forms, surrogates or code points past U+10FFFF) and free of
// control characters: C0 (U+0000-U+001F: tab, newline, CR, ...), DEL and
// C1 (U+0080-U+009F).
std::optional<std::string> ClassNameProblem(std::string_view name);

// `bytes` made printable on one line for an error message: backslash, C0,
// DEL and bytes that are not part of well-formed UTF-8 become \t, \n, \r,
// \\ or \xNN; C1 controls \u0080-\u009f; everything else is kept.
std::string EscapeForMessage(std::string_view bytes);

} // namespace sentiment

#endif // SENTIMENT_DATA_FILE_H_
