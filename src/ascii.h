// ASCII facts shared by the reference standardizer and the fused tokenizer.
#ifndef SENTIMENT_SRC_ASCII_H_
#define SENTIMENT_SRC_ASCII_H_

#include <string_view>

namespace sentiment {

// Python's string.punctuation, the set Keras's DEFAULT_STRIP_REGEX and the
// tutorial's re.escape(string.punctuation) both delete.
inline constexpr std::string_view kAsciiPunctuation =
    "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";

// Lowercases A-Z only, as tf.strings.lower does; other bytes pass through.
constexpr unsigned char AsciiLower(unsigned char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<unsigned char>(c - 'A' + 'a') : c;
}

}  // namespace sentiment

#endif  // SENTIMENT_SRC_ASCII_H_
