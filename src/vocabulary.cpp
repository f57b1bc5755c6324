#include "sentiment/vocabulary.h"

#include <algorithm>
#include <utility>

#include "sentiment/error.h"

namespace sentiment {

Vocabulary::Vocabulary(std::vector<std::string> tokens)
    : tokens_(std::move(tokens)) {
  index_.reserve(tokens_.size());
  for (size_t i = 0; i < tokens_.size(); ++i) {
    index_.emplace(tokens_[i], static_cast<int32_t>(i));
  }
}

Vocabulary Vocabulary::Adapt(
    const std::vector<std::vector<std::string>>& documents, int max_tokens) {
  if (max_tokens < 3) {
    throw InvalidInput("max_tokens must be at least 3 (padding, [UNK] and one "
                       "token), got " + std::to_string(max_tokens));
  }
  std::unordered_map<std::string, int64_t, TransparentStringHash,
                     std::equal_to<>>
      counts;
  for (const auto& document : documents) {
    for (const std::string& token : document) ++counts[token];
  }
  counts.erase(std::string(kPaddingToken));
  counts.erase(std::string(kOutOfVocabularyToken));

  std::vector<std::pair<std::string_view, int64_t>> ranked(counts.begin(),
                                                           counts.end());
  // Keras sorts with np.lexsort((tokens, counts))[::-1]: count descending,
  // ties by token bytes descending.
  const size_t keep = std::min(ranked.size(), static_cast<size_t>(max_tokens) - 2);
  const auto before = [](const auto& a, const auto& b) {
    if (a.second != b.second) return a.second > b.second;
    return a.first > b.first;
  };
  std::partial_sort(ranked.begin(), ranked.begin() + keep, ranked.end(),
                    before);

  std::vector<std::string> tokens;
  tokens.reserve(keep + 2);
  tokens.emplace_back(kPaddingToken);
  tokens.emplace_back(kOutOfVocabularyToken);
  for (size_t i = 0; i < keep; ++i) tokens.emplace_back(ranked[i].first);
  return Vocabulary(std::move(tokens));
}

Vocabulary Vocabulary::FromTokens(std::vector<std::string> tokens) {
  if (tokens.size() < 2 || tokens[0] != kPaddingToken ||
      tokens[1] != kOutOfVocabularyToken) {
    throw BadModelFile(
        "vocabulary must start with the padding token '' and '[UNK]'");
  }
  for (size_t i = 2; i < tokens.size(); ++i) {
    if (tokens[i].empty()) {
      throw BadModelFile("vocabulary token " + std::to_string(i) +
                         " is empty");
    }
  }
  Vocabulary vocabulary(std::move(tokens));
  if (vocabulary.index_.size() != vocabulary.tokens_.size()) {
    for (size_t i = 0; i < vocabulary.tokens_.size(); ++i) {
      if (vocabulary.index_.at(vocabulary.tokens_[i]) != static_cast<int32_t>(i)) {
        throw BadModelFile("vocabulary token " + std::to_string(i) + " '" +
                           vocabulary.tokens_[i] + "' is a duplicate");
      }
    }
  }
  return vocabulary;
}

}  // namespace sentiment
