#include "sentiment/model_file.h"

#include <bit>
#include <cmath>
#include <cstring>
#include <fstream>
#include <limits>
#include <nlohmann/json.hpp>
#include <utility>

#include "sentiment/atomic_file.h"
#include "sentiment/error.h"

namespace sentiment {
namespace {

using json = nlohmann::json;

static_assert(std::endian::native == std::endian::little,
              "weights are stored as little-endian float32");

// Largest sizes a model file may declare; they bound every allocation made
// from a file's contents before the weights are checked against them.
constexpr int64_t kMaxVocabularySize = 50'000'000;
constexpr int64_t kMaxSequenceLength = 100'000'000;
constexpr int64_t kMaxEmbeddingDim = 100'000;

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
  return {{"loss", loss},
          {"accuracy", accuracy},
          {"val_loss", val_loss},
          {"val_accuracy", val_accuracy}};
}

// Field access that reports the dotted path of whatever is missing or of the
// wrong type, prefixed by the file name.
class Reader {
 public:
  explicit Reader(std::string name) : name_(std::move(name)) {}

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

  const json::binary_t& Binary(const json& object, const std::string& key,
                               const std::string& where) const {
    const json& value = Field(object, key, where);
    if (!value.is_binary()) {
      Fail("field '" + Join(where, key) + "' is not a byte string");
    }
    return value.get_binary();
  }

  // Float32 values of a byte string that must hold exactly `count` of them.
  std::vector<float> Floats(const json& object, const std::string& key,
                            const std::string& where, int64_t count,
                            const std::string& shape) const {
    const json::binary_t& bytes = Binary(object, key, where);
    if (static_cast<int64_t>(bytes.size()) != count * 4) {
      Fail(Join(where, key) + " has " + std::to_string(bytes.size() / 4) +
           " values, expected " + shape);
    }
    std::vector<float> values(static_cast<size_t>(count));
    std::memcpy(values.data(), bytes.data(), bytes.size());
    return values;
  }

 private:
  static std::string Join(const std::string& where, const std::string& key) {
    return where.empty() ? key : where + "." + key;
  }

  std::string name_;
};

std::vector<std::string> ReadClassNames(const Reader& reader, const json& root) {
  const json& names = reader.Field(root, "class_names", "");
  if (!names.is_array() || names.size() != 2) {
    reader.Fail("field 'class_names' must list exactly 2 classes");
  }
  std::vector<std::string> class_names;
  for (const json& name : names) {
    if (!name.is_string() || name.get<std::string>().empty()) {
      reader.Fail("field 'class_names' holds an empty or non-string name");
    }
    class_names.push_back(name.get<std::string>());
  }
  if (class_names[0] == class_names[1]) {
    reader.Fail("field 'class_names' repeats '" + class_names[0] + "'");
  }
  return class_names;
}

TextVectorization ReadVectorizer(const Reader& reader, const json& root) {
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
  const int64_t size = reader.Integer(node, "vocabulary_size", "vectorizer", 2,
                                      options.max_tokens);

  const json::binary_t& bytes = reader.Binary(node, "vocabulary", "vectorizer");
  std::vector<std::string> tokens;
  tokens.reserve(static_cast<size_t>(size));
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
                    const TextVectorization& vectorizer) {
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
  const std::vector<float> embedding = reader.Floats(
      node, "embedding", "network", rows * cols,
      std::to_string(rows) + "x" + std::to_string(cols));
  parameters.embedding =
      Eigen::Map<const EmbeddingMatrix>(embedding.data(), rows, cols);
  const std::vector<float> kernel = reader.Floats(
      node, "dense_kernel", "network", cols, std::to_string(cols));
  parameters.dense_kernel = Eigen::Map<const Eigen::VectorXf>(kernel.data(), cols);
  parameters.dense_bias =
      static_cast<float>(reader.Number(node, "dense_bias", "network"));
  try {
    return Network(config, std::move(parameters));
  } catch (const Error& error) {
    reader.Fail(std::string("network: ") + error.what());
  }
}

// The training record: settings and history. Only `inspect` reads it, but a
// file without it is still incomplete.
void ReadTraining(const Reader& reader, const json& root, TrainedModel& model) {
  const json& node = reader.Field(root, "training", "");
  TrainOptions& options = model.options;
  options.vectorizer = model.vectorizer.options();
  options.embedding_dim = model.network.config().embedding_dim;
  options.dropout = model.network.config().dropout;
  options.fit.epochs = static_cast<int>(
      reader.Integer(node, "epochs", "training", 0, std::numeric_limits<int>::max()));
  options.fit.batch_size = static_cast<int>(reader.Integer(
      node, "batch_size", "training", 1, std::numeric_limits<int>::max()));
  options.fit.learning_rate =
      static_cast<float>(reader.Number(node, "learning_rate", "training"));
  options.fit.seed = static_cast<uint32_t>(
      reader.Integer(node, "seed", "training", 0, 0xFFFFFFFFll));
  options.validation_split = reader.Number(node, "validation_split", "training");

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
    model.history[i] = {value("loss"), value("accuracy"), value("val_loss"),
                        value("val_accuracy")};
  }
}

}  // namespace

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
        {"vocabulary_size", model.vectorizer.vocabulary().size()},
        {"vocabulary", json::binary(VocabularyToBinary(model.vectorizer.vocabulary()))}}},
      {"network",
       {{"vocabulary_size", config.vocabulary_size},
        {"sequence_length", config.sequence_length},
        {"embedding_dim", config.embedding_dim},
        {"dropout", config.dropout},
        {"embedding", json::binary(FloatsToBinary(parameters.embedding.data(),
                                                  parameters.embedding.size()))},
        {"dense_kernel", json::binary(FloatsToBinary(parameters.dense_kernel.data(),
                                                     parameters.dense_kernel.size()))},
        {"dense_bias", parameters.dense_bias}}},
      {"training",
       {{"epochs", model.options.fit.epochs},
        {"batch_size", model.options.fit.batch_size},
        {"learning_rate", model.options.fit.learning_rate},
        {"seed", model.options.fit.seed},
        {"validation_split", model.options.validation_split},
        {"history", HistoryToJson(model.history)}}},
  };
  if (file.is_bundle()) root["activation"] = ActivationName(*file.activation);
  return json::to_cbor(root);
}

