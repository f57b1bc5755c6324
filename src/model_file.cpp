#include "sentiment/model_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <bit>
#include <cerrno>
#include <cinttypes>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <limits>
#include <nlohmann/json.hpp>
#include <utility>

#include "file_reading.h"
#include "huge_pages.h"
#include "output_path.h"
#include "sentiment/atomic_file.h"
#include "sentiment/error.h"

namespace sentiment {
namespace {

using json = nlohmann::json;

static_assert(std::endian::native == std::endian::little,
              "weights are stored as little-endian float32");

// Largest sizes a model file may declare; they bound every allocation made
// from a file's contents before the weights are checked against them. The
// vocabulary and sequence length match what `train` accepts (model.cpp), so
// a crafted file cannot make predict allocate more than a trained one.
constexpr int64_t kMaxVocabularySize = 50'000'000;
constexpr int64_t kMaxSequenceLength = 100'000;
constexpr int64_t kMaxEmbeddingDim = 100'000;
constexpr int64_t kMaxClasses = 1'000'000;

// The deepest nesting a valid payload has is 7 (root, training, history,
// val_logit_histogram, counts, an epoch, a class); anything deeper is
// refused before parsing (see CheckCborStructure).
constexpr size_t kMaxCborDepth = 8;

// Byte strings this long are read in place rather than through the parser
// (see CheckCborStructure); the tag that marks them in the parsed copy.
constexpr uint64_t kSectionMinimum = 4096;
constexpr uint8_t kSectionTag = 99;

// Slicing-by-8 tables: table[0] is the classic byte table, table[k] advances
// a byte through k more zero bytes, so eight bytes cost eight lookups
// without a dependency chain between them.
using Crc32Tables = std::array<std::array<uint32_t, 256>, 8>;
constexpr Crc32Tables MakeCrc32Tables() {
  Crc32Tables tables{};
  for (uint32_t i = 0; i < 256; ++i) {
    uint32_t c = i;
    for (int k = 0; k < 8; ++k) c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
    tables[0][i] = c;
  }
  for (size_t k = 1; k < 8; ++k) {
    for (uint32_t i = 0; i < 256; ++i) {
      const uint32_t previous = tables[k - 1][i];
      tables[k][i] = (previous >> 8) ^ tables[0][previous & 0xFFu];
    }
  }
  return tables;
}
constexpr Crc32Tables kCrc32Tables = MakeCrc32Tables();

template <typename T>
T LoadLittleEndian(const uint8_t* bytes) {
  T value;
  std::memcpy(&value, bytes, sizeof value);
  return value;
}

template <typename T>
void StoreLittleEndian(T value, uint8_t* bytes) {
  std::memcpy(bytes, &value, sizeof value);
}

// Walks the CBOR item structure of `bytes` without recursion and without
// allocating for it: one well-formed item (RFC 8949) that uses only
// definite lengths (all EncodeModelFile writes) and no tags, nested at most
// kMaxCborDepth levels, each declared length within the bytes present.
// nlohmann's reader recurses once per nested item and per chunk of an
// indefinite-length string, so without this a small crafted payload could
// exhaust the stack. Returns "" when the structure is fine, else what is
// wrong and where.
//
// The same walk writes `slim`: a copy of the payload in which every byte
// string of at least kSectionMinimum bytes is replaced by tag kSectionTag
// around an 8-byte index into `sections`, which points at the original
// bytes. The parser then copies kilobytes instead of the weights, byte by
// byte, and the weights are copied once, straight into place. (Payloads may
// not hold tags, see above, so a tag in `slim` is always ours.)
std::string CheckCborStructure(std::span<const uint8_t> bytes,
                               std::vector<uint8_t>& slim,
                               std::vector<std::span<const uint8_t>>& sections) {
  const size_t size = bytes.size();
  slim.reserve(std::min<size_t>(size, 1 << 16));
  size_t pos = 0;
  // Items still to read in each open container; the first entry is the
  // top-level item itself.
  std::vector<uint64_t> remaining = {1};
  while (!remaining.empty()) {
    if (remaining.back() == 0) {
      remaining.pop_back();
      continue;
    }
    --remaining.back();
    const size_t start = pos;
    const auto at = [start](const char* what) {
      return "at byte " + std::to_string(start) + ": " + what;
    };
    if (pos == size) return at("unexpected end of the payload");
    const uint8_t initial = bytes[pos++];
    const int major = initial >> 5;
    const int info = initial & 31;
    uint64_t argument = static_cast<uint64_t>(info);
    if (info >= 24 && info <= 27) {
      const size_t width = size_t{1} << (info - 24);
      if (size - pos < width) return at("unexpected end of the payload");
      argument = 0;
      for (size_t k = 0; k < width; ++k) argument = (argument << 8) | bytes[pos++];
    } else if (info == 31) {
      return at(major == 7 ? "a break code outside any item"
                           : "an indefinite-length item");
    } else if (info > 27) {
      return at("a reserved additional-information value");
    }
    switch (major) {
      case 2:  // byte string
      case 3:  // text string
        if (argument > size - pos) return at("a string longer than the payload");
        pos += static_cast<size_t>(argument);
        break;
      case 4:  // array
      case 5:  // map: two items per entry
        // Every item takes at least one byte, so this bounds the count.
        if (argument > size - pos) return at("more items than the payload holds");
        if (remaining.size() - 1 >= kMaxCborDepth) {
          return "nesting deeper than " + std::to_string(kMaxCborDepth) + " levels";
        }
        remaining.push_back(major == 4 ? argument : 2 * argument);
        break;
      case 6:
        return at("a tagged item");
      default:  // 0, 1: integers; 7: simple values and floats
        break;
    }
    if (major == 2 && argument >= kSectionMinimum) {
      const uint64_t index = sections.size();
      sections.push_back(bytes.subspan(pos - argument, argument));
      slim.push_back(0xD8);  // tag, one-byte number
      slim.push_back(kSectionTag);
      slim.push_back(0x48);  // byte string of 8 bytes
      for (int k = 0; k < 8; ++k) slim.push_back(static_cast<uint8_t>(index >> (8 * k)));
    } else {
      slim.insert(slim.end(), bytes.begin() + start, bytes.begin() + pos);
    }
  }
  if (pos != size) {
    return "at byte " + std::to_string(pos) + ": data after the CBOR item";
  }
  return "";
}

json::binary_t FloatsToBinary(const float* values, size_t count) {
  json::binary_t binary;
  binary.resize(count * sizeof(float));
  std::memcpy(binary.data(), values, binary.size());
  return binary;
}

json::binary_t VocabularyToBinary(const Vocabulary& vocabulary) {
  json::binary_t binary;
  for (size_t i = 0; i < vocabulary.tokens().size(); ++i) {
    if (i > 0) binary.push_back('\n');
    const std::string& token = vocabulary.tokens()[i];
    binary.insert(binary.end(), token.begin(), token.end());
  }
  return binary;
}

json HistoryToJson(const std::vector<EpochMetrics>& history) {
  json loss = json::array(), accuracy = json::array(),
       val_loss = json::array(), val_accuracy = json::array();
  for (const EpochMetrics& epoch : history) {
    loss.push_back(epoch.loss);
    accuracy.push_back(epoch.accuracy);
    val_loss.push_back(epoch.val_loss);
    val_accuracy.push_back(epoch.val_accuracy);
  }
  json result = {{"loss", loss},
                 {"accuracy", accuracy},
                 {"val_loss", val_loss},
                 {"val_accuracy", val_accuracy}};
  // Every epoch validates on the same set, so either all have a histogram
  // or none has (no validation set).
  if (!history.empty() && !history.front().val_logits.empty()) {
    const HistogramBins& bins = history.front().val_logits.bins;
    json counts = json::array(), means = json::array();
    for (const EpochMetrics& epoch : history) {
      counts.push_back(epoch.val_logits.counts);
      means.push_back(epoch.val_logits.means);
    }
    result["val_logit_histogram"] = {{"low", bins.low},
                                     {"high", bins.high},
                                     {"bins", bins.bins},
                                     {"counts", counts},
                                     {"means", means}};
  }
  return result;
}

// Field access that reports the dotted path of whatever is missing or of the
// wrong type, prefixed by the file name.
class Reader {
 public:
  explicit Reader(std::string name) : name_(std::move(name)) {}

