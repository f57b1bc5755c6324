#include "sentiment/tokenizer.h"

#include "ascii.h"

namespace sentiment {
Tokenizer::Tokenizer(StandardizeMode mode) : unicode_(mode == StandardizeMode::kUnicode) {
  const bool lower = Lowercases(mode);
  const bool strip = StripsPunctuation(mode);
#if defined(__SSE2__)
  // ClassifyBlock flags punctuation only when stripping, which the one mode
  // with "<br />" breaks does.
  lowercases_ = lower;
  strips_punctuation_ = strip;
#endif
  for (int b = 0; b < 256; ++b) {
    const auto byte = static_cast<unsigned char>(b);
    rules_[b] = {lower ? AsciiLower(byte) : byte, kKeep};
    if (IsSplitSpace(byte)) rules_[b].kind = kSpace;
  }
  if (strip) {
    for (char c : kAsciiPunctuation) rules_[static_cast<unsigned char>(c)].kind = kDrop;
  }
  if (mode == StandardizeMode::kTutorial) rules_['<'].kind = kHtmlBreakStart;
}

bool Tokenizer::IsHtmlBreak(std::string_view text, size_t i) {
  if (text.size() - i < kHtmlBreak.size()) return false;
  for (size_t k = 0; k < kHtmlBreak.size(); ++k) {
    if (AsciiLower(static_cast<unsigned char>(text[i + k])) !=
        static_cast<unsigned char>(kHtmlBreak[k])) {
      return false;
    }
  }
  return true;
}

std::string_view Tokenizer::StandardizeUnicodePadded(std::string_view text,
                                                    std::string& buffer) {
  Standardize(text, StandardizeMode::kUnicode, buffer);
  const size_t size = buffer.size();
  buffer.append(kPadding, ' ');
  return {buffer.data(), size};
}

}  // namespace sentiment
