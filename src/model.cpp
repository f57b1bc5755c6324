#include "sentiment/model.h"

#include <charconv>
#include <string>

#include "sentiment/error.h"

namespace sentiment {
namespace {

// The shortest text that reads back as `value` in its own type: 1 for 1.0f,
// 0.2 for 0.2f (std::to_string would give 1.000000 and 0.200000).
template <typename Real>
std::string Shortest(Real value) {
  char text[64];
  const auto result = std::to_chars(text, text + sizeof text, value);
  return std::string(text, result.ptr);
}

}  // namespace

std::string_view ClassWeightName(ClassWeight weight) {
  return weight == ClassWeight::kBalanced ? "balanced" : "none";
}

ClassWeight ParseClassWeight(std::string_view name) {
  if (name == "none") return ClassWeight::kNone;
  if (name == "balanced") return ClassWeight::kBalanced;
  throw InvalidInput("unknown class weight '" + std::string(name) +
                     "' (expected none or balanced)");
}

void ValidateTrainOptions(const TrainOptions& options) {
  const auto require = [](bool ok, const std::string& message) {
    if (!ok) throw InvalidInput(message);
  };
  const VectorizerOptions& v = options.vectorizer;
  // Upper bounds keep an absurd flag from turning into a giant allocation.
  require(v.max_tokens >= 3 && v.max_tokens <= 50'000'000,
          "--max-tokens must be between 3 and 50000000, got " +
              std::to_string(v.max_tokens));
  require((v.output_sequence_length >= 1 && v.output_sequence_length <= 100'000) ||
              v.output_sequence_length == kSequenceLengthFromData,
          "--sequence-length must be between 1 and 100000, or auto, got " +
              std::to_string(v.output_sequence_length));
  require(v.ngrams >= 1 && v.ngrams <= TermSplitter::kMaxNgrams,
          "--ngrams must be between 1 and " +
              std::to_string(TermSplitter::kMaxNgrams) + ", got " +
              std::to_string(v.ngrams));
  require(options.embedding_dim >= 1 && options.embedding_dim <= 4096,
          "--embedding-dim must be between 1 and 4096, got " +
              std::to_string(options.embedding_dim));
  require(static_cast<int64_t>(v.max_tokens) * options.embedding_dim <=
              1'000'000'000,
          "--max-tokens x --embedding-dim is over 1e9 weights");
  require(options.dropout >= 0.0f && options.dropout < 1.0f,
          "--dropout must be in [0, 1), got " + Shortest(options.dropout));
  require(options.fit.epochs >= 1 && options.fit.epochs <= 1'000'000,
          "--epochs must be between 1 and 1000000, got " +
              std::to_string(options.fit.epochs));
  require(options.fit.batch_size >= 1 && options.fit.batch_size <= 1'000'000,
          "--batch-size must be between 1 and 1000000, got " +
              std::to_string(options.fit.batch_size));
  require(options.fit.learning_rate > 0.0f &&
              options.fit.learning_rate < 1e30f,
          "--learning-rate must be a positive number, got " +
              Shortest(options.fit.learning_rate));
  require(options.fit.threads >= 1 && options.fit.threads <= 1024,
          "--threads must be between 1 and 1024, got " +
              std::to_string(options.fit.threads));
  require(options.fit.patience >= 0 && options.fit.patience <= 1'000'000,
          "--patience must be between 0 and 1000000, got " +
              std::to_string(options.fit.patience));
  require(options.validation_split >= 0.0 && options.validation_split < 1.0,
          "--validation-split must be in [0, 1), got " +
              Shortest(options.validation_split));
  require(options.fit.patience == 0 || options.patience_optional ||
              options.validation_split > 0.0,
          "--patience needs a validation set to watch; set "
          "--validation-split above 0");
}

}  // namespace sentiment