  // Large byte strings stay in the payload (see CheckCborStructure); the
  // parsed tree holds a tagged index into this list in their place.
  std::vector<std::span<const uint8_t>>& sections() { return sections_; }

  [[noreturn]] void Fail(const std::string& message) const {
    throw BadModelFile(name_ + ": " + message);
  }

  const json& Field(const json& object, const std::string& key,
                    const std::string& where) const {
    if (!object.is_object()) Fail("'" + where + "' is not a map");
    const auto it = object.find(key);
    if (it == object.end()) Fail("missing field '" + Join(where, key) + "'");
    return *it;
  }

  int64_t Integer(const json& object, const std::string& key,
                  const std::string& where, int64_t min, int64_t max) const {
    const json& value = Field(object, key, where);
    if (!value.is_number_integer()) {
      Fail("field '" + Join(where, key) + "' is not an integer");
    }
    if (value.is_number_unsigned() &&
        value.get<uint64_t>() > static_cast<uint64_t>(INT64_MAX)) {
      Fail("field '" + Join(where, key) + "' is " +
           std::to_string(value.get<uint64_t>()) + ", expected " +
           std::to_string(min) + " to " + std::to_string(max));
    }
    const int64_t n = value.get<int64_t>();
    if (n < min || n > max) {
      Fail("field '" + Join(where, key) + "' is " + std::to_string(n) +
           ", expected " + std::to_string(min) + " to " + std::to_string(max));
    }
    return n;
  }

