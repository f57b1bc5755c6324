#include "sentiment/standardize.h"

#include <array>
#include <string>

#include "ascii.h"
#include "sentiment/error.h"
#include "unicode.h"

namespace sentiment {
namespace {

struct ModeName {
  StandardizeMode mode;
  std::string_view name;
};

constexpr std::array<ModeName, 6> kModeNames = {{
    {StandardizeMode::kTutorial, "tutorial"},
    {StandardizeMode::kLowerAndStripPunctuation, "lower_and_strip_punctuation"},
    {StandardizeMode::kLower, "lower"},
    {StandardizeMode::kStripPunctuation, "strip_punctuation"},
    {StandardizeMode::kNone, "none"},
    {StandardizeMode::kUnicode, "unicode"},
}};

constexpr std::array<bool, 256> MakePunctuationTable() {
  std::array<bool, 256> table{};
  for (char c : kAsciiPunctuation) table[static_cast<unsigned char>(c)] = true;
  return table;
}
constexpr std::array<bool, 256> kIsPunctuation = MakePunctuationTable();

constexpr std::string_view kHtmlBreak = "<br />";

char Lower(char c) {
  return static_cast<char>(AsciiLower(static_cast<unsigned char>(c)));
}

}  // namespace

bool Lowercases(StandardizeMode mode) {
  return mode == StandardizeMode::kTutorial ||
         mode == StandardizeMode::kLowerAndStripPunctuation ||
         mode == StandardizeMode::kLower || mode == StandardizeMode::kUnicode;
}

bool StripsPunctuation(StandardizeMode mode) {
  return mode == StandardizeMode::kTutorial ||
         mode == StandardizeMode::kLowerAndStripPunctuation ||
         mode == StandardizeMode::kStripPunctuation ||
         mode == StandardizeMode::kUnicode;
}

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
                     "lower, strip_punctuation, none or unicode)");
}

void Standardize(std::string_view text, StandardizeMode mode,
                 std::string& out) {
  if (mode == StandardizeMode::kUnicode) {
    StandardizeUnicode(text, out);
    return;
  }
  out.clear();
  out.reserve(text.size());
  const bool lower = Lowercases(mode);
  const bool strip = StripsPunctuation(mode);
  const bool break_to_space = mode == StandardizeMode::kTutorial;

  // One pass does all three steps. Replacing "<br />" before deleting
  // punctuation is the tutorial's order; since lowercasing comes first
  // there, "<BR />" matches too.
  const size_t n = text.size();
  for (size_t i = 0; i < n; ++i) {
    const char c = lower ? Lower(text[i]) : text[i];
    if (break_to_space && c == '<' && i + kHtmlBreak.size() <= n) {
      bool is_break = true;
      for (size_t k = 1; k < kHtmlBreak.size(); ++k) {
        if (Lower(text[i + k]) != kHtmlBreak[k]) {
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
