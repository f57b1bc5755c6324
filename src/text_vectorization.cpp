#include "sentiment/text_vectorization.h"

#include <algorithm>
#include <utility>

#include "sentiment/error.h"

namespace sentiment {
namespace {

void ValidateOptions(const VectorizerOptions& options) {
  if (options.max_tokens < 3) {
    throw InvalidInput("--max-tokens must be at least 3, got " +
                       std::to_string(options.max_tokens));
  }
  if (options.output_sequence_length < 1) {
    throw InvalidInput("--sequence-length must be at least 1, got " +
                       std::to_string(options.output_sequence_length));
  }
}

}  // namespace

TextVectorization TextVectorization::Adapt(const std::vector<std::string>& texts,
                                           const VectorizerOptions& options) {
  ValidateOptions(options);
  std::vector<std::vector<std::string>> documents;
  documents.reserve(texts.size());
  std::string standardized;
  for (const std::string& text : texts) {
    Standardize(text, options.standardize, standardized);
    documents.push_back(SplitWhitespace(standardized));
  }
  return TextVectorization(options,
                           Vocabulary::Adapt(documents, options.max_tokens));
}

TextVectorization::TextVectorization(VectorizerOptions options,
                                     Vocabulary vocabulary)
    : options_(options), vocabulary_(std::move(vocabulary)) {
  if (options_.output_sequence_length < 1) {
    throw BadModelFile("output_sequence_length must be at least 1, got " +
                       std::to_string(options_.output_sequence_length));
  }
  if (vocabulary_.size() > options_.max_tokens) {
    throw BadModelFile("vocabulary has " + std::to_string(vocabulary_.size()) +
                       " tokens, more than max_tokens " +
                       std::to_string(options_.max_tokens));
  }
}

void TextVectorization::Vectorize(std::string_view text,
                                  std::span<int32_t> ids,
                                  std::string& scratch) const {
  Standardize(text, options_.standardize, scratch);
  size_t count = 0;
  // Tokens past the sequence length are dropped, so stop splitting there.
  ForEachToken(scratch, [&](std::string_view token) {
    if (count == ids.size()) return false;
    ids[count++] = vocabulary_.Lookup(token);
    return true;
  });
  std::fill(ids.begin() + count, ids.end(), Vocabulary::kPaddingIndex);
}

std::vector<int32_t> TextVectorization::Vectorize(std::string_view text) const {
  std::vector<int32_t> ids(options_.output_sequence_length);
  std::string scratch;
  Vectorize(text, ids, scratch);
  return ids;
}

}  // namespace sentiment
