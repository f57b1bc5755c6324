#include "sentiment/data_file.h"

#include <algorithm>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <utility>

#include "sentiment/error.h"

namespace sentiment {
namespace {

using json = nlohmann::json;

// The well-formed UTF-8 sequence at `text[i]` (Unicode Table 3-7): its
// length and code point, or length 0 when the byte starts none.
struct CodePoint {
  size_t length = 0;
  char32_t value = 0;
};

CodePoint DecodeUtf8(std::string_view text, size_t i) {
  const auto byte = [&](size_t k) {
    return static_cast<unsigned char>(text[k]);
  };
  const unsigned char lead = byte(i);
  if (lead < 0x80)
    return {1, lead};
  size_t length = 0;
  unsigned char low = 0x80, high = 0xBF; // range of the second byte
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3;
    if (lead == 0xE0)
      low = 0xA0; // no overlong forms
    if (lead == 0xED)
      high = 0x9F; // no surrogates
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4;
    if (lead == 0xF0)
      low = 0x90; // no overlong forms
    if (lead == 0xF4)
      high = 0x8F; // nothing past U+10FFFF
  } else {
    return {};
  }
  if (i + length > text.size())
    return {};
  if (byte(i + 1) < low || byte(i + 1) > high)
    return {};
  char32_t value = lead & (0x7F >> length);
  for (size_t k = 1; k < length; ++k) {
    if (k > 1 && (byte(i + k) & 0xC0) != 0x80)
      return {};
    value = (value << 6) | (byte(i + k) & 0x3F);
  }
  return {length, value};
}

std::string Hex(unsigned value, int digits) {
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "%0*X", digits, value);
  return buffer;
}

// "name:line: message".
Error RowError(const std::string &name, int64_t line,
               const std::string &message) {
  return InvalidInput(name + ":" + std::to_string(line) + ": " + message);
}

std::string Quoted(std::string_view bytes) {
  return "'" + EscapeForMessage(bytes) + "'";
}

std::string_view WithoutByteOrderMark(std::string_view bytes) {
  if (bytes.starts_with("\xEF\xBB\xBF"))
    bytes.remove_prefix(3);
  return bytes;
}

// Calls on_line(line_number, line) for each line of `bytes` split at LF,
// a trailing CR dropped. A final line without LF counts; nothing after a
// final LF does.
// Tells a StepsDone how far parsing has come, about every MiB.
class ParsedBytes {
public:
  explicit ParsedBytes(const StepsDone &report) : report_(report) {}

  // Parsing has reached byte `offset`.
  void At(size_t offset) {
    if (report_ && offset >= next_) {
      report_(static_cast<int64_t>(offset));
      next_ = offset + kInterval;
    }
  }

private:
  static constexpr size_t kInterval = size_t{1} << 20;
  const StepsDone &report_;
  size_t next_ = kInterval;
};

template <typename OnLine>
void ForEachLine(std::string_view bytes, ParsedBytes &parsed,
                 OnLine &&on_line) {
  const size_t size = bytes.size();
  int64_t number = 0;
  while (!bytes.empty()) {
    const size_t end = bytes.find('\n');
    std::string_view line = bytes.substr(0, end);
    bytes.remove_prefix(end == std::string_view::npos ? bytes.size() : end + 1);
    if (line.ends_with('\r'))
      line.remove_suffix(1);
    on_line(++number, line);
    parsed.At(size - bytes.size());
  }
}

std::string CheckedLabel(std::string label, const std::string &name,
                         int64_t line) {
  if (const auto problem = ClassNameProblem(label)) {
    throw RowError(name, line, "label " + Quoted(label) + " " + *problem);
  }
  return label;
}

struct Record {
  std::vector<std::string> fields;
  int64_t line = 0;
};

