#include "sentiment/vocabulary.h"

#include <algorithm>
#include <utility>

#include "huge_pages.h"
#include "sentiment/error.h"

namespace sentiment {

TokenCounter::TokenCounter(uint64_t memory_limit)
    : slots_(1024, -1), slot_mask_(1023), memory_limit_(memory_limit) {}

void TokenCounter::CheckRoomFor(uint64_t extra) const {
  const uint64_t after =
      memory_bytes() + extra + RankingBytes(entries_.size() + 1);
  if (after > memory_limit_) throw OverMemoryLimit{};
}

void TokenCounter::Add(std::string_view token, uint64_t hash, int64_t count) {
  size_t slot = hash & slot_mask_;
  for (;; slot = (slot + 1) & slot_mask_) {
    const int32_t index = slots_[slot];
    if (index < 0) break;
    Entry& entry = entries_[index];
    if (entry.hash == hash && std::string_view(entry.token) == token) {
      entry.count += count;
      return;
    }
  }
  // Growing a vector holds the old and the new buffer at once.
  if (entries_.size() == entries_.capacity()) {
    CheckRoomFor(std::max<size_t>(2 * entries_.capacity(), 1) * sizeof(Entry) +
                 token.size());
  } else if (token.size() >= sizeof(Entry)) {
    CheckRoomFor(token.size() + 1);
  }
  if (2 * (entries_.size() + 1) > slots_.size()) {
    CheckRoomFor(2 * slots_.size() * sizeof(int32_t));
  }
  slots_[slot] = static_cast<int32_t>(entries_.size());
  entries_.push_back({std::string(token), hash, count});
  const std::string& stored = entries_.back().token;
  if (stored.capacity() > std::string().capacity()) {
    long_token_bytes_ += stored.capacity() + 1;
  }
  if (2 * entries_.size() > slots_.size()) Grow();
}

void TokenCounter::Grow() {
  slots_.assign(2 * slots_.size(), -1);
  slot_mask_ = slots_.size() - 1;
  for (size_t i = 0; i < entries_.size(); ++i) {
    size_t slot = entries_[i].hash & slot_mask_;
    while (slots_[slot] >= 0) slot = (slot + 1) & slot_mask_;
    slots_[slot] = static_cast<int32_t>(i);
  }
}

void TokenCounter::Merge(const TokenCounter& other) {
  for (const Entry& entry : other.entries_) {
    Add(entry.token, entry.hash, entry.count);
  }
}

Vocabulary::Vocabulary(std::vector<std::string> tokens,
                       int64_t* first_duplicate)
    : tokens_(std::move(tokens)) {
  *first_duplicate = -1;
  size_t capacity = 16;
  while (capacity < 2 * tokens_.size()) capacity *= 2;
  slots_.reserve(capacity);
  AdviseHugePages(slots_.data(), capacity * sizeof(Slot));
  slots_.resize(capacity);
  slot_mask_ = capacity - 1;
  // Hashes first, so the inserts can prefetch the slots they will probe a
  // few tokens ahead: a million-token table is far larger than the cache.
  std::vector<uint64_t> hashes;
  hashes.reserve(tokens_.size());
  AdviseHugePages(hashes.data(), tokens_.size() * sizeof(uint64_t));
  hashes.resize(tokens_.size());
  for (size_t i = 0; i < tokens_.size(); ++i) hashes[i] = TokenHash(tokens_[i]);
  constexpr size_t kAhead = 16;
  for (size_t i = 0; i < tokens_.size(); ++i) {
    if (i + kAhead < tokens_.size()) Prefetch(hashes[i + kAhead]);
    const std::string& token = tokens_[i];
    size_t slot = hashes[i] & slot_mask_;
    bool duplicate = false;
    while (slots_[slot].index >= 0) {
      if (tokens_[slots_[slot].index] == token) {
        duplicate = true;
        break;
      }
      slot = (slot + 1) & slot_mask_;
    }
    if (duplicate) {
      if (*first_duplicate < 0) *first_duplicate = static_cast<int64_t>(i);
      continue;
    }
    slots_[slot] = {SafeHead(token), static_cast<uint32_t>(token.size()),
                    static_cast<int32_t>(i)};
  }
}

Vocabulary Vocabulary::FromCounts(const TokenCounter& counter, int max_tokens) {
  if (max_tokens < 3) {
    throw InvalidInput("max_tokens must be at least 3 (padding, [UNK] and one "
                       "token), got " + std::to_string(max_tokens));
  }
  std::vector<std::pair<std::string_view, int64_t>> ranked;
  ranked.reserve(counter.entries_.size());
  for (const TokenCounter::Entry& entry : counter.entries_) {
    if (entry.token == kPaddingToken || entry.token == kOutOfVocabularyToken) {
      continue;
    }
    ranked.emplace_back(entry.token, entry.count);
  }
  // Keras sorts with np.lexsort((tokens, counts))[::-1]: count descending,
  // ties by token bytes descending.
  const size_t keep =
      std::min(ranked.size(), static_cast<size_t>(max_tokens) - 2);
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
  int64_t duplicate;  // none: the counter's tokens are distinct
  return Vocabulary(std::move(tokens), &duplicate);
}

Vocabulary Vocabulary::Adapt(
    const std::vector<std::vector<std::string>>& documents, int max_tokens) {
  TokenCounter counter;
  for (const auto& document : documents) {
    for (const std::string& token : document) counter.Add(token);
  }
  return FromCounts(counter, max_tokens);
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
  int64_t duplicate;
  Vocabulary vocabulary(std::move(tokens), &duplicate);
  if (duplicate >= 0) {
    throw BadModelFile("vocabulary token " + std::to_string(duplicate) + " '" +
                       vocabulary.tokens_[duplicate] + "' is a duplicate");
  }
  return vocabulary;
}

}  // namespace sentiment
