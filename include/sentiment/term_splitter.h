// The terms a text becomes before lookup: Keras TextVectorization's
// standardize, split and ngrams steps. With ngrams = N the terms are all
// 1-grams in order, then all 2-grams in order, ... up to N-grams, each the
// tokens joined by one space, with no padding (tf.strings.ngrams with
// ngram_width = (1, ..., N)): a text of one token has no 2-gram.
#ifndef SENTIMENT_TERM_SPLITTER_H_
#define SENTIMENT_TERM_SPLITTER_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "sentiment/standardize.h"
#include "sentiment/tokenizer.h"
#include "sentiment/vocabulary.h"

namespace sentiment {

class TermSplitter {
 public:
  // Throws Error(kInvalidInput) unless 1 <= ngrams <= kMaxNgrams.
  TermSplitter(StandardizeMode mode, int ngrams);

  static constexpr int kMaxNgrams = 16;

  // Buffers reused between texts, so the hot path does not allocate.
  struct Scratch {
    std::string token;          // the tokenizer's buffer
    std::string tokens;         // the text's tokens joined by one space
    std::vector<size_t> starts;  // where each token starts in `tokens`
    std::vector<uint64_t> hashes;  // each token's TokenHash
  };

  // Calls emit(term, TokenHash(term)) for the first `limit` terms of `text`
  // in order; stops early when emit returns false. The views are followed
  // by at least Tokenizer::kPadding readable bytes (for LookupPadded).
  // Since the 1-grams come first, a text with at least `limit` tokens
  // yields only 1-grams, so only the first `limit` tokens are ever split.
  template <typename Emit>
  void ForEachTerm(std::string_view text, Scratch& scratch, size_t limit,
                   Emit&& emit) const {
    if (limit == 0) return;
    size_t emitted = 0;
    if (ngrams_ == 1) {
      tokenizer_.ForEachToken(text, scratch.token,
                              [&](std::string_view token, uint64_t hash) {
                                return emit(token, hash) && ++emitted < limit;
                              });
      return;
    }
    // Tokens are split on whitespace, so they hold no space: joined by one,
    // every n-gram is a substring of `tokens`.
    std::string& tokens = scratch.tokens;
    tokens.clear();
    scratch.starts.clear();
    scratch.hashes.clear();
    tokenizer_.ForEachToken(text, scratch.token,
                            [&](std::string_view token, uint64_t hash) {
                              if (!tokens.empty()) tokens.push_back(' ');
                              scratch.starts.push_back(tokens.size());
                              tokens.append(token);
                              scratch.hashes.push_back(hash);
                              return scratch.starts.size() < limit;
                            });
    const size_t count = scratch.starts.size();
    const size_t text_end = tokens.size();
    tokens.append(Tokenizer::kPadding, '\0');
    // Token i ends one byte before token i + 1 starts (the space).
    const auto end_of = [&](size_t i) {
      return i + 1 < count ? scratch.starts[i + 1] - 1 : text_end;
    };
    for (size_t i = 0; i < count; ++i) {
      const std::string_view term(tokens.data() + scratch.starts[i],
                                  end_of(i) - scratch.starts[i]);
      if (!emit(term, scratch.hashes[i]) || ++emitted == limit) return;
    }
    for (size_t width = 2; width <= static_cast<size_t>(ngrams_); ++width) {
      for (size_t i = 0; i + width <= count; ++i) {
        const std::string_view term(tokens.data() + scratch.starts[i],
                                    end_of(i + width - 1) - scratch.starts[i]);
        if (!emit(term, TokenHashPadded(term)) || ++emitted == limit) return;
      }
    }
  }

  int ngrams() const { return ngrams_; }
  const Tokenizer& tokenizer() const { return tokenizer_; }

 private:
  Tokenizer tokenizer_;
  int ngrams_;
};

}  // namespace sentiment

#endif  // SENTIMENT_TERM_SPLITTER_H_
