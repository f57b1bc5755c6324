// The token-to-index table learned by Keras's TextVectorization.adapt.
#ifndef SENTIMENT_VOCABULARY_H_
#define SENTIMENT_VOCABULARY_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace sentiment {

// FNV-1a, 64 bits. Exposed step by step so the tokenizer can hash a token
// while it standardizes it, without a second pass over its bytes.
inline constexpr uint64_t kTokenHashSeed = 0xcbf29ce484222325ull;
inline constexpr uint64_t TokenHashStep(uint64_t hash, unsigned char byte) {
  return (hash ^ byte) * 0x100000001b3ull;
}
inline uint64_t TokenHash(std::string_view token) {
  uint64_t hash = kTokenHashSeed;
  for (char c : token) hash = TokenHashStep(hash, static_cast<unsigned char>(c));
  return hash;
}

// Term counts for Adapt. Counting parts of the data in separate counters and
// merging them gives exactly the counts of one counter over all of it.
class TokenCounter {
 public:
  void Add(std::string_view token);
  void Merge(const TokenCounter& other);

 private:
  friend class Vocabulary;
  struct Hash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return TokenHash(s); }
  };
  std::unordered_map<std::string, int64_t, Hash, std::equal_to<>> counts_;
};

class Vocabulary {
 public:
  static constexpr int32_t kPaddingIndex = 0;
  static constexpr int32_t kOutOfVocabularyIndex = 1;
  static constexpr std::string_view kPaddingToken = "";
  static constexpr std::string_view kOutOfVocabularyToken = "[UNK]";

  // Keeps the most frequent counted tokens, as Keras IndexLookup.adapt:
  // index 0 is the padding token "", index 1 "[UNK]", then tokens by count
  // descending with ties broken by token bytes descending, `max_tokens`
  // entries in all (fewer when the data has fewer distinct tokens). Tokens
  // equal to a reserved token are not counted. Throws Error(kInvalidInput) if
  // max_tokens < 3.
  static Vocabulary FromCounts(const TokenCounter& counts, int max_tokens);

  // FromCounts over already standardized-and-split documents.
  static Vocabulary Adapt(const std::vector<std::vector<std::string>>& documents,
                          int max_tokens);

  // Builds a vocabulary from a complete token list in index order, as read
  // from a model file. Throws Error(kBadModelFile) unless the reserved tokens
  // are in place and all tokens are distinct and non-empty.
  static Vocabulary FromTokens(std::vector<std::string> tokens);

  // The index of `token`, or kOutOfVocabularyIndex when it is unknown.
  int32_t Lookup(std::string_view token) const {
    return LookupHashed(token, TokenHash(token));
  }

  // Lookup with the token's TokenHash already computed.
  int32_t LookupHashed(std::string_view token, uint64_t hash) const {
    for (size_t slot = hash & slot_mask_;; slot = (slot + 1) & slot_mask_) {
      const Slot& s = slots_[slot];
      if (s.index < 0) return kOutOfVocabularyIndex;
      if (s.hash == static_cast<uint32_t>(hash >> 32) && tokens_[s.index] == token) {
        return s.index;
      }
    }
  }

  // All tokens in index order, reserved tokens included.
  const std::vector<std::string>& tokens() const { return tokens_; }
  int32_t size() const { return static_cast<int32_t>(tokens_.size()); }

 private:
  // Open addressing with linear probing; the table is at most half full.
  struct Slot {
    uint32_t hash = 0;   // high bits of the token's hash, to skip compares
    int32_t index = -1;  // -1: empty
  };

  explicit Vocabulary(std::vector<std::string> tokens);

  std::vector<std::string> tokens_;
  std::vector<Slot> slots_;
  size_t slot_mask_ = 0;
};

}  // namespace sentiment

#endif  // SENTIMENT_VOCABULARY_H_