// RFC 4180 records with `delimiter` between fields. Records end in LF or
// CRLF; the last may end at the end of the file.
std::vector<Record> ReadCsvRecords(std::string_view bytes, char delimiter,
                                   const std::string &name,
                                   ParsedBytes &parsed) {
  std::vector<Record> records;
  int64_t line = 1;
  size_t i = 0;
  const size_t n = bytes.size();
  const auto at_line_end = [&](size_t k) {
    return k < n && (bytes[k] == '\n' ||
                     (bytes[k] == '\r' && k + 1 < n && bytes[k + 1] == '\n'));
  };
  while (i < n) {
    Record record;
    record.line = line;
    if (at_line_end(i))
      throw RowError(name, line, "empty line");
    for (;;) {
      std::string field;
      if (i < n && bytes[i] == '"') {
        const int64_t opened = line;
        ++i;
        for (;;) {
          if (i >= n) {
            throw RowError(name, opened,
                           "unterminated quoted field (the quote opened on "
                           "this line never closes)");
          }
          if (bytes[i] == '"') {
            if (i + 1 < n && bytes[i + 1] == '"') {
              field += '"';
              i += 2;
              continue;
            }
            ++i;
            break;
          }
          if (bytes[i] == '\n')
            ++line;
          field += bytes[i++];
        }
        if (i < n && bytes[i] != delimiter && !at_line_end(i)) {
          throw RowError(name, line,
                         "unexpected " + Quoted(bytes.substr(i, 1)) +
                             " after the closing quote of a field (a quote "
                             "inside a quoted field is written \"\")");
        }
      } else {
        const size_t start = i;
        while (i < n && bytes[i] != delimiter && !at_line_end(i)) {
          if (bytes[i] == '"') {
            throw RowError(name, line,
                           "quote inside an unquoted field; quote the whole "
                           "field and double the quote (\"\")");
          }
          ++i;
        }
        field.assign(bytes.substr(start, i - start));
      }
      record.fields.push_back(std::move(field));
      if (i < n && bytes[i] == delimiter) {
        ++i;
        continue;
      }
      if (i < n) { // a line end
        i += bytes[i] == '\r' ? 2 : 1;
        ++line;
      }
      break;
    }
    records.push_back(std::move(record));
    parsed.At(i);
  }
  return records;
}

// IANA text/tab-separated-values: every tab separates, no quoting.
std::vector<Record> ReadTsvRecords(std::string_view bytes,
                                   const std::string &name,
                                   ParsedBytes &parsed) {
  std::vector<Record> records;
  ForEachLine(bytes, parsed, [&](int64_t line, std::string_view text) {
    if (text.empty())
      throw RowError(name, line, "empty line");
    Record record;
    record.line = line;
    for (;;) {
      const size_t tab = text.find('\t');
      record.fields.emplace_back(text.substr(0, tab));
      if (tab == std::string_view::npos)
        break;
      text.remove_prefix(tab + 1);
    }
    records.push_back(std::move(record));
  });
  return records;
}

// The position of `column` in the header, naming the flag that chooses it.
size_t ColumnIndex(const Record &header, const std::string &column,
                   const char *flag, const std::string &name) {
  const auto &fields = header.fields;
  const auto found = std::find(fields.begin(), fields.end(), column);
  if (found == fields.end()) {
    std::string columns;
    for (const std::string &field : fields) {
      columns += (columns.empty() ? "" : ", ") + Quoted(field);
    }
    throw RowError(name, header.line,
                   "no column " + Quoted(column) + " in the header (columns: " +
                       columns + "); choose one with " + flag);
  }
  if (std::find(found + 1, fields.end(), column) != fields.end()) {
    throw RowError(name, header.line,
                   "the header names column " + Quoted(column) + " twice");
  }
  return static_cast<size_t>(found - fields.begin());
}

std::vector<LabeledRow> RowsOfTable(std::vector<Record> records,
                                    const InputOptions &options,
                                    const std::string &name) {
  if (records.empty()) {
    throw InvalidInput(name + ": empty file; expected a header line naming "
                              "the columns, then one row per text");
  }
  const Record &header = records.front();
  const size_t text_index =
      ColumnIndex(header, options.text_column, "--text-column", name);
  const size_t label_index =
      ColumnIndex(header, options.label_column, "--label-column", name);
  std::vector<LabeledRow> rows;
  rows.reserve(records.size() - 1);
  for (size_t r = 1; r < records.size(); ++r) {
    Record &record = records[r];
    if (record.fields.size() != header.fields.size()) {
      throw RowError(
          name, record.line,
          std::to_string(record.fields.size()) + " field(s), expected " +
              std::to_string(header.fields.size()) + " as in the header");
    }
    rows.push_back(
        {std::move(record.fields[text_index]),
         CheckedLabel(std::move(record.fields[label_index]), name, record.line),
         record.line});
  }
  return rows;
}

std::string JsonTypeName(const json &value) { return value.type_name(); }