ModelFile DecodeModelFile(const std::vector<uint8_t>& bytes,
                          const std::string& name) {
  const Reader reader(name);
  json root;
  try {
    root = json::from_cbor(bytes, /*strict=*/true, /*allow_exceptions=*/true);
  } catch (const json::exception& error) {
    reader.Fail("not a sentiment model file (CBOR decoding failed: " +
                std::string(error.what()) + ")");
  }
  if (!root.is_object()) reader.Fail("not a sentiment model file");
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

  std::vector<std::string> class_names = ReadClassNames(reader, root);
  TextVectorization vectorizer = ReadVectorizer(reader, root);
  Network network = ReadNetwork(reader, root, vectorizer);
  ModelFile file{TrainedModel{std::move(class_names), std::move(vectorizer),
                              std::move(network), TrainOptions{}, {}},
                 std::nullopt};
  ReadTraining(reader, root, file.model);
  if (format == kBundleFormat) {
    try {
      file.activation = ParseActivation(reader.String(root, "activation", ""));
    } catch (const Error& error) {
      reader.Fail(error.what());
    }
  } else if (root.contains("activation")) {
    reader.Fail("a trained model must not have an activation stage");
  }
  return file;
}

ModelFile ReadModelFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw IoError(path.string() + ": cannot open for reading");
  std::vector<uint8_t> bytes;
  char buffer[1 << 16];
  while (in.read(buffer, sizeof buffer) || in.gcount() > 0) {
    bytes.insert(bytes.end(), buffer, buffer + in.gcount());
  }
  if (in.bad()) throw IoError(path.string() + ": read failed");
  return DecodeModelFile(bytes, path.string());
}

void WriteModelFile(const ModelFile& file, const std::filesystem::path& path) {
  const std::vector<uint8_t> bytes = EncodeModelFile(file);
  WriteFileAtomically(path, bytes);
}

ExportPipeline ReadBundle(const std::filesystem::path& path) {
  ModelFile file = ReadModelFile(path);
  if (!file.is_bundle()) {
    throw BadModelFile(path.string() +
                       ": is a trained model, not an exported bundle; run "
                       "'sentiment export " + path.string() +
                       " -o BUNDLE' first and predict with BUNDLE");
  }
  return ExportPipeline(std::move(file.model), *file.activation);
}

}  // namespace sentiment