  double Number(const json& object, const std::string& key,
                const std::string& where) const {
    const json& value = Field(object, key, where);
    if (!value.is_number()) Fail("field '" + Join(where, key) + "' is not a number");
    return value.get<double>();
  }

  std::string String(const json& object, const std::string& key,
                     const std::string& where) const {
    const json& value = Field(object, key, where);
    if (!value.is_string()) Fail("field '" + Join(where, key) + "' is not a string");
    return value.get<std::string>();
  }

  std::span<const uint8_t> Binary(const json& object, const std::string& key,
                                  const std::string& where) const {
    const json& value = Field(object, key, where);
    if (!value.is_binary()) {
      Fail("field '" + Join(where, key) + "' is not a byte string");
    }
    const json::binary_t& binary = value.get_binary();
    if (binary.has_subtype() && binary.subtype() == kSectionTag) {
      uint64_t index = 0;
      std::memcpy(&index, binary.data(), std::min(binary.size(), sizeof index));
      return sections_.at(static_cast<size_t>(index));
    }
    return {binary.data(), binary.size()};
  }

  // Copies the float32 values of a byte string that must hold exactly
  // `count` of them into `out`.
  void Floats(const json& object, const std::string& key,
              const std::string& where, int64_t count, const std::string& shape,
              float* out) const {
    const std::span<const uint8_t> bytes = Binary(object, key, where);
    if (static_cast<int64_t>(bytes.size()) != count * 4) {
      Fail(Join(where, key) + " has " + std::to_string(bytes.size() / 4) +
           " values, expected " + shape);
    }
    std::memcpy(out, bytes.data(), bytes.size());
  }

 private:
  static std::string Join(const std::string& where, const std::string& key) {
    return where.empty() ? key : where + "." + key;
  }