std::vector<LabeledRow> ParseJsonLines(std::string_view bytes,
                                       const InputOptions &options,
                                       const std::string &name,
                                       ParsedBytes &parsed) {
  std::vector<LabeledRow> rows;
  const std::string &text_key = options.text_column;
  const std::string &label_key = options.label_column;
  ForEachLine(bytes, parsed, [&](int64_t line, std::string_view text) {
    if (text.find_first_not_of(" \t") == std::string_view::npos) {
      throw RowError(name, line, "empty line");
    }
    json object;
    try {
      object = json::parse(text);
    } catch (const json::parse_error &error) {
      // what() is "[json.exception.parse_error.101] parse error at ...".
      std::string_view message = error.what();
      const size_t bracket = message.find("] ");
      if (bracket != std::string_view::npos)
        message.remove_prefix(bracket + 2);
      throw RowError(name, line,
                     "not valid JSON: " + EscapeForMessage(message));
    }
    if (!object.is_object()) {
      throw RowError(name, line,
                     "expected a JSON object, got " + JsonTypeName(object));
    }
    const auto text_value = object.find(text_key);
    if (text_value == object.end()) {
      throw RowError(name, line,
                     "no key " + Quoted(text_key) +
                         "; choose the text's key with --text-column");
    }
    if (!text_value->is_string()) {
      throw RowError(name, line,
                     "key " + Quoted(text_key) + " must be a string, got " +
                         JsonTypeName(*text_value));
    }
    const auto label_value = object.find(label_key);
    if (label_value == object.end()) {
      throw RowError(name, line,
                     "no key " + Quoted(label_key) +
                         "; choose the label's key with --label-column");
    }
    std::string label;
    if (label_value->is_string()) {
      label = label_value->get<std::string>();
    } else if (label_value->is_number_integer()) {
      label = label_value->dump(); // decimal digits, a '-' when negative
    } else {
      throw RowError(name, line,
                     "key " + Quoted(label_key) +
                         " must be a string or an integer, got " +
                         JsonTypeName(*label_value));
    }
    rows.push_back({text_value->get<std::string>(),
                    CheckedLabel(std::move(label), name, line), line});
  });
  return rows;
}

// fastText splits words at these bytes (Dictionary::readWord).
bool IsFastTextSpace(char c) {
  return c == ' ' || c == '\t' || c == '\v' || c == '\f' || c == '\0';
}

std::vector<LabeledRow> ParseFastText(std::string_view bytes,
                                      const std::string &name,
                                      ParsedBytes &parsed) {
  constexpr std::string_view kPrefix = "__label__";
  std::vector<LabeledRow> rows;
  ForEachLine(bytes, parsed, [&](int64_t line, std::string_view text) {
    if (text.empty())
      throw RowError(name, line, "empty line");
    if (!text.starts_with(kPrefix)) {
      throw RowError(name, line,
                     "no label: a line starts with __label__NAME, then the "
                     "text (fastText's format)");
    }
    size_t end = kPrefix.size();
    while (end < text.size() && !IsFastTextSpace(text[end]))
      ++end;
    std::string label(text.substr(kPrefix.size(), end - kPrefix.size()));
    const std::string_view rest =
        end < text.size() ? text.substr(end + 1) : std::string_view();
    // Another word starting with __label__ would be a second label.
    for (size_t i = 0; i < rest.size();) {
      while (i < rest.size() && IsFastTextSpace(rest[i]))
        ++i;
      size_t word_end = i;
      while (word_end < rest.size() && !IsFastTextSpace(rest[word_end])) {
        ++word_end;
      }
      const std::string_view word = rest.substr(i, word_end - i);
      if (word.starts_with(kPrefix)) {
        throw RowError(name, line,
                       "a second label " + Quoted(word) +
                           "; each line has exactly one");
      }
      i = word_end;
    }
    rows.push_back(
        {std::string(rest), CheckedLabel(std::move(label), name, line), line});
  });
  return rows;
}

} // namespace

InputFormat ParseInputFormat(std::string_view name) {
  if (name == "csv")
    return InputFormat::kCsv;
  if (name == "tsv")
    return InputFormat::kTsv;
  if (name == "jsonl")
    return InputFormat::kJsonLines;
  if (name == "fasttext")
    return InputFormat::kFastText;
  throw InvalidInput(
      "--input-format must be csv, tsv, jsonl or fasttext, got " +
      Quoted(name));
}

std::string_view InputFormatName(InputFormat format) {
  switch (format) {
  case InputFormat::kByExtension:
    return "by extension";
  case InputFormat::kCsv:
    return "csv";
  case InputFormat::kTsv:
    return "tsv";
  case InputFormat::kJsonLines:
    return "jsonl";
  case InputFormat::kFastText:
    return "fasttext";
  }
  return "unknown";
}

