// libFuzzer target: TextVectorization (adapt and vectorize) on arbitrary
// bytes.
//
// Byte 0 picks the standardize mode, byte 1 max_tokens and the sequence
// length; the rest is split at '\n' into documents to adapt on, and then
// every document and the whole rest are vectorized.
//
// Properties checked: exactly sequence_length ids, each a valid vocabulary
// index, padding only at the end; the span form equals the convenience
// form and the reference path (Standardize, SplitWhitespace, Lookup); the
// adapted vocabulary is one a model file can store (FromTokens
// accepts it, no token holds whitespace).
#include <cstdint>
#include <iterator>
#include <cstdlib>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "sentiment/standardize.h"
#include "sentiment/text_vectorization.h"
#include "sentiment/vocabulary.h"

namespace {

using namespace sentiment;

void CheckIds(const TextVectorization& vectorizer, std::string_view text,
              TextVectorization::Scratch& scratch) {
  const size_t length = static_cast<size_t>(vectorizer.sequence_length());
  std::vector<int32_t> ids(length, -7);
  vectorizer.Vectorize(text, std::span<int32_t>(ids), scratch);
  bool padding = false;
  for (const int32_t id : ids) {
    if (id < 0 || id >= vectorizer.vocabulary().size()) std::abort();
    if (padding && id != Vocabulary::kPaddingIndex) std::abort();
    padding = id == Vocabulary::kPaddingIndex;
  }
  if (vectorizer.Vectorize(text) != ids) std::abort();
  // The fused, 16-bytes-at-a-time path against the readable reference:
  // Standardize, split, then the plain Lookup of each token.
  // N-grams as tf.strings.ngrams makes them: every width in turn, tokens
  // joined by one space.
  const std::vector<std::string> words = SplitWhitespace(
      Standardize(text, vectorizer.options().standardize));
  std::vector<std::string> tokens;
  for (size_t width = 1; width <= static_cast<size_t>(vectorizer.options().ngrams);
       ++width) {
    for (size_t start = 0; start + width <= words.size(); ++start) {
      std::string term = words[start];
      for (size_t k = 1; k < width; ++k) term += " " + words[start + k];
      tokens.push_back(term);
    }
  }
  for (size_t i = 0; i < length; ++i) {
    const int32_t expected = i < tokens.size()
                                 ? vectorizer.vocabulary().Lookup(tokens[i])
                                 : Vocabulary::kPaddingIndex;
    if (ids[i] != expected) std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 2) return 0;
  constexpr StandardizeMode kModes[] = {
      StandardizeMode::kTutorial, StandardizeMode::kLowerAndStripPunctuation,
      StandardizeMode::kLower, StandardizeMode::kStripPunctuation,
      StandardizeMode::kNone, StandardizeMode::kUnicode};
  VectorizerOptions options;
  options.standardize = kModes[data[0] % std::size(kModes)];
  options.max_tokens = 3 + data[1] % 32;
  options.output_sequence_length = 1 + data[1] / 8;
  options.ngrams = 1 + (data[0] / 8) % 3;
  const std::string_view rest(reinterpret_cast<const char*>(data) + 2, size - 2);

  std::vector<std::string> documents;
  for (size_t start = 0;;) {
    const size_t end = rest.find('\n', start);
    documents.emplace_back(rest.substr(start, end - start));
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  const TextVectorization vectorizer =
      TextVectorization::Adapt(documents, options);

  const std::vector<std::string>& tokens = vectorizer.vocabulary().tokens();
  // A term is up to `ngrams` tokens joined by single spaces: no other
  // whitespace, none at either end, no two spaces together.
  for (size_t i = 2; i < tokens.size(); ++i) {
    const std::string& term = tokens[i];
    if (term.empty() || term.front() == ' ' || term.back() == ' ') std::abort();
    int spaces = 0;
    for (size_t k = 0; k < term.size(); ++k) {
      const unsigned char c = static_cast<unsigned char>(term[k]);
      if (c == ' ') {
        ++spaces;
        if (term[k + 1] == ' ') std::abort();
      } else if (IsSplitSpace(c)) {
        std::abort();
      }
    }
    if (spaces >= options.ngrams) std::abort();
  }
  Vocabulary::FromTokens(tokens);  // throws, and so fails, if unstorable

  TextVectorization::Scratch scratch;
  for (const std::string& document : documents) {
    CheckIds(vectorizer, document, scratch);
  }
  CheckIds(vectorizer, rest, scratch);
  return 0;
}
