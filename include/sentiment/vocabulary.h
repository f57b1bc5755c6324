// The token-to-index table learned by Keras's TextVectorization.adapt.
#ifndef SENTIMENT_VOCABULARY_H_
#define SENTIMENT_VOCABULARY_H_

#include <algorithm>
#include <bit>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

namespace sentiment {

// The hash of a token for the vocabulary's table: eight bytes at a time, a
// multiply and shift per word, then a final mix (in the manner of
// SplitMix64's finalizer). Fast for the short strings tokens are. The last,
// partial word is the remaining bytes, little-endian, zero-filled.
namespace token_hash {
inline constexpr uint64_t kSeed = 0x9e3779b97f4a7c15ull;
inline uint64_t Mix(uint64_t hash, uint64_t word) {
  hash = (hash ^ word) * 0xbf58476d1ce4e5b9ull;
  return hash ^ (hash >> 29);
}
inline uint64_t Finish(uint64_t hash) {
  hash *= 0x94d049bb133111ebull;
  return hash ^ (hash >> 32);
}
inline uint64_t LoadWord(const char* p) {
  uint64_t word;
  std::memcpy(&word, p, 8);
  return word;
}
// TokenHash builds its last word little-endian and TokenHashPadded loads
// it; the two agree only where loads are little-endian.
static_assert(std::endian::native == std::endian::little,
              "TokenHashPadded assumes little-endian loads");
// The low `bytes` (1..8) bytes of a word set.
inline uint64_t LowBytes(size_t bytes) { return ~0ull >> (64 - 8 * bytes); }

// The hash over whole words, with the last partial word (1..7 bytes) from
// tail_word(p, n).
template <typename TailWord>
uint64_t HashWords(std::string_view token, TailWord tail_word) {
  uint64_t hash = kSeed ^ token.size();
  const char* p = token.data();
  size_t n = token.size();
  for (; n >= 8; p += 8, n -= 8) hash = Mix(hash, LoadWord(p));
  if (n > 0) hash = Mix(hash, tail_word(p, n));
  return Finish(hash);
}
}  // namespace token_hash

inline uint64_t TokenHash(std::string_view token) {
  return token_hash::HashWords(token, [](const char* p, size_t n) {
    uint64_t word = 0;
    for (size_t i = 0; i < n; ++i) {
      word |= static_cast<uint64_t>(static_cast<unsigned char>(p[i])) << (8 * i);
    }
    return word;
  });
}

// TokenHash for a token followed by at least 8 readable bytes (the
// tokenizer's buffer guarantees it): the partial word is one masked load
// rather than a loop whose length changes with every token.
inline uint64_t TokenHashPadded(std::string_view token) {
  return token_hash::HashWords(token, [](const char* p, size_t n) {
    return token_hash::LoadWord(p) & token_hash::LowBytes(n);
  });
}

// Term counts for Adapt. Counting parts of the data in separate counters and
// merging them gives exactly the counts of one counter over all of it.
class TokenCounter {
 public:
  // Thrown by Add and Merge, before allocating, when the counter would hold
  // more than its memory limit.
  struct OverMemoryLimit {};

  // `memory_limit` bounds memory_bytes() plus what ranking the counts
  // (Vocabulary::FromCounts) will take.
  explicit TokenCounter(uint64_t memory_limit = UINT64_MAX);

  void Add(std::string_view token) { Add(token, TokenHash(token)); }
  // Add with the token's TokenHash already computed (the tokenizer has it).
  void Add(std::string_view token, uint64_t hash) { Add(token, hash, 1); }
  void Merge(const TokenCounter& other);

  void set_memory_limit(uint64_t bytes) { memory_limit_ = bytes; }

