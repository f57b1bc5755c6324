#include "sentiment/predict.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <functional>
#include <istream>
#include <nlohmann/json.hpp>
#include <numeric>
#include <ostream>
#include <span>
#include <string_view>
#include <utility>

#include "sentiment/activation.h"
#include "sentiment/data_file.h"
#include "sentiment/dataset.h"
#include "sentiment/error.h"
#include "sentiment/line_reader.h"
#include "sentiment/model_file.h"
#include "sentiment/pipeline.h"
#include "thread_pool.h"

namespace sentiment {
namespace fs = std::filesystem;
namespace {

// A block is classified as a whole, then written. It must be large enough
// that the threads' fork and join cost little next to the work, and small
// enough that memory stays flat: a megabyte of text, or a few files per
// thread at a time.
constexpr size_t kBlockBytes = size_t{1} << 20;
constexpr size_t kBlockLines = 8192;
constexpr size_t kDocumentsPerThread = 8;

// `error` is errno read right after the failing write or flush (0 when the
// stream failed without a system call failing, as a string stream can).
Error CannotWritePredictions(int error) {
  return IoError("cannot write the predictions to standard output" +
                 (error != 0 ? std::string(": ") + std::strerror(error)
                             : std::string()));
}

void Write(std::ostream& out, std::string_view bytes) {
  errno = 0;
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  if (!out) throw CannotWritePredictions(errno);
}

void Flush(std::ostream& out) {
  errno = 0;
  out.flush();
  if (!out) throw CannotWritePredictions(errno);
}

// `value` rounded to the 7 significant digits predict prints, so that
// --threshold agrees with the probability the user sees.
float AsPrinted(float value) {
  char number[32];
  std::snprintf(number, sizeof number, "%.7g", value);
  return std::strtof(number, nullptr);
}

// Appends `value` as %<format> (a printf format for one double).
void AppendNumber(std::string& out, const char* format, double value) {
  char number[32];
  out.append(number, static_cast<size_t>(
                         std::snprintf(number, sizeof number, format, value)));
}

// Appends `value` as a JSON number: the shortest form that reads back as
// the same float (std::to_chars), or null if it is not finite (JSON has no
// NaN or infinity; finite weights make this unreachable in practice).
// The shortest text that reads back as `value` (float or double).
template <typename Number>
void AppendJsonNumber(std::string& out, Number value) {
  if (!std::isfinite(value)) {
    out += "null";
    return;
  }
  char number[32];
  const auto result = std::to_chars(number, number + sizeof number, value);
  out.append(number, result.ptr);
}

// Whether `bytes` are all printable ASCII other than quote and backslash:
// text that neither JSON nor EscapeForMessage changes.
bool IsPlainAscii(std::string_view bytes) {
  return std::all_of(bytes.begin(), bytes.end(), [](char c) {
    return c >= 0x20 && c < 0x7f && c != '"' && c != '\\';
  });
}

// Appends `bytes` as a JSON string. Plain ASCII is copied; anything else
// goes through nlohmann's escaping, with invalid UTF-8 replaced by U+FFFD
// rather than thrown on.
void AppendJsonString(std::string& out, std::string_view bytes) {
  if (IsPlainAscii(bytes)) {
    out += '"';
    out += bytes;
    out += '"';
    return;
  }
  out += nlohmann::json(std::string(bytes))
             .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

// Appends `values` as a JSON array of numbers.
void AppendJsonNumbers(std::string& out, std::span<const float> values) {
  out += '[';
  for (size_t i = 0; i < values.size(); ++i) {
    if (i > 0) out += ',';
    AppendJsonNumber(out, values[i]);
  }
  out += ']';
}

// One thread's buffers while a block is classified.
struct Worker {
  ExportPipeline::Scratch scratch;
  std::vector<float> logits;
  std::vector<float> probabilities;
  LogitExplanation explanation;
  std::vector<size_t> order;  // the explanation's terms, strongest first
  std::string document;  // the file being classified, for documents
  std::string results;   // this thread's result lines, in input order
  std::exception_ptr error;
};

// Lines read from the input, stored end to end so a block allocates once.
class LineBlock {
 public:
  // Replaces the block's lines with the next ones of `in`, reading only
  // what the stream already holds (in_avail) in large copies, and splitting
  // it at newlines; a line cut by the end of what was there is carried to
  // the next block. Waits for input only when the block has no whole line
  // yet, so a producer waiting for an answer gets it. Returns false at the
  // end of the input. Throws Error(kIo) naming `name` when reading fails.
  bool ReadFrom(std::istream& in, const std::string& name) {
    try {
      return Fill(*in.rdbuf());
    } catch (const Error&) {
      throw;  // the descriptor's read error, with its reason
    } catch (const std::bad_alloc&) {
      bytes_ = std::string();
      lines_.clear();
      throw IoError("reading " + name + " failed: " + std::strerror(ENOMEM));
    } catch (const std::exception&) {
      throw IoError("reading " + name + " failed");
    }
  }

  size_t size() const { return lines_.size(); }
  // The text of line i, without its "\n" and a "\r" before it.
  std::string_view Line(size_t i) const {
    return std::string_view(bytes_).substr(lines_[i].first,
                                           lines_[i].second - lines_[i].first);
  }
  // The first line of each of `parts` ranges holding about the same
  // number of bytes (the work is about proportional to them); n + 1
  // bounds, the last one size().
  std::vector<size_t> Bounds(int parts) const {
    std::vector<size_t> bounds = {0};
    const size_t total = lines_.empty() ? 0 : lines_.back().second;
    for (int part = 1; part < parts; ++part) {
      const size_t target =
          total * static_cast<size_t>(part) / static_cast<size_t>(parts);
      const size_t first = static_cast<size_t>(
          std::upper_bound(lines_.begin(), lines_.end(), target,
                           [](size_t t, const std::pair<size_t, size_t>& line) {
                             return t < line.second;
                           }) -
          lines_.begin());
      bounds.push_back(std::max(bounds.back(), std::min(first, size())));
    }
    bounds.push_back(size());
    return bounds;
  }

 private:
  // Reads at most this much more while the block already holds a line.
  static constexpr size_t kChunk = size_t{1} << 16;

  bool Fill(std::streambuf& buffer) {
    // The carried partial line moves to the front.
    bytes_.erase(0, tail_);
    tail_ = 0;
    lines_.clear();
    size_t scanned = bytes_.size();  // the carried part holds no newline
    for (;;) {
      const std::streamsize ready = buffer.in_avail();
      if (ready > 0) {
        const size_t room = bytes_.size() < kBlockBytes
                                ? kBlockBytes - bytes_.size()
                                : kChunk;
        const size_t take = std::min(static_cast<size_t>(ready), room);
        const size_t old = bytes_.size();
        bytes_.resize(old + take);
        const std::streamsize got =
            buffer.sgetn(bytes_.data() + old, static_cast<std::streamsize>(take));
        bytes_.resize(old + static_cast<size_t>(std::max<std::streamsize>(got, 0)));
        SplitLines(scanned);
        scanned = bytes_.size();
        if (!lines_.empty() &&
            (bytes_.size() >= kBlockBytes || lines_.size() >= kBlockLines)) {
          return true;
        }
        continue;
      }
      // Nothing more is ready: answer the lines there are before waiting.
      if (!lines_.empty()) return true;
      if (buffer.sgetc() == std::streambuf::traits_type::eof()) {
        if (tail_ == bytes_.size()) return false;
        AddLine(tail_, bytes_.size());  // a last line without a newline
        tail_ = bytes_.size();
        return true;
      }
    }
  }

  // Adds the lines ended by the newlines at or after `from`.
  void SplitLines(size_t from) {
    const char* data = bytes_.data();
    while (from < bytes_.size()) {
      const void* found =
          std::memchr(data + from, '\n', bytes_.size() - from);
      if (found == nullptr) return;
      const size_t end = static_cast<size_t>(static_cast<const char*>(found) - data);
      AddLine(tail_, end);
      tail_ = from = end + 1;
    }
  }

  void AddLine(size_t begin, size_t end) {
    if (end > begin && bytes_[end - 1] == '\r') --end;
    lines_.emplace_back(begin, end);
  }

  std::string bytes_;
  size_t tail_ = 0;  // start of the line not yet ended
  std::vector<std::pair<size_t, size_t>> lines_;  // [begin, end) of each line
};

std::vector<size_t> EvenBounds(size_t n, int parts) {
  std::vector<size_t> bounds;
  for (int part = 0; part <= parts; ++part) {
    bounds.push_back(n * static_cast<size_t>(part) /
                     static_cast<size_t>(parts));
  }
  return bounds;
}

int CheckedThreads(int threads) {
  if (threads < 1 || threads > 1024) {
    throw InvalidInput("--threads must be between 1 and 1024, got " +
                       std::to_string(threads));
  }
  return threads;
}

class BlockPredictor {
 public:
  BlockPredictor(const fs::path& bundle, const PredictOptions& options)
      : pipeline_(ReadBundle(bundle)),
        options_(options),
        pool_(CheckedThreads(options.threads)),
        workers_(static_cast<size_t>(pool_.size())) {
    if (options.threshold && pipeline_.outputs() != 1) {
      throw InvalidInput("--threshold is for binary models; " +
                         bundle.string() + " has " +
                         std::to_string(pipeline_.classes()) +
                         " classes (use --all for each class's probability)");
    }
    if (options.threshold &&
        !(*options.threshold >= 0.0f && *options.threshold <= 1.0f)) {
      char number[32];
      std::snprintf(number, sizeof number, "%g",
                    static_cast<double>(*options.threshold));
      throw InvalidInput(std::string("--threshold must be in [0, 1], got ") +
                         number);
    }
    if (options.format == PredictFormat::kJsonl) {
      const char* tsv_only = options.logits        ? "--logits"
                             : options.all         ? "--all"
                             : !options.show_class ? "--no-class"
                                                   : nullptr;
      if (tsv_only != nullptr) {
        throw InvalidInput(std::string(tsv_only) +
                           " chooses tab-separated fields; --format jsonl "
                           "always writes \"class\", \"probabilities\" and "
                           "\"logits\"");
      }
    }
    for (const std::string& name : pipeline_.model().class_names) {
      std::string quoted;
      AppendJsonString(quoted, name);
      json_class_names_.push_back(std::move(quoted));
    }
    for (Worker& worker : workers_) {
      worker.logits.resize(static_cast<size_t>(pipeline_.outputs()));
      worker.probabilities.resize(static_cast<size_t>(pipeline_.classes()));
    }
  }

  int threads() const { return pool_.size(); }

  // Appends the result line of `text`, newline included, to
  // worker.results; `path` is the document's, if it is one (--files).
  void AppendResult(std::string_view text, Worker& worker,
                    const fs::path* path = nullptr) const {
    pipeline_.Logits(text, worker.scratch, worker.logits);
    pipeline_.Probabilities(worker.logits, worker.probabilities);
    const int predicted =
        options_.threshold
            ? (AsPrinted(worker.probabilities[1]) >= *options_.threshold ? 1
                                                                         : 0)
            : PredictedClass(worker.logits);
    if (options_.explain) {
      // Binary: the one logit, the second class's; else the predicted one.
      pipeline_.Explain(text, pipeline_.outputs() == 1 ? 0 : predicted,
                        worker.scratch, worker.explanation);
    }
    if (options_.format == PredictFormat::kJsonl) {
      AppendJson(predicted, path, worker);
    } else {
      if (path != nullptr) {
        worker.results += EscapeForMessage(path->string());
        worker.results += '\t';
      }
      AppendFields(predicted, worker);
    }
    worker.results += '\n';
  }

  // The tab-separated fields of a result (see predict.h).
  void AppendFields(int predicted, Worker& worker) const {
    const std::span<const float> logits = worker.logits;
    const std::span<const float> probabilities = worker.probabilities;
    std::string& out = worker.results;
    const auto append = [&out](std::span<const float> values) {
      for (size_t i = 0; i < values.size(); ++i) {
        if (i > 0) out += '\t';
        AppendNumber(out, "%.7g", values[i]);
      }
    };
    if (options_.logits) {
      append(logits);
    } else if (options_.all) {
      append(probabilities);
    } else if (pipeline_.outputs() == 1) {
      append(probabilities.subspan(1, 1));  // the second class's
    } else {
      append(probabilities.subspan(static_cast<size_t>(predicted), 1));
    }
    if (options_.show_class) {
      out += '\t';
      out += pipeline_.model().class_names[static_cast<size_t>(predicted)];
    }
    if (options_.explain) AppendExplanationFields(worker);
  }

  // "\tbias B\tpadding P\tTERM C..." with the strongest terms first.
  void AppendExplanationFields(Worker& worker) const {
    const LogitExplanation& explanation = worker.explanation;
    std::string& out = worker.results;
    out += "\tbias ";
    AppendNumber(out, "%+.4g", explanation.bias);
    out += "\tpadding ";
    AppendNumber(out, "%+.4g", explanation.padding);
    std::vector<size_t>& order = worker.order;
    order.resize(explanation.size());
    std::iota(order.begin(), order.end(), size_t{0});
    const std::vector<double>& contributions = explanation.contributions;
    std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
      return std::fabs(contributions[a]) > std::fabs(contributions[b]);
    });
    for (const size_t i : order) {
      out += '\t';
      const std::string_view term = explanation.term(i);
      if (IsPlainAscii(term)) {
        out += term;  // as EscapeForMessage would leave it
      } else {
        out += EscapeForMessage(term);
      }
      out += ' ';
      AppendNumber(out, "%+.4g", contributions[i]);
    }
  }

