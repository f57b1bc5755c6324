#include "sentiment/standardize.h"

#include <array>
#include <string>

#include "sentiment/error.h"

namespace sentiment {
namespace {

struct ModeName {
  StandardizeMode mode;
  std::string_view name;
};

constexpr std::array<ModeName, 5> kModeNames = {{
    {StandardizeMode::kTutorial, "tutorial"},
    {StandardizeMode::kLowerAndStripPunctuation, "lower_and_strip_punctuation"},
    {StandardizeMode::kLower, "lower"},
    {StandardizeMode::kStripPunctuation, "strip_punctuation"},
    {StandardizeMode::kNone, "none"},
}};

// Python's string.punctuation, which Keras's DEFAULT_STRIP_REGEX and the
// tutorial's re.escape(string.punctuation) both match.
constexpr std::string_view kPunctuation = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";

constexpr std::array<bool, 256> MakePunctuationTable() {
  std::array<bool, 256> table{};
  for (char c : kPunctuation) table[static_cast<unsigned char>(c)] = true;
  return table;
}
constexpr std::array<bool, 256> kIsPunctuation = MakePunctuationTable();

constexpr std::string_view kHtmlBreak = "<br />";

char AsciiLower(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

}  // namespace

std::string_view StandardizeModeName(StandardizeMode mode) {
  for (const ModeName& entry : kModeNames) {
    if (entry.mode == mode) return entry.name;
  }
  return "unknown";
}

StandardizeMode ParseStandardizeMode(std::string_view name) {
  for (const ModeName& entry : kModeNames) {
    if (entry.name == name) return entry.mode;
  }
  throw InvalidInput("unknown standardize mode '" + std::string(name) +
                     "' (expected tutorial, lower_and_strip_punctuation, "
                     "lower, strip_punctuation or none)");
}

void Standardize(std::string_view text, StandardizeMode mode,
                 std::string& out) {
  out.clear();
  out.reserve(text.size());
  const bool lower = mode == StandardizeMode::kTutorial ||
                     mode == StandardizeMode::kLowerAndStripPunctuation ||
                     mode == StandardizeMode::kLower;
  const bool strip = mode == StandardizeMode::kTutorial ||
                     mode == StandardizeMode::kLowerAndStripPunctuation ||
                     mode == StandardizeMode::kStripPunctuation;
  const bool break_to_space = mode == StandardizeMode::kTutorial;

  // One pass does all three steps. Replacing "<br />" before deleting
  // punctuation is the tutorial's order; since lowercasing comes first
  // there, "<BR />" matches too.
  const size_t n = text.size();
  for (size_t i = 0; i < n; ++i) {
    const char c = lower ? AsciiLower(text[i]) : text[i];
    if (break_to_space && c == '<' && i + kHtmlBreak.size() <= n) {
      bool is_break = true;
      for (size_t k = 1; k < kHtmlBreak.size(); ++k) {
        if (AsciiLower(text[i + k]) != kHtmlBreak[k]) {
          is_break = false;
          break;
        }
      }
      if (is_break) {
        out.push_back(' ');
        i += kHtmlBreak.size() - 1;
        continue;
      }
    }
    if (strip && kIsPunctuation[static_cast<unsigned char>(c)]) continue;
    out.push_back(c);
  }
}

std::string Standardize(std::string_view text, StandardizeMode mode) {
  std::string out;
  Standardize(text, mode, out);
  return out;
}

std::vector<std::string> SplitWhitespace(std::string_view text) {
  std::vector<std::string> tokens;
  ForEachToken(text, [&](std::string_view token) { tokens.emplace_back(token); });
  return tokens;
}

}  // namespace sentiment
