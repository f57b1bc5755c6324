// The token-to-index table learned by Keras's TextVectorization.adapt.
#ifndef SENTIMENT_VOCABULARY_H_
#define SENTIMENT_VOCABULARY_H_

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace sentiment {

// Hash that lets an unordered_map<std::string, ...> be probed with a
// std::string_view, so looking a token up allocates nothing.
struct TransparentStringHash {
  using is_transparent = void;
  size_t operator()(std::string_view s) const {
    return std::hash<std::string_view>{}(s);
  }
};

class Vocabulary {
 public:
  static constexpr int32_t kPaddingIndex = 0;
  static constexpr int32_t kOutOfVocabularyIndex = 1;
  static constexpr std::string_view kPaddingToken = "";
  static constexpr std::string_view kOutOfVocabularyToken = "[UNK]";

  // Counts tokens over already standardized-and-split documents and keeps the
  // most frequent, as Keras IndexLookup.adapt: index 0 is the padding token
  // "", index 1 "[UNK]", then tokens by count descending with ties broken by
  // token bytes descending, `max_tokens` entries in all (fewer when the data
  // has fewer distinct tokens). Tokens equal to a reserved token are not
  // counted. Throws Error(kInvalidInput) if max_tokens < 3.
  static Vocabulary Adapt(const std::vector<std::vector<std::string>>& documents,
                          int max_tokens);

  // Builds a vocabulary from a complete token list in index order, as read
  // from a model file. Throws Error(kBadModelFile) unless the reserved tokens
  // are in place and all tokens are distinct and non-empty.
  static Vocabulary FromTokens(std::vector<std::string> tokens);

  // The index of `token`, or kOutOfVocabularyIndex when it is unknown.
  int32_t Lookup(std::string_view token) const {
    const auto it = index_.find(token);
    return it == index_.end() ? kOutOfVocabularyIndex : it->second;
  }

  // All tokens in index order, reserved tokens included.
  const std::vector<std::string>& tokens() const { return tokens_; }
  int32_t size() const { return static_cast<int32_t>(tokens_.size()); }

 private:
  explicit Vocabulary(std::vector<std::string> tokens);

  std::vector<std::string> tokens_;
  std::unordered_map<std::string, int32_t, TransparentStringHash,
                     std::equal_to<>>
      index_;
};

}  // namespace sentiment

#endif  // SENTIMENT_VOCABULARY_H_