  // The JSON object of a result (see predict.h), without the newline.
  void AppendJson(int predicted, const fs::path* path, Worker& worker) const {
    std::string& out = worker.results;
    out += '{';
    if (path != nullptr) {
      out += "\"path\":";
      AppendJsonString(out, path->string());
      out += ',';
    }
    out += "\"class\":";
    out += json_class_names_[static_cast<size_t>(predicted)];
    out += ",\"probabilities\":";
    AppendJsonNumbers(out, worker.probabilities);
    out += ",\"logits\":";
    AppendJsonNumbers(out, worker.logits);
    if (options_.explain) {
      const LogitExplanation& explanation = worker.explanation;
      // The one logit of a binary model is the second class's.
      const size_t explained = pipeline_.outputs() == 1
                                   ? 1
                                   : static_cast<size_t>(explanation.output);
      out += ",\"explanation\":{\"class\":";
      out += json_class_names_[explained];
      // As a double: the float's shortest text would read back a little
      // off its value, enough to matter when the parts cancel.
      out += ",\"bias\":";
      AppendJsonNumber(out, static_cast<double>(explanation.bias));
      out += ",\"padding\":";
      AppendJsonNumber(out, explanation.padding);
      out += ",\"tokens\":[";
      for (size_t i = 0; i < explanation.size(); ++i) {
        if (i > 0) out += ',';
        out += '[';
        AppendJsonString(out, explanation.term(i));
        out += ',';
        out += std::to_string(explanation.ids[i]);
        out += ',';
        AppendJsonNumber(out, explanation.contributions[i]);
        out += ']';
      }
      out += "]}";
    }
    out += '}';
  }

