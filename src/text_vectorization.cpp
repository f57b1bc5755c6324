#include "sentiment/text_vectorization.h"

#include <algorithm>
#include <cstdint>
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
  const TermSplitter terms(options.standardize, options.ngrams);
  ThreadPool pool(std::max(1, threads));
  std::vector<TokenCounter> counters(pool.size());
  pool.ForRanges(texts.size(), [&](size_t begin, size_t end, int index) {
    Scratch scratch;
    TokenCounter& counter = counters[index];
    for (size_t i = begin; i < end; ++i) {
      // adapt sees every term: truncation comes after lookup.
      terms.ForEachTerm(texts[i], scratch, SIZE_MAX,
                        [&](std::string_view term, uint64_t hash) {
                          counter.Add(term, hash);
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
      terms_(options.standardize, options.ngrams) {
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
                                    Scratch& scratch) const {
  size_t count = 0;
  // Terms past the sequence length are dropped, so stop splitting there.
  terms_.ForEachTerm(text, scratch, ids.size(),
                     [&](std::string_view term, uint64_t hash) {
                       ids[count++] = vocabulary_.LookupPadded(term, hash);
                       return true;
                     });
  std::fill(ids.begin() + count, ids.end(), Vocabulary::kPaddingIndex);
  return count;
}

std::vector<int32_t> TextVectorization::Vectorize(std::string_view text) const {
  std::vector<int32_t> ids(options_.output_sequence_length);
  Scratch scratch;
  Vectorize(text, ids, scratch);
  return ids;
}

}  // namespace sentiment