  std::string name_;
  std::vector<std::span<const uint8_t>> sections_;
};

std::vector<std::string> ReadClassNames(const Reader& reader, const json& root,
                                        int64_t version) {
  const json& names = reader.Field(root, "class_names", "");
  if (version == 2 && (!names.is_array() || names.size() != 2)) {
    reader.Fail("field 'class_names' must list exactly 2 classes");
  }
  if (!names.is_array() || names.size() < 2 ||
      names.size() > static_cast<size_t>(kMaxClasses)) {
    reader.Fail("field 'class_names' must list 2 to " +
                std::to_string(kMaxClasses) + " classes");
  }
  std::vector<std::string> class_names;
  for (const json& name : names) {
    if (!name.is_string() || name.get<std::string>().empty()) {
      reader.Fail("field 'class_names' holds an empty or non-string name");
    }
    class_names.push_back(name.get<std::string>());
  }
  std::vector<std::string> sorted = class_names;
  std::sort(sorted.begin(), sorted.end());
  const auto repeated = std::adjacent_find(sorted.begin(), sorted.end());
  if (repeated != sorted.end()) {
    reader.Fail("field 'class_names' repeats '" + *repeated + "'");
  }
  return class_names;
}

TextVectorization ReadVectorizer(const Reader& reader, const json& root,
                                 int64_t version) {
  const json& node = reader.Field(root, "vectorizer", "");
  VectorizerOptions options;
  try {
    options.standardize = ParseStandardizeMode(
        reader.String(node, "standardize", "vectorizer"));
  } catch (const Error& error) {
    reader.Fail(std::string("vectorizer.standardize: ") + error.what());
  }
  if (reader.String(node, "split", "vectorizer") != "whitespace") {
    reader.Fail("vectorizer.split must be 'whitespace'");
  }
  options.max_tokens = static_cast<int>(
      reader.Integer(node, "max_tokens", "vectorizer", 3, kMaxVocabularySize));
  options.output_sequence_length = static_cast<int>(reader.Integer(
      node, "output_sequence_length", "vectorizer", 1, kMaxSequenceLength));
  if (version >= 3) {
    options.ngrams = static_cast<int>(reader.Integer(
        node, "ngrams", "vectorizer", 1, TermSplitter::kMaxNgrams));
  }
  const int64_t size = reader.Integer(node, "vocabulary_size", "vectorizer", 2,
                                      options.max_tokens);

  const std::span<const uint8_t> bytes =
      reader.Binary(node, "vocabulary", "vectorizer");
  std::vector<std::string> tokens;
  // Bounded by the bytes present, not only by the declared count.
  tokens.reserve(std::min(static_cast<size_t>(size), bytes.size() + 1));
  AdviseHugePages(tokens.data(), tokens.capacity() * sizeof(std::string));
  size_t start = 0;
  for (size_t i = 0; i <= bytes.size(); ++i) {
    if (i == bytes.size() || bytes[i] == '\n') {
      if (static_cast<int64_t>(tokens.size()) == size) {
        reader.Fail("vectorizer.vocabulary holds more than the declared " +
                    std::to_string(size) + " tokens");
      }
      tokens.emplace_back(reinterpret_cast<const char*>(bytes.data()) + start,
                          i - start);
      start = i + 1;
    }
  }
  if (static_cast<int64_t>(tokens.size()) != size) {
    reader.Fail("vectorizer.vocabulary holds " + std::to_string(tokens.size()) +
                " tokens, expected " + std::to_string(size));
  }
  try {
    return TextVectorization(options, Vocabulary::FromTokens(std::move(tokens)));
  } catch (const Error& error) {
    reader.Fail(std::string("vectorizer: ") + error.what());
  }
}

Network ReadNetwork(const Reader& reader, const json& root,
                    const TextVectorization& vectorizer, int classes,
                    int64_t version) {
  const json& node = reader.Field(root, "network", "");
  NetworkConfig config;
  config.vocabulary_size = static_cast<int>(reader.Integer(
      node, "vocabulary_size", "network", 1, kMaxVocabularySize));
  config.sequence_length = static_cast<int>(reader.Integer(
      node, "sequence_length", "network", 1, kMaxSequenceLength));
  config.embedding_dim = static_cast<int>(
      reader.Integer(node, "embedding_dim", "network", 1, kMaxEmbeddingDim));
  config.dropout = static_cast<float>(reader.Number(node, "dropout", "network"));
  if (!(config.dropout >= 0.0f && config.dropout < 1.0f)) {
    reader.Fail("network.dropout must be in [0, 1)");
  }
  if (version >= 3) {
    config.outputs = static_cast<int>(
        reader.Integer(node, "outputs", "network", 1, kMaxClasses));
    const json& mask = reader.Field(node, "mask_padding", "network");
    if (!mask.is_boolean()) reader.Fail("field 'network.mask_padding' is not a boolean");
    config.mask_padding = mask.get<bool>();
  }
  if (config.outputs != OutputsForClasses(classes)) {
    reader.Fail("network.outputs is " + std::to_string(config.outputs) +
                " but " + std::to_string(classes) + " classes need " +
                std::to_string(OutputsForClasses(classes)));
  }
  if (config.vocabulary_size != vectorizer.vocabulary().size()) {
    reader.Fail("network.vocabulary_size is " +
                std::to_string(config.vocabulary_size) +
                " but the vocabulary has " +
                std::to_string(vectorizer.vocabulary().size()) + " tokens");
  }
  if (config.sequence_length != vectorizer.sequence_length()) {
    reader.Fail("network.sequence_length is " +
                std::to_string(config.sequence_length) +
                " but the vectorizer emits " +
                std::to_string(vectorizer.sequence_length()) + " ids");
  }
  const int64_t rows = config.vocabulary_size;
  const int64_t cols = config.embedding_dim;
  NetworkParameters parameters;
  // Sized only after the byte count matches, so a huge declared shape never
  // allocates before it is checked against the data present.
  const std::span<const uint8_t> embedding_bytes =
      reader.Binary(node, "embedding", "network");
  if (static_cast<int64_t>(embedding_bytes.size()) == rows * cols * 4) {
    parameters.embedding.resize(rows, cols);
    AdviseHugePages(parameters.embedding.data(), embedding_bytes.size());
  }
  reader.Floats(node, "embedding", "network", rows * cols,
                std::to_string(rows) + "x" + std::to_string(cols),
                parameters.embedding.data());
  const int64_t outputs = config.outputs;
  const std::span<const uint8_t> kernel_bytes =
      reader.Binary(node, "dense_kernel", "network");
  if (static_cast<int64_t>(kernel_bytes.size()) == cols * outputs * 4) {
    parameters.dense_kernel.resize(cols, outputs);
  }
  reader.Floats(node, "dense_kernel", "network", cols * outputs,
                std::to_string(cols) + "x" + std::to_string(outputs),
                parameters.dense_kernel.data());
  parameters.dense_bias.resize(outputs);
  if (version >= 3) {
    reader.Floats(node, "dense_bias", "network", outputs,
                  std::to_string(outputs), parameters.dense_bias.data());
  } else {
    parameters.dense_bias[0] =
        static_cast<float>(reader.Number(node, "dense_bias", "network"));
  }
  try {
    return Network(config, std::move(parameters));
  } catch (const Error& error) {
    reader.Fail(std::string("network: ") + error.what());
  }
}

// training.history.val_logit_histogram (optional in every version: files
// written before it was recorded lack it): one histogram per epoch of
// `history`, `classes` rows each.
void ReadLogitHistograms(const Reader& reader, const json& node, int classes,
                         std::vector<EpochMetrics>& history) {
  const std::string where = "training.history.val_logit_histogram";
  HistogramBins bins;
  bins.low = reader.Number(node, "low", where);
  bins.high = reader.Number(node, "high", where);
  bins.bins = static_cast<int>(reader.Integer(node, "bins", where, 1, 10'000));
  if (!std::isfinite(bins.low) || !std::isfinite(bins.high) ||
      !(bins.low < bins.high)) {
    reader.Fail(where + ": low and high must be finite with low < high");
  }
  const json& counts = reader.Field(node, "counts", where);
  const json& means = reader.Field(node, "means", where);
  if (!counts.is_array() || !means.is_array() || counts.size() != history.size() ||
      means.size() != history.size()) {
    reader.Fail(where + ": counts and means must list one entry per epoch (" +
                std::to_string(history.size()) + ")");
  }
  const size_t slots = static_cast<size_t>(bins.bins) + 2;
  for (size_t e = 0; e < history.size(); ++e) {
    LogitHistogram& histogram = history[e].val_logits;
    histogram.bins = bins;
    if (!counts[e].is_array() || counts[e].size() != static_cast<size_t>(classes) ||
        !means[e].is_array() || means[e].size() != static_cast<size_t>(classes)) {
      reader.Fail(where + ": epoch " + std::to_string(e + 1) + " must hold " +
                  std::to_string(classes) + " classes");
    }
    for (int k = 0; k < classes; ++k) {
      const json& row = counts[e][static_cast<size_t>(k)];
      if (!row.is_array() || row.size() != slots) {
        reader.Fail(where + ": epoch " + std::to_string(e + 1) + " class " +
                    std::to_string(k) + " must hold " + std::to_string(slots) +
                    " counts (bins plus under- and overflow)");
      }
      std::vector<int64_t> values;
      values.reserve(slots);
      for (const json& count : row) {
        if (!count.is_number_unsigned() ||
            count.get<uint64_t>() > static_cast<uint64_t>(INT64_MAX)) {
          reader.Fail(where + ": epoch " + std::to_string(e + 1) +
                      " holds a count that is not a whole number >= 0");
        }
        values.push_back(count.get<int64_t>());
      }
      histogram.counts.push_back(std::move(values));
      const json& mean = means[e][static_cast<size_t>(k)];
      if (!mean.is_number()) {
        reader.Fail(where + ": epoch " + std::to_string(e + 1) +
                    " holds a mean that is not a number");
      }
      histogram.means.push_back(mean.get<double>());
    }
  }
}

// The training record: settings and history. Only `inspect` reads it, but a
// file without it is still incomplete.
void ReadTraining(const Reader& reader, const json& root, int64_t version,
                  TrainedModel& model) {
  const json& node = reader.Field(root, "training", "");
  TrainOptions& options = model.options;
  options.vectorizer = model.vectorizer.options();
  options.embedding_dim = model.network.config().embedding_dim;
  options.mask_padding = model.network.config().mask_padding;
  options.dropout = model.network.config().dropout;
  if (version >= 3) {
    try {
      options.class_weight =
          ParseClassWeight(reader.String(node, "class_weight", "training"));
    } catch (const Error& error) {
      reader.Fail(std::string("training.class_weight: ") + error.what());
    }
  }
  options.fit.epochs = static_cast<int>(
      reader.Integer(node, "epochs", "training", 0, std::numeric_limits<int>::max()));
  options.fit.batch_size = static_cast<int>(reader.Integer(
      node, "batch_size", "training", 1, std::numeric_limits<int>::max()));
  options.fit.learning_rate =
      static_cast<float>(reader.Number(node, "learning_rate", "training"));
  options.fit.seed = static_cast<uint32_t>(
      reader.Integer(node, "seed", "training", 0, 0xFFFFFFFFll));
  options.validation_split = reader.Number(node, "validation_split", "training");
  if (version >= 3 && node.contains("patience")) {
    options.fit.patience = static_cast<int>(
        reader.Integer(node, "patience", "training", 0, 1'000'000));
  }
  // Files written before the thread count was recorded lack it: 0, unknown.
  options.fit.threads =
      node.contains("threads")
          ? static_cast<int>(reader.Integer(node, "threads", "training", 1, 1024))
          : 0;

  const json& history = reader.Field(node, "history", "training");
  const char* const kKeys[] = {"loss", "accuracy", "val_loss", "val_accuracy"};
  size_t epochs = 0;
  for (const char* key : kKeys) {
    const json& series = reader.Field(history, key, "training.history");
    if (!series.is_array()) reader.Fail("training.history." + std::string(key) + " is not a list");
    if (key == kKeys[0]) epochs = series.size();
    if (series.size() != epochs) {
      reader.Fail("training.history series have different lengths");
    }
  }
  model.history.resize(epochs);
  for (size_t i = 0; i < epochs; ++i) {
    const auto value = [&](const char* key) {
      const json& v = history[key][i];
      if (!v.is_number()) {
        reader.Fail("training.history." + std::string(key) + " holds a non-number");
      }
      return v.get<double>();
    };
    EpochMetrics& epoch = model.history[i];
    epoch.loss = value("loss");
    epoch.accuracy = value("accuracy");
    epoch.val_loss = value("val_loss");
    epoch.val_accuracy = value("val_accuracy");
  }
  if (history.contains("val_logit_histogram")) {
    ReadLogitHistograms(reader, history["val_logit_histogram"],
                        static_cast<int>(model.class_names.size()), model.history);
  }
}

// A bundle's temperature: required from version 4, absent (T = 1) before;
// a float32 value, finite and above 0.
float ReadTemperature(const Reader& reader, const json& root, int64_t version) {
  if (version < 4) {
    if (root.contains("temperature")) {
      reader.Fail("field 'temperature' needs format version 4, the file says " +
                  std::to_string(version));
    }
    return 1.0f;
  }
  const double value = reader.Number(root, "temperature", "");
  const float temperature = static_cast<float>(value);
  if (!(std::isfinite(temperature) && temperature > 0.0f)) {
    char number[32];
    std::snprintf(number, sizeof number, "%g", value);
    reader.Fail("field 'temperature' is " + std::string(number) +
                ", expected a finite number above 0");
  }
  return temperature;
}

// Checks the header and returns the payload it frames; `version` gets the
// header's format version.
std::span<const uint8_t> CheckHeader(const Reader& reader,
                                     std::span<const uint8_t> bytes,
                                     uint32_t& version_out) {
  if (bytes.empty()) reader.Fail("empty file, not a sentiment model file");
  const size_t magic_length = std::min(bytes.size(), kFileMagic.size());
  if (std::memcmp(bytes.data(), kFileMagic.data(), magic_length) != 0) {
    reader.Fail("not a sentiment model file (it does not start with the "
                "sentiment header)");
  }
  if (bytes.size() < kHeaderSize) {
    reader.Fail("truncated: " + std::to_string(bytes.size()) +
                " bytes, less than the " + std::to_string(kHeaderSize) +
                "-byte header");
  }
  const uint32_t version = LoadLittleEndian<uint32_t>(bytes.data() + 8);
  version_out = version;
  if (version > static_cast<uint32_t>(kFormatVersion)) {
    reader.Fail("format version " + std::to_string(version) +
                " is newer than this build supports (" +
                std::to_string(kFormatVersion) + "); upgrade sentiment");
  }
  if (version < static_cast<uint32_t>(kOldestReadableVersion)) {
    reader.Fail("unsupported format version " + std::to_string(version) +
                " (this build reads versions " +
                std::to_string(kOldestReadableVersion) + " to " +
                std::to_string(kFormatVersion) + ")");
  }
  const uint64_t length = LoadLittleEndian<uint64_t>(bytes.data() + 12);
  if (length > kMaxPayloadSize) {
    reader.Fail("the header declares a payload of " + std::to_string(length) +
                " bytes, over the limit of " + std::to_string(kMaxPayloadSize));
  }
  const uint64_t present = bytes.size() - kHeaderSize;
  if (present < length) {
    reader.Fail("truncated: the header declares " + std::to_string(length) +
                " payload bytes, the file holds " + std::to_string(present));
  }
  if (present > length) {
    reader.Fail("unexpected data after the " + std::to_string(length) +
                "-byte payload");
  }
  const std::span<const uint8_t> payload = bytes.subspan(kHeaderSize);
  const uint32_t stored = LoadLittleEndian<uint32_t>(bytes.data() + 20);
  const uint32_t computed = Crc32(payload);
  if (stored != computed) {
    char checksums[64];
    std::snprintf(checksums, sizeof checksums,
                  "stored %08" PRIx32 ", computed %08" PRIx32, stored, computed);
    reader.Fail("checksum mismatch (" + std::string(checksums) +
                "): the file is damaged");
  }
  return payload;
}

json ParsePayload(Reader& reader, std::span<const uint8_t> payload) {
  std::vector<uint8_t> slim;
  const std::string problem = CheckCborStructure(payload, slim, reader.sections());
  if (problem.starts_with("nesting deeper")) {
    reader.Fail("payload nests more than " + std::to_string(kMaxCborDepth) +
                " levels deep");
  }
  if (!problem.empty()) reader.Fail("payload is not valid CBOR (" + problem + ")");
  try {
    return json::from_cbor(slim.begin(), slim.end(), /*strict=*/true,
                           /*allow_exceptions=*/true,
                           json::cbor_tag_handler_t::store);
  } catch (const json::exception& error) {
    reader.Fail("payload is not valid CBOR (" + std::string(error.what()) + ")");
  }
}

}  // namespace

uint32_t Crc32(std::span<const uint8_t> bytes) {
  const Crc32Tables& t = kCrc32Tables;
  uint32_t crc = 0xFFFFFFFFu;
  const uint8_t* p = bytes.data();
  size_t n = bytes.size();
  for (; n >= 8; p += 8, n -= 8) {
    const uint32_t low = LoadLittleEndian<uint32_t>(p) ^ crc;
    const uint32_t high = LoadLittleEndian<uint32_t>(p + 4);
    crc = t[7][low & 0xFFu] ^ t[6][(low >> 8) & 0xFFu] ^
          t[5][(low >> 16) & 0xFFu] ^ t[4][low >> 24] ^
          t[3][high & 0xFFu] ^ t[2][(high >> 8) & 0xFFu] ^
          t[1][(high >> 16) & 0xFFu] ^ t[0][high >> 24];
  }
  for (; n > 0; ++p, --n) crc = t[0][(crc ^ *p) & 0xFFu] ^ (crc >> 8);
  return crc ^ 0xFFFFFFFFu;
}

std::vector<uint8_t> FramePayload(std::span<const uint8_t> payload) {
  std::vector<uint8_t> file(kHeaderSize + payload.size());
  std::memcpy(file.data(), kFileMagic.data(), kFileMagic.size());
  StoreLittleEndian(static_cast<uint32_t>(kFormatVersion), file.data() + 8);
  StoreLittleEndian(static_cast<uint64_t>(payload.size()), file.data() + 12);
  StoreLittleEndian(Crc32(payload), file.data() + 20);
  if (!payload.empty()) {
    std::memcpy(file.data() + kHeaderSize, payload.data(), payload.size());
  }
  return file;
}

std::vector<uint8_t> EncodeModelFile(const ModelFile& file) {
  const TrainedModel& model = file.model;
  const VectorizerOptions& vectorizer = model.vectorizer.options();
  const NetworkConfig& config = model.network.config();
  const NetworkParameters& parameters = model.network.parameters();
  json root = {
      {"format", file.is_bundle() ? kBundleFormat : kTrainedModelFormat},
      {"version", kFormatVersion},
      {"class_names", model.class_names},
      {"vectorizer",
       {{"standardize", StandardizeModeName(vectorizer.standardize)},
        {"split", "whitespace"},
        {"max_tokens", vectorizer.max_tokens},
        {"output_sequence_length", vectorizer.output_sequence_length},
        {"ngrams", vectorizer.ngrams},
        {"vocabulary_size", model.vectorizer.vocabulary().size()},
        {"vocabulary", json::binary(VocabularyToBinary(model.vectorizer.vocabulary()))}}},
      {"network",
       {{"vocabulary_size", config.vocabulary_size},
        {"sequence_length", config.sequence_length},
        {"embedding_dim", config.embedding_dim},
        {"outputs", config.outputs},
        {"mask_padding", config.mask_padding},
        {"dropout", config.dropout},
        {"embedding", json::binary(FloatsToBinary(parameters.embedding.data(),
                                                  parameters.embedding.size()))},
        {"dense_kernel", json::binary(FloatsToBinary(parameters.dense_kernel.data(),
                                                     parameters.dense_kernel.size()))},
        {"dense_bias", json::binary(FloatsToBinary(parameters.dense_bias.data(),
                                                   parameters.dense_bias.size()))}}},
      {"training",
       {{"epochs", model.options.fit.epochs},
        {"batch_size", model.options.fit.batch_size},
        {"learning_rate", model.options.fit.learning_rate},
        {"seed", model.options.fit.seed},
        {"validation_split", model.options.validation_split},
        {"class_weight", ClassWeightName(model.options.class_weight)},
        {"patience", model.options.fit.patience},
        {"history", HistoryToJson(model.history)}}},
  };
  // The threads of the training steps: past one, they change the last bits
  // of the weights, so reproducing a file's bytes needs the count.
  if (model.options.fit.threads > 0) {
    root["training"]["threads"] = model.options.fit.threads;
  }
  if (file.is_bundle()) {
    root["activation"] = ActivationName(*file.activation);
    root["temperature"] = file.temperature;
  }
  return FramePayload(json::to_cbor(root));
}

ModelFile DecodeModelFile(std::span<const uint8_t> bytes,
                          const std::string& name) {
  Reader reader(name);
  uint32_t header_version = 0;
  const json root =
      ParsePayload(reader, CheckHeader(reader, bytes, header_version));
  if (!root.is_object()) reader.Fail("payload is not a CBOR map");
  const std::string format = reader.String(root, "format", "");
  if (format != kTrainedModelFormat && format != kBundleFormat) {
    reader.Fail("unknown format '" + format + "' (expected '" +
                std::string(kTrainedModelFormat) + "' or '" +
                std::string(kBundleFormat) + "')");
  }
  const int64_t version = reader.Integer(root, "version", "", 1,
                                         std::numeric_limits<int64_t>::max());
  if (version > kFormatVersion) {
    reader.Fail("format version " + std::to_string(version) +
                " is newer than this build supports (" +
                std::to_string(kFormatVersion) + "); upgrade sentiment");
  }
  if (version != header_version) {
    reader.Fail("field 'version' is " + std::to_string(version) +
                " but the header says " + std::to_string(header_version));
  }

  std::vector<std::string> class_names = ReadClassNames(reader, root, version);
  TextVectorization vectorizer = ReadVectorizer(reader, root, version);
  Network network = ReadNetwork(reader, root, vectorizer,
                                static_cast<int>(class_names.size()), version);
  ModelFile file{TrainedModel{std::move(class_names), std::move(vectorizer),
                              std::move(network), TrainOptions{}, {}},
                 std::nullopt};
  ReadTraining(reader, root, version, file.model);
  file.format_version = static_cast<int>(version);
  if (format == kBundleFormat) {
    const std::string activation = reader.String(root, "activation", "");
    try {
      file.activation = ParseActivation(activation);
    } catch (const Error& error) {
      reader.Fail(error.what());
    }
    const int outputs = file.model.network.config().outputs;
    if (*file.activation != ActivationForOutputs(outputs)) {
      reader.Fail("activation '" + activation + "' does not fit a network with " +
                  std::to_string(outputs) + " output(s)");
    }
    file.temperature = ReadTemperature(reader, root, version);
  } else if (root.contains("activation")) {
    reader.Fail("a trained model must not have an activation stage");
  } else if (root.contains("temperature")) {
    reader.Fail("a trained model must not have a temperature");
  }
  return file;
}

ModelFile ReadModelFile(const std::filesystem::path& path) {
  const std::string name = path.string();
  const int fd = OpenModelForReading(path, name);
  struct Closer {
    int fd;
    ~Closer() { ::close(fd); }
  } closer{fd};
  struct stat status;
  const bool stat_ok = ::fstat(fd, &status) == 0;
  if (stat_ok && S_ISDIR(status.st_mode)) {
    throw BadModelFile(name + ": is a directory, not a model file");
  }
  // Read, not mapped (see file_reading.h): the header first, then at most
  // the payload length it declares, so a device, an endless stream or a
  // huge unrelated file fails fast instead of filling memory.
  const bool regular = stat_ok && S_ISREG(status.st_mode);
  std::vector<uint8_t> bytes;
  ReadUpTo(fd, name, kHeaderSize, bytes);
  uint64_t limit = kHeaderSize;
  if (bytes.size() == kHeaderSize &&
      std::memcmp(bytes.data(), kFileMagic.data(), kFileMagic.size()) == 0) {
    const uint64_t length = LoadLittleEndian<uint64_t>(bytes.data() + 12);
    // One byte past the declared end reveals trailing data.
    if (length <= kMaxPayloadSize) limit = kHeaderSize + length + 1;
  }
  if (regular) {
    // The weights are copied out of `bytes` while it is decoded, so the
    // model keeps no reference to it.
    ReadRegularFileUpTo(fd, name, static_cast<uint64_t>(status.st_size),
                        limit, bytes);
  } else {
    ReadUpTo(fd, name, limit, bytes);
  }
  return DecodeModelFile(bytes, name);
}

void WriteModelFile(const ModelFile& file, const std::filesystem::path& path) {
  const std::vector<uint8_t> bytes = EncodeModelFile(file);
  WriteOutputFile(path, bytes);
}

ExportPipeline ReadBundle(const std::filesystem::path& path,
                          std::string_view use) {
  ModelFile file = ReadModelFile(path);
  if (!file.is_bundle()) {
    throw BadModelFile(path.string() +
                       ": is a trained model, not an exported bundle; run "
                       "'sentiment export " + path.string() +
                       " -o BUNDLE' first and " + std::string(use) +
                       " with BUNDLE");
  }
  return ExportPipeline(std::move(file.model), *file.activation,
                        file.temperature);
}

}  // namespace sentiment