  // Runs item(i, worker) for every i, thread t taking [bounds[t],
  // bounds[t + 1]), then writes the threads' results in order. A thread
  // stops at its first exception; the results before the earliest failing
  // item are written, then that exception is rethrown.
  void Run(const std::vector<size_t>& bounds,
           const std::function<void(size_t, Worker&)>& item, std::ostream& out) {
    pool_.Run([&](int thread) {
      Worker& worker = workers_[static_cast<size_t>(thread)];
      worker.results.clear();
      worker.error = nullptr;
      try {
        for (size_t i = bounds[static_cast<size_t>(thread)];
             i < bounds[static_cast<size_t>(thread) + 1]; ++i) {
          item(i, worker);
        }
      } catch (...) {
        worker.error = std::current_exception();
      }
    });
    for (Worker& worker : workers_) {
      Write(out, worker.results);
      if (worker.error) std::rethrow_exception(worker.error);
    }
  }

  // Classifies the lines of `in` until it ends.
  void PredictLines(std::istream& in, const std::string& name,
                    std::ostream& out) {
    LineBlock block;
    while (block.ReadFrom(in, name)) {
      Run(block.Bounds(threads()),
          [this, &block](size_t i, Worker& worker) {
            AppendResult(block.Line(i), worker);
          },
          out);
      // Flushed whenever the input runs dry, so an interactive producer
      // sees each answer at once, while piped files go out in large blocks.
      if (in.rdbuf()->in_avail() <= 0) Flush(out);
    }
    Flush(out);
  }

