// The fused hot path of TextVectorization: standardize and split in a single
// pass over the bytes, hashing each token as it ends, with no per-token
// allocation. It must give
// exactly the tokens of Standardize() followed by ForEachToken(), which stay
// as the readable reference (a test checks the two agree on random bytes).
#ifndef SENTIMENT_TOKENIZER_H_
#define SENTIMENT_TOKENIZER_H_

#include <array>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "sentiment/standardize.h"
#include "sentiment/vocabulary.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace sentiment {

class Tokenizer {
 public:
  explicit Tokenizer(StandardizeMode mode);

  // Bytes the buffer keeps readable past every token passed to emit, so a
  // token can be read a word at a time (TokenHashPadded, LookupPadded).
  static constexpr size_t kPadding = 16;

  // Calls emit(token, TokenHash(token)) for each standardized token in order;
  // stops early when emit returns false. `token_buffer` holds the current
  // token's bytes (in the unicode mode, the whole standardized text) and is
  // reused between calls; the views passed to emit point into it and are
  // followed by at least kPadding readable bytes.
  template <typename Emit>
  void ForEachToken(std::string_view text, std::string& token_buffer,
                    Emit&& emit) const {
    if (unicode_) [[unlikely]] {
      // StandardizeMode::kUnicode is not byte-wise: standardize the whole
      // text out of line, then split it as the reference does.
      const std::string_view standardized = StandardizeUnicodePadded(text, token_buffer);
      sentiment::ForEachToken(standardized, [&](std::string_view token) {
        return static_cast<bool>(emit(token, TokenHashPadded(token)));
      });
      return;
    }
    // A token is never longer than the text, so the buffer is sized once
    // and written through a raw pointer with no per-byte capacity check.
    if (token_buffer.size() < text.size() + kPadding) {
      token_buffer.resize(text.size() + kPadding);
    }
    char* const token = token_buffer.data();
    size_t length = 0;
    const auto* bytes = reinterpret_cast<const unsigned char*>(text.data());
    const size_t n = text.size();
    const auto end_token = [&] {
      if (length == 0) return true;
      const std::string_view view(token, length);
      length = 0;
      return static_cast<bool>(emit(view, TokenHashPadded(view)));
    };
    size_t i = 0;
#if defined(__SSE2__)
    // Sixteen bytes at a time: classify them at once, copy the runs of
    // kept bytes with whole-block moves, and visit only the special bytes
    // (whitespace, punctuation), about one in six in prose. The upper half
    // of `lowered` only pads the 16-byte copies of a run's tail.
    alignas(16) unsigned char lowered[32] = {};
    while (n - i >= 16) {
      const uint32_t special = ClassifyBlock(bytes + i, lowered);
      size_t run = 0;  // start of the kept bytes not yet copied
      bool jumped = false;
      for (uint32_t rest = special; rest != 0; rest &= rest - 1) {
        const size_t p = static_cast<size_t>(__builtin_ctz(rest));
        std::memcpy(token + length, lowered + run, 16);
        length += p - run;
        run = p + 1;
        const Kind kind = rules_[bytes[i + p]].kind;
        if (kind == kDrop) continue;
        if (kind == kHtmlBreakStart) {
          if (!IsHtmlBreak(text, i + p)) continue;  // a lone '<'
          // Resume right after the "<br />", which may end in a later block.
          if (!end_token()) return;
          i += p + kHtmlBreak.size();
          jumped = true;
          break;
        }
        if (!end_token()) return;
      }
      if (jumped) continue;
      std::memcpy(token + length, lowered + run, 16);
      length += 16 - run;
      i += 16;
    }
#endif
    for (; i < n; ++i) {
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
      if (!end_token()) return;
    }
    end_token();
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

  // Standardize(text, kUnicode) into `buffer`, followed by kPadding more
  // bytes; returns the standardized text (without the padding).
  static std::string_view StandardizeUnicodePadded(std::string_view text,
                                                   std::string& buffer);

#if defined(__SSE2__)
  // Writes the 16 bytes at `block`, lowercased when the mode lowercases,
  // to lowered[0..16) and returns a bit mask of the bytes whose rule is not
  // kKeep (bit k for block[k]).
  uint32_t ClassifyBlock(const unsigned char* block,
                         unsigned char* lowered) const {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(block));
    // In [low, low + span], compared unsigned: v - low <= span.
    const auto in_range = [&v](int low, int span) {
      const __m128i shifted = _mm_sub_epi8(v, _mm_set1_epi8(static_cast<char>(low)));
      return _mm_cmpeq_epi8(_mm_min_epu8(shifted, _mm_set1_epi8(static_cast<char>(span))),
                            shifted);
    };
    __m128i special = _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8(' ')),
                                   in_range('\t', '\r' - '\t'));
    if (strips_punctuation_) {
      // string.punctuation is exactly these four ranges.
      special = _mm_or_si128(special, in_range('!', '/' - '!'));
      special = _mm_or_si128(special, in_range(':', '@' - ':'));
      special = _mm_or_si128(special, in_range('[', '`' - '['));
      special = _mm_or_si128(special, in_range('{', '~' - '{'));
    }
    __m128i out = v;
    if (lowercases_) {
      const __m128i upper = in_range('A', 'Z' - 'A');
      out = _mm_add_epi8(v, _mm_and_si128(upper, _mm_set1_epi8(0x20)));
    }
    _mm_store_si128(reinterpret_cast<__m128i*>(lowered), out);
    return static_cast<uint32_t>(_mm_movemask_epi8(special));
  }

  bool lowercases_;
  bool strips_punctuation_;
#endif

  bool unicode_;  // StandardizeMode::kUnicode, which bypasses rules_
  std::array<Rule, 256> rules_;
};

}  // namespace sentiment

#endif  // SENTIMENT_TOKENIZER_H_
