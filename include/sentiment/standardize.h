// Text standardization and splitting, byte-exact with Keras TextVectorization.
#ifndef SENTIMENT_STANDARDIZE_H_
#define SENTIMENT_STANDARDIZE_H_

#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace sentiment {

enum class StandardizeMode {
  // The tutorial's custom_standardization: tf.strings.lower, the literal
  // "<br />" replaced by one space, then ASCII punctuation deleted.
  kTutorial,
  // Keras standardize="lower_and_strip_punctuation".
  kLowerAndStripPunctuation,
  // Keras standardize="lower".
  kLower,
  // Keras standardize="strip_punctuation".
  kStripPunctuation,
  // Keras standardize=None: text passes through unchanged.
  kNone,
  // Not a Keras mode: the tutorial's steps for Unicode text. In order:
  //  1. Each maximal well-formed UTF-8 run is normalized to NFKC with full
  //     Unicode case folding (utf8proc: compatibility decomposition, case
  //     folding per CaseFolding.txt C+F, canonical composition; the result
  //     is NFC). So "ＡＢＣ" is "abc", "Σ" and "ς" are "σ", "ß" is "ss".
  //  2. "<br />" (after step 1, so "<BR />" too) becomes one space.
  //  3. Code points of general category P* are deleted (symbols S*, such as
  //     ASCII $ + < = > ^ ` | ~, stay).
  //  4. Code points with the White_Space property become one space, so
  //     splitting on ASCII whitespace afterwards splits on White_Space.
  // Ill-formed UTF-8 (Unicode Table 3-7: stray continuation bytes, truncated
  // sequences, overlong forms, encoded surrogates, past U+10FFFF, bytes
  // C0, C1, F5..FF): a byte that starts no well-formed sequence passes
  // through unchanged, as in the byte-exact modes, and is neither folded,
  // deleted nor a separator; decoding resumes at the next byte, and the
  // well-formed text on either side is normalized separately.
  kUnicode,
};

// Whether the mode lowercases (tutorial, lower_and_strip_punctuation, lower;
// unicode folds case) and whether it deletes punctuation (tutorial,
// lower_and_strip_punctuation, strip_punctuation, unicode).
bool Lowercases(StandardizeMode mode);
bool StripsPunctuation(StandardizeMode mode);

// The mode's name as used on the command line and in model files
// ("tutorial", "lower_and_strip_punctuation", "lower", "strip_punctuation",
// "none", "unicode").
std::string_view StandardizeModeName(StandardizeMode mode);

// Parses a mode name. Throws Error(kInvalidInput) naming the valid modes.
StandardizeMode ParseStandardizeMode(std::string_view name);

// Standardizes `text` into `out` (cleared first). In the Keras modes
// lowercasing is ASCII-only and bytes >= 0x80 pass through unchanged, as
// tf.strings.lower does; the punctuation deleted is the 32 ASCII characters
// of Python's string.punctuation (Keras's DEFAULT_STRIP_REGEX). kUnicode
// follows the steps in its comment above; any bytes are accepted.
void Standardize(std::string_view text, StandardizeMode mode, std::string& out);

// Convenience form returning a new string.
std::string Standardize(std::string_view text, StandardizeMode mode);

// True for the ASCII whitespace tf.strings.split separates on:
// space, \t, \n, \v, \f, \r.
constexpr bool IsSplitSpace(unsigned char c) {
  return c == ' ' || (c >= '\t' && c <= '\r');
}

// Calls `emit(std::string_view token)` for each run of non-whitespace bytes,
// in order; never emits an empty token. The views point into `text`. If
// `emit` returns bool, returning false stops the split early.
template <typename Emit>
void ForEachToken(std::string_view text, Emit&& emit) {
  size_t i = 0;
  const size_t n = text.size();
  while (i < n) {
    while (i < n && IsSplitSpace(static_cast<unsigned char>(text[i]))) ++i;
    const size_t start = i;
    while (i < n && !IsSplitSpace(static_cast<unsigned char>(text[i]))) ++i;
    if (i == start) continue;
    const std::string_view token = text.substr(start, i - start);
    if constexpr (std::is_same_v<decltype(emit(token)), bool>) {
      if (!emit(token)) return;
    } else {
      emit(token);
    }
  }
}

// Splits on runs of ASCII whitespace (see ForEachToken).
std::vector<std::string> SplitWhitespace(std::string_view text);

}  // namespace sentiment

#endif  // SENTIMENT_STANDARDIZE_H_