  // Classifies each file as one text, printing its path first.
  void PredictDocuments(const std::vector<fs::path>& files, std::ostream& out) {
    const size_t block = kDocumentsPerThread * static_cast<size_t>(threads());
    for (size_t first = 0; first < files.size(); first += block) {
      const size_t n = std::min(block, files.size() - first);
      Run(EvenBounds(n, threads()),
          [this, &files, first](size_t i, Worker& worker) {
            const fs::path& path = files[first + i];
            worker.document = ReadFileBytes(path);
            AppendResult(worker.document, worker, &path);
          },
          out);
      Flush(out);
    }
  }

 private:
  const ExportPipeline pipeline_;
  const PredictOptions options_;
  ThreadPool pool_;
  std::vector<Worker> workers_;
  std::vector<std::string> json_class_names_;  // each a quoted JSON string
};

// What `path` is, refusing before any output what cannot be read.
fs::file_type TypeOfInput(const fs::path& path) {
  std::error_code error;
  const fs::file_type type = fs::status(path, error).type();
  if (type == fs::file_type::not_found) {
    throw InvalidInput(path.string() + ": no such file");
  }
  if (error) {
    throw IoError(path.string() + ": cannot access: " + error.message());
  }
  return type;
}

// Closes a descriptor when its input is done.
struct DescriptorCloser {
  int fd;
  ~DescriptorCloser() { ::close(fd); }
};

}  // namespace

