#include "sentiment/text_vectorization.h"

#include <algorithm>
#include <cstdio>
#include <cstdint>
#include <utility>

#include "concurrent_steps.h"
#include "sentiment/error.h"
#include "thread_pool.h"

namespace sentiment {
namespace {

void ValidateOptions(const VectorizerOptions& options) {
  if (options.max_tokens < 3) {
    throw InvalidInput("--max-tokens must be at least 3, got " +
                       std::to_string(options.max_tokens));
  }
  if (options.output_sequence_length < 1 &&
      options.output_sequence_length != kSequenceLengthFromData) {
    throw InvalidInput("--sequence-length must be at least 1, got " +
                       std::to_string(options.output_sequence_length));
  }
}

[[noreturn]] void CountingExceeds(const CountingLimit& limit, size_t terms) {
  char megabytes[32];
  std::snprintf(megabytes, sizeof megabytes, "%.1f MiB",
                static_cast<double>(limit.bytes) / (1024.0 * 1024.0));
  throw InvalidInput(
      "counting the vocabulary needs more than the " + std::string(megabytes) +
      " left for it (" + limit.limited_by + "): " + std::to_string(terms) +
      " distinct terms so far; train on less text, or with a smaller "
      "--ngrams");
}

}  // namespace

TextVectorization TextVectorization::Adapt(const std::vector<std::string>& texts,
                                           const VectorizerOptions& options,
                                           int threads,
                                           const CountingLimit& limit,
                                           const StepsDone& on_counted) {
  ValidateOptions(options);
  const TermSplitter terms(options.standardize, options.ngrams);
  ThreadPool pool(std::max(1, threads));
  // Each thread's counter holds at most its share of the limit; merging
  // adds into the first counter while the others still exist, so that one
  // may use what the others leave.
  const uint64_t share = limit.bytes / static_cast<uint64_t>(pool.size());
  std::vector<TokenCounter> counters;
  for (int i = 0; i < pool.size(); ++i) counters.emplace_back(share);
  ConcurrentSteps texts_counted(on_counted);
  const bool length_from_data =
      options.output_sequence_length == kSequenceLengthFromData;
  std::vector<uint32_t> term_counts(length_from_data ? texts.size() : 0);
  try {
    pool.ForRanges(texts.size(), [&](size_t begin, size_t end, int index) {
      Scratch scratch;
      TokenCounter& counter = counters[index];
      ConcurrentSteps::Group counted(texts_counted);
      for (size_t i = begin; i < end; ++i) {
        // adapt sees every term: truncation comes after lookup.
        uint32_t count = 0;
        terms.ForEachTerm(texts[i], scratch, SIZE_MAX,
                          [&](std::string_view term, uint64_t hash) {
                            counter.Add(term, hash);
                            ++count;
                            return true;
                          });
        if (length_from_data) term_counts[i] = count;
        counted.Step();
      }
    });
    texts_counted.Finish();
    if (counters.size() > 1) {
      uint64_t others = 0;
      for (size_t i = 1; i < counters.size(); ++i) others += counters[i].memory_bytes();
      counters[0].set_memory_limit(limit.bytes > others ? limit.bytes - others : 0);
      for (size_t i = 1; i < counters.size(); ++i) counters[0].Merge(counters[i]);
    }
  } catch (const TokenCounter::OverMemoryLimit&) {
    size_t counted = 0;
    for (const TokenCounter& counter : counters) counted = std::max(counted, counter.size());
    CountingExceeds(limit, counted);
  }
  VectorizerOptions chosen = options;
  if (length_from_data) {
    chosen.output_sequence_length = SequenceLengthFromData(std::move(term_counts));
  }
  return TextVectorization(
      chosen, Vocabulary::FromCounts(counters[0], options.max_tokens));
}

int TextVectorization::SequenceLengthFromData(std::vector<uint32_t> term_counts) {
  if (term_counts.empty()) return 1;
  // Rank ceil(0.99 n), 1-based, in integers: (99 n + 99) / 100.
  const size_t rank = (99 * term_counts.size() + 99) / 100;
  const auto at = term_counts.begin() + static_cast<std::ptrdiff_t>(rank - 1);
  std::nth_element(term_counts.begin(), at, term_counts.end());
  return static_cast<int>(std::clamp<uint32_t>(
      *at, 1, static_cast<uint32_t>(kMaxSequenceLengthFromData)));
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
