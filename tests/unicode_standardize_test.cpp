// Golden tables for StandardizeMode::kUnicode. Expected values are worked out
// by hand from the Unicode data files: NFKC (UnicodeData.txt decompositions),
// full case folding (CaseFolding.txt, status C and F), general category P*
// (UnicodeData.txt) and White_Space (PropList.txt); and, for ill-formed
// UTF-8, from Table 3-7 of the Unicode Standard. The test strings avoid code
// points whose data changed between recent Unicode versions, so Python's
// unicodedata agrees with them too (unicode_oracle_test.py checks a larger
// sample).
#include <utf8proc.h>

#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "sentiment/standardize.h"
#include "sentiment/tokenizer.h"
#include "unicode.h"

namespace sentiment {
namespace {

using Tokens = std::vector<std::string>;

std::string Unicode(std::string_view text) {
  return Standardize(text, StandardizeMode::kUnicode);
}

// Tokens through the fused tokenizer, the path training and prediction take.
Tokens UnicodeTokens(std::string_view text) {
  const Tokenizer tokenizer(StandardizeMode::kUnicode);
  Tokens tokens;
  std::string buffer;
  tokenizer.ForEachToken(text, buffer, [&](std::string_view token, uint64_t hash) {
    EXPECT_EQ(hash, TokenHash(token));
    tokens.emplace_back(token);
    return true;
  });
  return tokens;
}

struct Case {
  const char* name;
  std::string input;
  std::string expected;  // Standardize(input, kUnicode)
};

void ExpectStandardizes(const std::vector<Case>& cases) {
  for (const Case& c : cases) {
    EXPECT_EQ(Unicode(c.input), c.expected) << c.name;
    EXPECT_EQ(UnicodeTokens(c.input), SplitWhitespace(c.expected)) << c.name;
  }
}

TEST(UnicodeStandardizeTest, ComposesAndFoldsAccentedLetters) {
  ExpectStandardizes({
      {"precomposed e acute stays", "caf\u00E9", "caf\u00E9"},
      {"e + combining acute composes", "cafe\u0301", "caf\u00E9"},
      {"capital E acute folds", "CAF\u00C9", "caf\u00E9"},
      {"capital E + combining acute folds then composes", "CAFE\u0301", "caf\u00E9"},
      {"i + combining diaeresis", "nai\u0308ve", "na\u00EFve"},
      // U+212B ANGSTROM SIGN folds to U+00E5.
      {"angstrom sign", "\u212Bngstr\u00F6m", "\u00E5ngstr\u00F6m"},
      // U+01C4 DŽ: compatibility "D" + "Ž", folded, "z" + caron composed.
      {"DZ caron digraph", "\u01C4", "d\u017E"},
      // Marks are reordered canonically: dot below (ccc 220) before
      // acute (230), then "o" + dot below composes to U+1ECD, and the
      // acute stays a mark (no precomposed o with dot below and acute).
      {"canonical order of marks", "o\u0301\u0323", "\u1ECD\u0301"},
  });
}

TEST(UnicodeStandardizeTest, MapsFullWidthAndCompatibilityForms) {
  ExpectStandardizes({
      {"full-width letters and digits", "\uFF21\uFF22\uFF23\uFF11\uFF12\uFF13", "abc123"},
      {"full-width exclamation is punctuation", "\uFF28\uFF45\uFF4C\uFF4C\uFF4F\uFF01", "hello"},
      {"half-width katakana", "\uFF76\uFF80\uFF76\uFF85", "\u30AB\u30BF\u30AB\u30CA"},
      {"fi ligature", "\uFB01ne", "fine"},
      {"circled digit and superscript", "\u2460 x\u00B2", "1 x2"},
      {"mathematical bold capital", "\U0001D400\U0001D401", "ab"},
      {"roman numeral", "\u2167", "viii"},
  });
}

TEST(UnicodeStandardizeTest, FoldsGreekIncludingFinalSigma) {
  ExpectStandardizes({
      // Σ (U+03A3), σ (U+03C3) and final ς (U+03C2) all fold to σ; Ί
      // (U+038A) folds to ί (U+03AF).
      {"capitals", "\u03A3\u038A\u03A3\u03A5\u03A6\u039F\u03A3",
       "\u03C3\u03AF\u03C3\u03C5\u03C6\u03BF\u03C3"},
      {"final sigma", "\u03C3\u03AF\u03C3\u03C5\u03C6\u03BF\u03C2",
       "\u03C3\u03AF\u03C3\u03C5\u03C6\u03BF\u03C3"},
      // U+037E GREEK QUESTION MARK is ";" under NFKC, and U+0387 ANO TELEIA
      // is U+00B7 MIDDLE DOT: both Po.
      {"greek question mark and ano teleia", "\u03BD\u03B1\u03B9\u037E \u03BF\u03C7\u03B9\u0387",
       "\u03BD\u03B1\u03B9 \u03BF\u03C7\u03B9"},
  });
}

TEST(UnicodeStandardizeTest, FoldsGermanSharpS) {
  ExpectStandardizes({
      {"sharp s folds to ss", "Stra\u00DFe", "strasse"},
      {"capital sharp s folds to ss", "STRA\u1E9EE", "strasse"},
      {"STRASSE", "STRASSE", "strasse"},
      {"umlaut and sharp s", "Gr\u00F6\u00DFe", "gr\u00F6sse"},
      {"German quotes", "\u201E\u00C4pfel\u201C", "\u00E4pfel"},
  });
  EXPECT_EQ(UnicodeTokens("STRASSE Stra\u00DFe strasse"), Tokens(3, "strasse"));
}

TEST(UnicodeStandardizeTest, DeletesUnicodePunctuation) {
  ExpectStandardizes({
      {"punctuation-heavy text",
       "\u00ABBonjour\u00BB, dit-il \u2014 \u00A1Hola! \u00BFQu\u00E9? "
       "\u4F60\u597D\u3002\u4E16\u754C\uFF0C\u201Csmart\u201D \u2018quotes\u2019\u2026",
       "bonjour ditil  hola qu\u00E9 \u4F60\u597D\u4E16\u754Csmart quotes"},
      // The 23 ASCII characters of category P*; the other 9 of Python's
      // string.punctuation ($ + < = > ^ ` | ~) are symbols and stay.
      {"ASCII punctuation", "!\"#%&'()*,-./:;?@[\\]_{}", ""},
      {"ASCII symbols stay", "$5 + 3 < 4 = x^2 | ~ `", "$5 + 3 < 4 = x^2 | ~ `"},
      {"markup keeps angle brackets", "<b>GREAT</b>", "<b>great<b>"},
      {"dashes and dots", "a\u2010b\u2013c\u2022d\u00B7e", "abcde"},
      // U+00A8 DIAERESIS is " " + U+0308 under NFKC; the mark, alone,
      // becomes a token of its own.
      {"spacing diaeresis", "a\u00A8", "a \u0308"},
  });
}

TEST(UnicodeStandardizeTest, SplitsOnUnicodeWhiteSpace) {
  ExpectStandardizes({
      {"no-break space", "a\u00A0b", "a b"},
      {"ideographic space", "a\u3000b", "a b"},
      {"line separator", "a\u2028b", "a b"},
      {"paragraph separator", "a\u2029b", "a b"},
      {"next line", "a\u0085b", "a b"},
      {"ogham space mark", "a\u1680b", "a b"},
      {"narrow no-break space", "a\u202Fb", "a b"},
      {"em space", "a\u2003b", "a b"},
      {"ASCII whitespace", "a\tb\nc\rd\fe\vf", "a b c d e f"},
      // Not White_Space: ZERO WIDTH SPACE (Cf), MONGOLIAN VOWEL SEPARATOR
      // (Cf since Unicode 6.3) and INFORMATION SEPARATOR ONE (Cc).
      {"zero width space joins", "a\u200Bb", "a\u200Bb"},
      {"mongolian vowel separator joins", "a\u180Eb", "a\u180Eb"},
      {"information separator joins", "a\x1F" "b", "a\x1F" "b"},
  });
  EXPECT_EQ(UnicodeTokens("\u3000one\u00A0\u00A0two\u2028\u2029three\u0085"),
            (Tokens{"one", "two", "three"}));
}

TEST(UnicodeStandardizeTest, ReplacesHtmlBreaksAfterFolding) {
  ExpectStandardizes({
      {"br", "one<br />two", "one two"},
      {"upper-case BR", "one<BR />two", "one two"},
      {"full-width BR", "one\uFF1C\uFF22\uFF32\u3000\uFF0F\uFF1Etwo", "one two"},
      {"br without space: only the slash is punctuation", "one<br/>two", "one<br>two"},
      {"br at the end", "x<br />", "x "},
  });
}

TEST(UnicodeStandardizeTest, PassesIllFormedBytesThroughUnchanged) {
  ExpectStandardizes({
      {"lone continuation byte", "a\x80" "b", "a\x80" "b"},
      {"text on both sides is folded", "\u00C9\x80\u00C9", "\u00E9\x80\u00E9"},
      {"truncated two-byte sequence at the end", "caf\u00E9\xC3", "caf\u00E9\xC3"},
      {"truncated three-byte sequence at the end", "X\xE2\x82", "x\xE2\x82"},
      {"truncated sequence before a space", "\xE2\x82 \u20AC", "\xE2\x82 \u20AC"},
      {"lead byte before ASCII", "\xC3(\u00C9T\u00C9)", "\xC3\u00E9t\u00E9"},
      // C0 AF would be "/" (Po) if overlong forms were decoded.
      {"overlong slash", "a\xC0\xAF" "b", "a\xC0\xAF" "b"},
      {"overlong three-byte slash", "\xE0\x80\xAF", "\xE0\x80\xAF"},
      {"encoded high surrogate", "A\xED\xA0\x80" "B", "a\xED\xA0\x80" "b"},
      {"encoded surrogate pair", "\xED\xA0\xBD\xED\xB8\x80", "\xED\xA0\xBD\xED\xB8\x80"},
      {"past U+10FFFF", "\xF4\x90\x80\x80", "\xF4\x90\x80\x80"},
      {"bytes never in UTF-8", "\xFF\xFE\xC1\xF5", "\xFF\xFE\xC1\xF5"},
      // An ill-formed byte ends normalization: the acute does not compose
      // with an "e" on the other side of it.
      {"no composition across an ill-formed byte", "e\x80\u0301", "e\x80\u0301"},
      {"ill-formed byte inside a br", "<br \xFF/>", "<br \xFF>"},
  });
  EXPECT_EQ(UnicodeTokens("\xFF \xFE\x80 ok"), (Tokens{"\xFF", "\xFE\x80", "ok"}));
  EXPECT_EQ(UnicodeTokens(std::string("a\0b", 3)), (Tokens{std::string("a\0b", 3)}));
}

TEST(UnicodeStandardizeTest, NeverDropsTheRestOfALongLine) {
  // Ill-formed bytes every few characters of a long line: everything after
  // them is still standardized.
  std::string text;
  std::string expected;
  for (int i = 0; i < 1000; ++i) {
    text += "\u00C9T\u00C9\xFF \u00DF\u00A0";
    expected += "\u00E9t\u00E9\xFF ss ";
  }
  EXPECT_EQ(Unicode(text), expected);
  EXPECT_EQ(UnicodeTokens(text).size(), 2000u);
}

TEST(UnicodeStandardizeTest, ExpandsLongerThanTheInput) {
  // U+FDFA (3 bytes) is 18 code points under NFKC; U+FB03 "ffi".
  EXPECT_EQ(Unicode("\uFB03"), "ffi");
  EXPECT_EQ(Unicode("\uFDFA").size(), 33u);
  EXPECT_EQ(UnicodeTokens(std::string(2000, '\xC3') + "\uFDFA").size(), 4u);
}

TEST(UnicodeStandardizeTest, WhiteSpaceIsCategoriesZsZlZpAndSixControls) {
  for (int32_t c = 0; c <= 0x10FFFF; ++c) {
    const utf8proc_category_t category = utf8proc_category(c);
    const bool expected = category == UTF8PROC_CATEGORY_ZS ||
                          category == UTF8PROC_CATEGORY_ZL ||
                          category == UTF8PROC_CATEGORY_ZP ||
                          (c >= 0x09 && c <= 0x0D) || c == 0x85;
    ASSERT_EQ(IsUnicodeWhiteSpace(c), expected) << std::hex << c;
  }
}

TEST(UnicodeStandardizeTest, AsciiPunctuationIsTheP23) {
  std::string punctuation;
  for (int c = 0; c < 0x80; ++c) {
    if (IsUnicodePunctuation(c)) punctuation.push_back(static_cast<char>(c));
  }
  EXPECT_EQ(punctuation, "!\"#%&'()*,-./:;?@[\\]_{}");
}

TEST(UnicodeStandardizeTest, KerasModesStayByteExact) {
  // The default and the Keras modes neither normalize nor fold non-ASCII.
  EXPECT_EQ(Standardize("CAF\u00C9 \uFF21", StandardizeMode::kTutorial),
            "caf\u00C9 \uFF21");
  EXPECT_EQ(SplitWhitespace("a\u00A0b"), (Tokens{"a\u00A0b"}));
}

}  // namespace
}  // namespace sentiment