PredictFormat ParsePredictFormat(std::string_view name) {
  if (name == "tsv") return PredictFormat::kTsv;
  if (name == "jsonl") return PredictFormat::kJsonl;
  throw InvalidInput("--format must be tsv or jsonl, got '" +
                     EscapeForMessage(name) + "'");
}

void RunPredict(const fs::path& bundle, std::istream& in, std::ostream& out,
                const PredictOptions& options, const std::string& name) {
  BlockPredictor predictor(bundle, options);
  predictor.PredictLines(in, name, out);
  Flush(out);
}

void RunPredictOnFiles(const fs::path& bundle,
                       const std::vector<std::string>& inputs,
                       std::istream& standard_input, std::ostream& out,
                       const PredictOptions& options) {
  for (const std::string& input : inputs) {
    if (input != "-" && TypeOfInput(input) == fs::file_type::directory) {
      throw InvalidInput(input +
                         ": is a directory (predict --files classifies each "
                         ".txt file under a folder as one text)");
    }
  }
  BlockPredictor predictor(bundle, options);
  for (const std::string& input : inputs) {
    if (input == "-") {
      predictor.PredictLines(standard_input, "standard input", out);
      continue;
    }
    const int fd = ::open(input.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
      throw IoError(input + ": cannot open for reading: " +
                    std::strerror(errno));
    }
    const DescriptorCloser closer{fd};
    DescriptorInputBuffer buffer(fd, input);
    std::istream in(&buffer);
    predictor.PredictLines(in, input, out);
  }
  Flush(out);
}

void RunPredictDocuments(const fs::path& bundle,
                         const std::vector<fs::path>& paths, std::ostream& out,
                         const PredictOptions& options) {
  std::vector<fs::path> files;
  for (const fs::path& path : paths) {
    if (TypeOfInput(path) == fs::file_type::directory) {
      for (fs::path& file : ListTextFilesUnder(path)) {
        files.push_back(std::move(file));
      }
    } else {
      files.push_back(path);
    }
  }
  BlockPredictor predictor(bundle, options);
  predictor.PredictDocuments(files, out);
  Flush(out);
}

}  // namespace sentiment
