// The fused hot path of TextVectorization: standardize and split in a single
// pass over the bytes, hashing each token as it ends, with no per-token
// allocation. It must give
// exactly the tokens of Standardize() followed by ForEachToken(), which stay
// as the readable reference (a test checks the two agree on random bytes).
#ifndef SENTIMENT_TOKENIZER_H_
#define SENTIMENT_TOKENIZER_H_

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "sentiment/standardize.h"
#include "sentiment/vocabulary.h"

namespace sentiment {

class Tokenizer {
 public:
  explicit Tokenizer(StandardizeMode mode);

  // Calls emit(token, TokenHash(token)) for each standardized token in order;
  // stops early when emit returns false. `token_buffer` holds the current
  // token's bytes and is reused between calls; the views passed to emit
  // point into it.
  template <typename Emit>
  void ForEachToken(std::string_view text, std::string& token_buffer,
                    Emit&& emit) const {
    // A token is never longer than the text, so the buffer is sized once
    // and written through a raw pointer with no per-byte capacity check.
    if (token_buffer.size() < text.size()) token_buffer.resize(text.size());
    char* const token = token_buffer.data();
    size_t length = 0;
    const auto* bytes = reinterpret_cast<const unsigned char*>(text.data());
    const size_t n = text.size();
    for (size_t i = 0; i < n; ++i) {
      const Rule rule = rules_[bytes[i]];
      if (rule.kind == kKeep) {
        token[length++] = static_cast<char>(rule.out);
        continue;
      }
      if (rule.kind == kDrop) continue;
      if (rule.kind == kHtmlBreakStart) {
        if (!IsHtmlBreak(text, i)) continue;  // a lone '<' is punctuation
        i += kHtmlBreak.size() - 1;
      }
      // Whitespace, or "<br />" which the tutorial turns into a space.
      if (length > 0) {
        const std::string_view view(token, length);
        if (!emit(view, TokenHash(view))) return;
        length = 0;
      }
    }
    if (length > 0) {
      const std::string_view view(token, length);
      emit(view, TokenHash(view));
    }
  }

 private:
  static constexpr std::string_view kHtmlBreak = "<br />";
  enum Kind : uint8_t { kKeep, kSpace, kDrop, kHtmlBreakStart };
  struct Rule {
    uint8_t out;  // the byte after lowercasing (for kKeep)
    Kind kind;
  };

  // True when text[i..] starts with "<br />" after ASCII lowercasing.
  static bool IsHtmlBreak(std::string_view text, size_t i);

  std::array<Rule, 256> rules_;
};

}  // namespace sentiment

#endif  // SENTIMENT_TOKENIZER_H_
