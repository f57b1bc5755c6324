#include "sentiment/tokenizer.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "sentiment/numpy_random.h"
#include "sentiment/standardize.h"

namespace sentiment {
namespace {

constexpr StandardizeMode kModes[] = {
    StandardizeMode::kTutorial, StandardizeMode::kLowerAndStripPunctuation,
    StandardizeMode::kLower, StandardizeMode::kStripPunctuation,
    StandardizeMode::kNone, StandardizeMode::kUnicode};

std::vector<std::string> FusedTokens(std::string_view text, StandardizeMode mode) {
  const Tokenizer tokenizer(mode);
  std::vector<std::string> tokens;
  std::string buffer;
  tokenizer.ForEachToken(text, buffer, [&](std::string_view token, uint64_t hash) {
    EXPECT_EQ(hash, TokenHash(token));
    tokens.emplace_back(token);
    return true;
  });
  return tokens;
}

// The reference: the two-step Standardize then split.
std::vector<std::string> ReferenceTokens(std::string_view text, StandardizeMode mode) {
  return SplitWhitespace(Standardize(text, mode));
}

// Whether the fused tokenizer gives the reference's tokens for `text` in
// every standardize mode.
::testing::AssertionResult AgreesInEveryMode(const std::string& text) {
  for (StandardizeMode mode : kModes) {
    if (FusedTokens(text, mode) != ReferenceTokens(text, mode)) {
      return ::testing::AssertionFailure()
             << "mode " << StandardizeModeName(mode) << " text '" << text << "'";
    }
  }
  return ::testing::AssertionSuccess();
}

TEST(TokenizerTest, AgreesWithStandardizeThenSplitOnRandomBytes) {
  // Random strings drawn mostly from the bytes that matter: letters of both
  // cases, the pieces of "<br />", punctuation, whitespace, high bytes.
  using namespace std::string_literals;
  const std::string alphabet = "aBrR<>/ \t\n\r\v\f!.,'-x\x80\xC3\xA9\xFF\x00Z9"s;
  RandomState random(2024);
  for (int round = 0; round < 20000; ++round) {
    std::string text;
    const uint32_t length = random.Interval(24);
    for (uint32_t i = 0; i < length; ++i) {
      if (random.Interval(9) == 0) {
        text += random.Interval(1) ? "<br />" : "<BR />";
      } else {
        text += alphabet[random.Interval(static_cast<uint32_t>(alphabet.size() - 1))];
      }
    }
    ASSERT_TRUE(AgreesInEveryMode(text));
  }
}

// Texts long enough for the sixteen-byte block path, with "<br />" and
// punctuation falling at every offset within and across blocks.
TEST(TokenizerTest, AgreesWithTheReferenceOnLongTexts) {
  using namespace std::string_literals;
  const std::string alphabet = "abcdefgHIJ  \t\n.,'-<>/\x80\xC3\xA9\x00"s;
  RandomState random(7);
  for (int round = 0; round < 3000; ++round) {
    std::string text;
    const uint32_t length = random.Interval(300);
    for (uint32_t i = 0; i < length; ++i) {
      const uint32_t draw = random.Interval(19);
      if (draw == 0) {
        text += random.Interval(1) ? "<br />" : "<Br />";
      } else if (draw == 1) {
        text += "<br /";  // a break cut short is punctuation
      } else {
        text += alphabet[random.Interval(static_cast<uint32_t>(alphabet.size() - 1))];
      }
    }
    ASSERT_TRUE(AgreesInEveryMode(text));
  }
}

// The unicode mode on strings of whole and broken UTF-8 sequences:
// composing marks, case pairs, compatibility forms, Unicode punctuation and
// whitespace, "<br />" in ASCII and full width, and ill-formed bytes.
TEST(TokenizerTest, UnicodeModeAgreesWithTheReferenceOnRandomBytes) {
  using namespace std::string_literals;
  const std::vector<std::string> pieces = {
      "a", "B", "e", "E", " ", "\t", ".", "-", "<", "/", ">", "<br />", "<BR />",
      "\u00E9", "\u0301", "\u0308", "\u03A3", "\u03C2", "\u00DF", "\u1E9E",
      "\uFF21", "\uFF01", "\u3000", "\u00A0", "\u2028", "\u0085", "\u2014",
      "\u3002", "\u00AB", "\u201C", "\uFB01", "\uFDFA", "\U0001D400",
      "\uFF1C\uFF22\uFF32\u3000\uFF0F\uFF1E", "\x80", "\xC3", "\xCC",
      "\xE2\x80", "\xED\xA0\x80", "\xF0\x9F", "\xC0\xAF", "\xFF", "\x00"s};
  RandomState random(99);
  for (int round = 0; round < 5000; ++round) {
    std::string text;
    const uint32_t length = random.Interval(40);
    for (uint32_t i = 0; i < length; ++i) {
      text += pieces[random.Interval(static_cast<uint32_t>(pieces.size() - 1))];
    }
    ASSERT_EQ(FusedTokens(text, StandardizeMode::kUnicode),
              ReferenceTokens(text, StandardizeMode::kUnicode))
        << "text '" << text << "'";
  }
}

TEST(TokenizerTest, UnicodeModeStopsWhenEmitReturnsFalse) {
  const Tokenizer tokenizer(StandardizeMode::kUnicode);
  std::string buffer;
  std::vector<std::string> seen;
  tokenizer.ForEachToken("\u00C9T\u00C9\u3000Stra\u00DFe\u00A0\u00ABx\u00BB y",
                         buffer, [&](std::string_view token, uint64_t) {
                           seen.emplace_back(token);
                           return seen.size() < 2;
                         });
  EXPECT_EQ(seen, (std::vector<std::string>{"\u00E9t\u00E9", "strasse"}));
}

TEST(TokenizerTest, StopsMidBlockWhenEmitReturnsFalse) {
  const Tokenizer tokenizer(StandardizeMode::kTutorial);
  std::string buffer;
  std::vector<std::string> seen;
  tokenizer.ForEachToken("one two three four five six seven eight nine",
                         buffer, [&](std::string_view token, uint64_t) {
                           seen.emplace_back(token);
                           return seen.size() < 3;
                         });
  EXPECT_EQ(seen, (std::vector<std::string>{"one", "two", "three"}));
}

TEST(TokenizerTest, TutorialModeSplitsAtHtmlBreaks) {
  EXPECT_EQ(FusedTokens("Good<br />BAD<BR />ok<br/>x", StandardizeMode::kTutorial),
            (std::vector<std::string>{"good", "bad", "okbrx"}));
}

TEST(TokenizerTest, StopsWhenEmitReturnsFalse) {
  const Tokenizer tokenizer(StandardizeMode::kNone);
  std::string buffer;
  int calls = 0;
  tokenizer.ForEachToken("a b c d", buffer, [&](std::string_view, uint64_t) {
    return ++calls < 2;
  });
  EXPECT_EQ(calls, 2);
}

}  // namespace
}  // namespace sentiment
