#include "sentiment/text_vectorization.h"

#include <algorithm>
#include <utility>

#include "sentiment/error.h"
#include "thread_pool.h"

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
                                           const VectorizerOptions& options,
                                           int threads) {
  ValidateOptions(options);
  const Tokenizer tokenizer(options.standardize);
  ThreadPool pool(std::max(1, threads));
  std::vector<TokenCounter> counters(pool.size());
  pool.ForRanges(texts.size(), [&](size_t begin, size_t end, int index) {
    std::string buffer;
    TokenCounter& counter = counters[index];
    for (size_t i = begin; i < end; ++i) {
      tokenizer.ForEachToken(texts[i], buffer,
                             [&](std::string_view token, uint64_t hash) {
                               counter.Add(token, hash);
                               return true;
                             });
    }
  });
  for (size_t i = 1; i < counters.size(); ++i) counters[0].Merge(counters[i]);
  return TextVectorization(
      options, Vocabulary::FromCounts(counters[0], options.max_tokens));
}

TextVectorization::TextVectorization(VectorizerOptions options,
                                     Vocabulary vocabulary)
    : options_(options),
      vocabulary_(std::move(vocabulary)),
      tokenizer_(options.standardize) {
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

size_t TextVectorization::Vectorize(std::string_view text,
                                    std::span<int32_t> ids,
                                    std::string& scratch) const {
  size_t count = 0;
  // Tokens past the sequence length are dropped, so stop splitting there.
  if (!ids.empty()) {
    tokenizer_.ForEachToken(text, scratch,
                            [&](std::string_view token, uint64_t hash) {
                              ids[count++] = vocabulary_.LookupPadded(token, hash);
                              return count < ids.size();
                            });
  }
  std::fill(ids.begin() + count, ids.end(), Vocabulary::kPaddingIndex);
  return count;
}

std::vector<int32_t> TextVectorization::Vectorize(std::string_view text) const {
  std::vector<int32_t> ids(options_.output_sequence_length);
  std::string scratch;
  Vectorize(text, ids, scratch);
  return ids;
}

}  // namespace sentiment
