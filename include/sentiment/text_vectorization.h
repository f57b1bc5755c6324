// Raw text to fixed-length token ids: Keras TextVectorization with
// output_mode="int".
#ifndef SENTIMENT_TEXT_VECTORIZATION_H_
#define SENTIMENT_TEXT_VECTORIZATION_H_

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "sentiment/progress.h"
#include "sentiment/standardize.h"
#include "sentiment/term_splitter.h"
#include "sentiment/vocabulary.h"

namespace sentiment {

// output_sequence_length before adapt: let adapt choose it from the
// training texts (TextVectorization::SequenceLengthFromData).
constexpr int kSequenceLengthFromData = 0;

struct VectorizerOptions {
  int max_tokens = 10000;               // vocabulary size, reserved tokens included
  // Ids per text after padding/truncation, or kSequenceLengthFromData.
  int output_sequence_length = 250;
  StandardizeMode standardize = StandardizeMode::kTutorial;
  int ngrams = 1;                       // terms: 1-grams up to ngrams-grams
};

// The most memory adapt's term counting may hold, and what sets it (for the
// message when counting needs more).
struct CountingLimit {
  uint64_t bytes = UINT64_MAX;
  std::string limited_by;  // e.g. "the address-space limit, ulimit -v"
};

class TextVectorization {
 public:
  // Learns the vocabulary from the training texts (Keras `adapt`), counting
  // on `threads` threads (the result does not depend on the count).
  // Throws Error(kInvalidInput) on out-of-range options, and when the term
  // counts (which grow with the distinct terms, known only while counting)
  // would need more than `limit`: a clear refusal instead of running out of
  // memory. `on_counted`, if given, is told how many texts are counted, from
  // the counting threads, one call at a time. With output_sequence_length
  // kSequenceLengthFromData, the vectorizer's length is
  // SequenceLengthFromData of the texts' term counts.
  static TextVectorization Adapt(const std::vector<std::string>& texts,
                                 const VectorizerOptions& options,
                                 int threads = 1,
                                 const CountingLimit& limit = {},
                                 const StepsDone& on_counted = {});

  // Assembles a vectorizer from stored parts. Throws Error(kBadModelFile) if
  // the vocabulary is larger than options.max_tokens or the length is < 1.
  TextVectorization(VectorizerOptions options, Vocabulary vocabulary);

  // The length chosen from the data: the fewest positions that hold every
  // term of 99% of the texts (the term count at rank ceil(0.99 n)), at
  // least 1 and at most kMaxSequenceLengthFromData (the tutorial's 250, so
  // long texts cost no more than they did). Short texts then pool over
  // their terms rather than mostly padding, which trains faster.
  static constexpr int kMaxSequenceLengthFromData = 250;
  static int SequenceLengthFromData(std::vector<uint32_t> term_counts);

  using Scratch = TermSplitter::Scratch;

  // Writes exactly output_sequence_length() ids into `ids`: the first terms
  // of the standardized, split text (see term_splitter.h) looked up in the
  // vocabulary (unknown -> 1), padded with 0 at the end. `scratch` is reused
  // between calls so the hot path does not allocate. Returns how many ids
  // are terms (the rest are padding).
  size_t Vectorize(std::string_view text, std::span<int32_t> ids,
                   Scratch& scratch) const;

  // Convenience form returning a new vector.
  std::vector<int32_t> Vectorize(std::string_view text) const;

  const VectorizerOptions& options() const { return options_; }
  const Vocabulary& vocabulary() const { return vocabulary_; }
  const TermSplitter& terms() const { return terms_; }
  int sequence_length() const { return options_.output_sequence_length; }

 private:
  VectorizerOptions options_;
  Vocabulary vocabulary_;
  TermSplitter terms_;
};

}  // namespace sentiment

#endif  // SENTIMENT_TEXT_VECTORIZATION_H_