  // Distinct terms counted.
  size_t size() const { return entries_.size(); }
  // The heap memory the counter holds: its entries, its slot table and the
  // bytes of terms too long to live inside their std::string.
  uint64_t memory_bytes() const {
    return entries_.capacity() * sizeof(Entry) +
           slots_.capacity() * sizeof(int32_t) + long_token_bytes_;
  }
  // What Vocabulary::FromCounts allocates to rank `terms` counted terms.
  static uint64_t RankingBytes(size_t terms) {
    return terms * (sizeof(std::string_view) + sizeof(int64_t));
  }

 private:
  friend class Vocabulary;
  struct Entry {
    std::string token;
    uint64_t hash;
    int64_t count;
  };

  void Add(std::string_view token, uint64_t hash, int64_t count);
  void Grow();
  // Throws OverMemoryLimit unless `extra` more bytes keep the counter, and
  // the ranking of one more term, within the limit.
  void CheckRoomFor(uint64_t extra) const;

  // Open addressing with linear probing over indices into entries_.
  std::vector<Entry> entries_;
  std::vector<int32_t> slots_;  // -1: empty
  size_t slot_mask_;
  uint64_t long_token_bytes_ = 0;  // heap bytes of tokens past the SSO buffer
  uint64_t memory_limit_;
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
    return Find(token, TokenHash(token), SafeHead(token));
  }

  // Lookup for a token followed by at least 8 readable bytes (as the
  // tokenizer's buffer guarantees), with its TokenHash already computed.
  int32_t LookupPadded(std::string_view token, uint64_t hash) const {
    const uint64_t head =
        token.empty() ? 0
                      : token_hash::LoadWord(token.data()) &
                            token_hash::LowBytes(std::min<size_t>(token.size(), 8));
    return Find(token, hash, head);
  }

  // All tokens in index order, reserved tokens included.
  const std::vector<std::string>& tokens() const { return tokens_; }
  int32_t size() const { return static_cast<int32_t>(tokens_.size()); }

 private:
  // Open addressing with linear probing; the table is at most half full.
  // A slot holds the token's first eight bytes and its length, so most
  // lookups (tokens are short) finish inside the one cache line of the slot
  // rather than following the index to the token's string.
  struct Slot {
    uint64_t head = 0;    // the first min(8, length) bytes, zero-filled
    uint32_t length = 0;
    int32_t index = -1;   // -1: empty
  };

  // Starts loading the first table slot a lookup of this hash reads.
  void Prefetch(uint64_t hash) const {
    __builtin_prefetch(&slots_[hash & slot_mask_]);
  }

  // Takes the tokens and builds the table. A token equal to an earlier one
  // keeps no slot; the index of the first such token is stored in
  // *first_duplicate (-1 when there is none).
  Vocabulary(std::vector<std::string> tokens, int64_t* first_duplicate);

  // The first min(8, size) bytes of `token` as a little-endian word, zero-filled.
  static uint64_t SafeHead(std::string_view token) {
    uint64_t head = 0;
    if (!token.empty()) {  // an empty view's data() may be null
      std::memcpy(&head, token.data(), std::min<size_t>(token.size(), 8));
    }
    return head;
  }

  int32_t Find(std::string_view token, uint64_t hash, uint64_t head) const {
    for (size_t slot = hash & slot_mask_;; slot = (slot + 1) & slot_mask_) {
      const Slot& s = slots_[slot];
      if (s.index < 0) return kOutOfVocabularyIndex;
      if (s.head == head && s.length == token.size() &&
          (token.size() <= 8 || SameTail(tokens_[s.index], token))) {
        return s.index;
      }
    }
  }

  // Whether two strings of the same length (over 8) agree past the head.
  static bool SameTail(std::string_view a, std::string_view b) {
    return std::memcmp(a.data() + 8, b.data() + 8, a.size() - 8) == 0;
  }

  std::vector<std::string> tokens_;
  std::vector<Slot> slots_;
  size_t slot_mask_ = 0;
};

}  // namespace sentiment

#endif  // SENTIMENT_VOCABULARY_H_