std::optional<InputFormat>
InputFormatOfPath(const std::filesystem::path &path) {
  std::string extension = path.extension().string();
  std::transform(
      extension.begin(), extension.end(), extension.begin(), [](char c) {
        return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
      });
  if (extension == ".csv")
    return InputFormat::kCsv;
  if (extension == ".tsv")
    return InputFormat::kTsv;
  if (extension == ".jsonl" || extension == ".ndjson") {
    return InputFormat::kJsonLines;
  }
  if (extension == ".ft" || extension == ".fasttext") {
    return InputFormat::kFastText;
  }
  return std::nullopt;
}

std::vector<LabeledRow> ParseDataFile(std::string_view bytes,
                                      InputFormat format,
                                      const InputOptions &options,
                                      const std::string &name,
                                      const StepsDone &on_parsed) {
  if (format != InputFormat::kFastText &&
      options.text_column == options.label_column) {
    throw InvalidInput(
        "--text-column and --label-column must differ, both are " +
        Quoted(options.text_column));
  }
  const size_t size = bytes.size();
  bytes = WithoutByteOrderMark(bytes);
  const size_t mark = size - bytes.size();
  // Offsets past the byte order mark, so they count the file's bytes.
  const StepsDone past_mark = [&](int64_t offset) {
    on_parsed(offset + static_cast<int64_t>(mark));
  };
  // (Both operands are lvalues, so this binds to one of them, not a copy.)
  ParsedBytes parsed(on_parsed ? past_mark : on_parsed);
  std::vector<LabeledRow> rows;
  // Classic Mac OS files end lines with a CR alone: read as one line, they
  // would fail with a confusing message about the first row.
  const size_t carriage_return = bytes.find('\r');
  if (bytes.find('\n') == std::string_view::npos &&
      carriage_return != std::string_view::npos &&
      carriage_return + 1 < bytes.size()) {
    throw InvalidInput(name +
                       ": lines end with a carriage return alone (classic "
                       "Mac OS); convert them to newlines, e.g. with "
                       "tr '\\r' '\\n'");
  }
  switch (format) {
  case InputFormat::kCsv:
    rows = RowsOfTable(ReadCsvRecords(bytes, ',', name, parsed), options, name);
    break;
  case InputFormat::kTsv:
    rows = RowsOfTable(ReadTsvRecords(bytes, name, parsed), options, name);
    break;
  case InputFormat::kJsonLines:
    rows = ParseJsonLines(bytes, options, name, parsed);
    break;
  case InputFormat::kFastText:
    rows = ParseFastText(bytes, name, parsed);
    break;
  case InputFormat::kByExtension:
    throw InvalidInput(name + ": no input format given");
  }
  if (on_parsed) on_parsed(static_cast<int64_t>(size));
  return rows;
}

std::optional<std::string> ClassNameProblem(std::string_view name) {
  if (name.empty())
    return "is empty";
  for (size_t i = 0; i < name.size();) {
    const CodePoint point = DecodeUtf8(name, i);
    if (point.length == 0) {
      return "is not valid UTF-8 (byte 0x" +
             Hex(static_cast<unsigned char>(name[i]), 2) + " at offset " +
             std::to_string(i) + ")";
    }
    if (point.value < 0x20 || (point.value >= 0x7F && point.value <= 0x9F)) {
      return "holds a control character (U+" + Hex(point.value, 4) +
             "); class names must be printable, without tabs or line breaks";
    }
    i += point.length;
  }
  return std::nullopt;
}

std::string EscapeForMessage(std::string_view bytes) {
  std::string escaped;
  escaped.reserve(bytes.size());
  for (size_t i = 0; i < bytes.size();) {
    const CodePoint point = DecodeUtf8(bytes, i);
    const unsigned char byte = static_cast<unsigned char>(bytes[i]);
    if (point.length == 0) {
      escaped += "\\x" + Hex(byte, 2);
      ++i;
      continue;
    }
    if (point.value == '\t') {
      escaped += "\\t";
    } else if (point.value == '\n') {
      escaped += "\\n";
    } else if (point.value == '\r') {
      escaped += "\\r";
    } else if (point.value == '\\') {
      escaped += "\\\\";
    } else if (point.value < 0x20 || point.value == 0x7F) {
      escaped += "\\x" + Hex(point.value, 2);
    } else if (point.value >= 0x80 && point.value <= 0x9F) {
      escaped += "\\u" + Hex(point.value, 4);
    } else {
      escaped.append(bytes.substr(i, point.length));
    }
    i += point.length;
  }
  return escaped;
}

} // namespace sentiment
