// Golden-table tests for text standardization and whitespace splitting.
// Expected values are worked out by hand from the Keras / TensorFlow
// semantics: tf.strings.lower (ASCII only), the tutorial's "<br />" -> " "
// replacement, deletion of Python's string.punctuation, and
// tf.strings.split on ASCII whitespace.
#include "sentiment/standardize.h"

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "sentiment/error.h"

namespace sentiment {
namespace {

using Tokens = std::vector<std::string>;

// All 32 characters of Python's string.punctuation.
constexpr std::string_view kAllPunctuation =
    "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";

struct StandardizeCase {
  const char* name;
  StandardizeMode mode;
  std::string input;
  std::string expected;
};

TEST(StandardizeTest, MatchesKerasSemanticsOnGoldenTable) {
  const std::vector<StandardizeCase> cases = {
      // --- tutorial (custom_standardization) ---
      {"tutorial empty", StandardizeMode::kTutorial, "", ""},
      {"tutorial lowercases ascii", StandardizeMode::kTutorial,
       "HeLLo WORLD", "hello world"},
      {"tutorial br becomes space", StandardizeMode::kTutorial,
       "one<br />two", "one two"},
      {"tutorial uppercase BR lowered then replaced",
       StandardizeMode::kTutorial, "one<BR />two", "one two"},
      {"tutorial mixed-case Br replaced", StandardizeMode::kTutorial,
       "one<bR />two", "one two"},
      {"tutorial consecutive br", StandardizeMode::kTutorial,
       "<br /><br />", "  "},
      {"tutorial br without space is only stripped",
       StandardizeMode::kTutorial, "one<br/>two", "onebrtwo"},
      {"tutorial br with two spaces is only stripped",
       StandardizeMode::kTutorial, "a<br  />b", "abr  b"},
      {"tutorial punctuation inside br tag blocks replacement",
       StandardizeMode::kTutorial, "<b!r />", "br "},
      {"tutorial nested partial br", StandardizeMode::kTutorial,
       "<br <br />", "br  "},
      {"tutorial review-like text", StandardizeMode::kTutorial,
       "It's a <b>GREAT</b> film!<br /><br />10/10",
       "its a bgreatb film  1010"},
      {"tutorial deletes every punctuation char", StandardizeMode::kTutorial,
       std::string(kAllPunctuation), ""},
      {"tutorial punctuation between letters joins them",
       StandardizeMode::kTutorial, "great!bad a-b", "greatbad ab"},
      {"tutorial keeps digits whitespace and control chars",
       StandardizeMode::kTutorial, "a1\t\n\x01\x7f z", "a1\t\n\x01\x7f z"},
      {"tutorial leaves non-ascii bytes untouched", StandardizeMode::kTutorial,
       "\xC3\x80\xC3\x89T\xC3\xA9 caf\xC3\xA9",
       "\xC3\x80\xC3\x89t\xC3\xA9 caf\xC3\xA9"},
      {"tutorial keeps unicode punctuation", StandardizeMode::kTutorial,
       "don\xE2\x80\x99t \xE2\x80\x94 OK", "don\xE2\x80\x99t \xE2\x80\x94 ok"},
      {"tutorial keeps lone high bytes", StandardizeMode::kTutorial,
       "A\xA0\xFF!", "a\xA0\xFF"},

      // --- lower_and_strip_punctuation (Keras default) ---
      {"lower_and_strip br keeps its space",
       StandardizeMode::kLowerAndStripPunctuation, "A<br />B", "abr b"},
      {"lower_and_strip uppercase BR", StandardizeMode::kLowerAndStripPunctuation,
       "great<BR />movie", "greatbr movie"},
      {"lower_and_strip deletes every punctuation char",
       StandardizeMode::kLowerAndStripPunctuation,
       std::string(kAllPunctuation), ""},
      {"lower_and_strip review-like text",
       StandardizeMode::kLowerAndStripPunctuation,
       "It's GOOD, really.", "its good really"},
      {"lower_and_strip leaves non-ascii",
       StandardizeMode::kLowerAndStripPunctuation, "\xC3\x89T\xC3\x89!",
       "\xC3\x89t\xC3\x89"},

      // --- lower ---
      {"lower only lowercases", StandardizeMode::kLower,
       "Hello, <BR />World!", "hello, <br />world!"},
      {"lower keeps punctuation", StandardizeMode::kLower,
       std::string(kAllPunctuation), std::string(kAllPunctuation)},
      {"lower leaves non-ascii", StandardizeMode::kLower, "\xC3\x80Z",
       "\xC3\x80z"},

      // --- strip_punctuation ---
      {"strip only deletes punctuation", StandardizeMode::kStripPunctuation,
       "Hello, <BR />World!", "Hello BR World"},
      {"strip deletes every punctuation char",
       StandardizeMode::kStripPunctuation, std::string(kAllPunctuation), ""},
      {"strip keeps case and control chars", StandardizeMode::kStripPunctuation,
       "AbC\x01\x7f", "AbC\x01\x7f"},
      {"strip does not replace br with space",
       StandardizeMode::kStripPunctuation, "a<br />b", "abr b"},

      // --- none ---
      {"none passes through", StandardizeMode::kNone,
       "Hello, <BR />World! \xC3\x80", "Hello, <BR />World! \xC3\x80"},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(Standardize(c.input, c.mode), c.expected) << c.name;
  }
}

TEST(StandardizeTest, TutorialReplacesBrBeforeStrippingPunctuation) {
  // If punctuation were stripped first, "<br />" would become "br " and the
  // words would glue onto "br".
  EXPECT_EQ(Standardize("great<br />movie", StandardizeMode::kTutorial),
            "great movie");
  EXPECT_EQ(
      Standardize("great<br />movie", StandardizeMode::kLowerAndStripPunctuation),
      "greatbr movie");
}

TEST(StandardizeTest, DeletesEachPunctuationCharacterIndividually) {
  for (const char p : kAllPunctuation) {
    const std::string input = std::string("x") + p + "y";
    EXPECT_EQ(Standardize(input, StandardizeMode::kStripPunctuation), "xy")
        << "char " << p;
    EXPECT_EQ(Standardize(input, StandardizeMode::kLowerAndStripPunctuation),
              "xy")
        << "char " << p;
  }
}

TEST(StandardizeTest, KeepsEveryNonPunctuationByte) {
  // Every byte value that is not one of the 32 punctuation chars and not an
  // uppercase ASCII letter survives all modes unchanged.
  for (int b = 0; b < 256; ++b) {
    const char c = static_cast<char>(b);
    if (kAllPunctuation.find(c) != std::string_view::npos) continue;
    if (c >= 'A' && c <= 'Z') continue;
    const std::string input(1, c);
    EXPECT_EQ(Standardize(input, StandardizeMode::kTutorial), input)
        << "byte " << b;
    EXPECT_EQ(Standardize(input, StandardizeMode::kLowerAndStripPunctuation),
              input)
        << "byte " << b;
  }
}

TEST(StandardizeTest, LowercasesExactlyTheAsciiUppercaseLetters) {
  for (int b = 'A'; b <= 'Z'; ++b) {
    const std::string input(1, static_cast<char>(b));
    const std::string expected(1, static_cast<char>(b - 'A' + 'a'));
    EXPECT_EQ(Standardize(input, StandardizeMode::kLower), expected);
    EXPECT_EQ(Standardize(input, StandardizeMode::kStripPunctuation), input);
  }
}

TEST(StandardizeTest, PreservesEmbeddedNulBytes) {
  const std::string input("A\0B", 3);
  const std::string expected("a\0b", 3);
  EXPECT_EQ(Standardize(input, StandardizeMode::kTutorial), expected);
}

TEST(StandardizeTest, OutParameterFormClearsPreviousContents) {
  std::string out = "previous garbage";
  Standardize("AB, C", StandardizeMode::kLowerAndStripPunctuation, out);
  EXPECT_EQ(out, "ab c");
  Standardize("", StandardizeMode::kNone, out);
  EXPECT_EQ(out, "");
}

TEST(StandardizeTest, ModeNamesRoundTrip) {
  const std::vector<std::pair<StandardizeMode, std::string_view>> names = {
      {StandardizeMode::kTutorial, "tutorial"},
      {StandardizeMode::kLowerAndStripPunctuation,
       "lower_and_strip_punctuation"},
      {StandardizeMode::kLower, "lower"},
      {StandardizeMode::kStripPunctuation, "strip_punctuation"},
      {StandardizeMode::kNone, "none"},
      {StandardizeMode::kUnicode, "unicode"},
  };
  for (const auto& [mode, name] : names) {
    EXPECT_EQ(StandardizeModeName(mode), name);
    EXPECT_EQ(ParseStandardizeMode(name), mode) << name;
  }
}

TEST(StandardizeTest, UnknownModeNameThrowsInvalidInput) {
  for (const std::string_view bad :
       {"", "lowercase", "strip", "tutorial ", "lower_and_strip"}) {
    try {
      ParseStandardizeMode(bad);
      ADD_FAILURE() << "no exception for '" << bad << "'";
    } catch (const Error& e) {
      EXPECT_EQ(e.kind(), ErrorKind::kInvalidInput) << bad;
    }
  }
}

// ---------------------------------------------------------------------------

struct SplitCase {
  const char* name;
  std::string input;
  Tokens expected;
};

TEST(SplitTest, SplitsOnAsciiWhitespaceRunsGoldenTable) {
  const std::vector<SplitCase> cases = {
      {"empty", "", {}},
      {"only whitespace", " \t\n\v\f\r ", {}},
      {"single token", "movie", {"movie"}},
      {"single spaces", "the movie was", {"the", "movie", "was"}},
      {"runs of mixed whitespace", "a  \tb\n\nc \v d\f\fe\r\nf",
       {"a", "b", "c", "d", "e", "f"}},
      {"leading and trailing whitespace", "  \t hello world \n ",
       {"hello", "world"}},
      {"punctuation is not a separator", "a,b c.d", {"a,b", "c.d"}},
      {"utf-8 letters are not separators", "caf\xC3\xA9 na\xC3\xAFve",
       {"caf\xC3\xA9", "na\xC3\xAFve"}},
      {"utf-8 no-break space is not a separator", "a\xC2\xA0" "b",
       {"a\xC2\xA0" "b"}},
      {"lone 0xA0 byte is not a separator", "a\xA0" "b c",
       {"a\xA0" "b", "c"}},
      {"0x85 byte is not a separator", "a\x85" "b", {"a\x85" "b"}},
      {"file separator control char is not a separator", "a\x1c" "b",
       {"a\x1c" "b"}},
      {"NUL is not a separator", std::string("a\0b c", 5),
       {std::string("a\0b", 3), "c"}},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(SplitWhitespace(c.input), c.expected) << c.name;
  }
}

TEST(SplitTest, EachAsciiWhitespaceCharSeparates) {
  for (const char sep : std::string_view(" \t\n\v\f\r")) {
    const std::string input = std::string("x") + sep + "y";
    EXPECT_EQ(SplitWhitespace(input), (Tokens{"x", "y"}))
        << "separator " << static_cast<int>(sep);
  }
}

TEST(SplitTest, NoOtherByteSeparates) {
  for (int b = 0; b < 256; ++b) {
    const char c = static_cast<char>(b);
    if (c == ' ' || (c >= '\t' && c <= '\r')) continue;
    const std::string input = std::string("x") + c + "y";
    EXPECT_EQ(SplitWhitespace(input), (Tokens{input})) << "byte " << b;
  }
}

TEST(SplitTest, ForEachTokenEmitsViewsIntoTheInput) {
  const std::string text = " ab  c ";
  std::vector<std::string_view> seen;
  ForEachToken(text, [&](std::string_view t) { seen.push_back(t); });
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_EQ(seen[0], "ab");
  EXPECT_EQ(seen[1], "c");
  EXPECT_EQ(seen[0].data(), text.data() + 1);
  EXPECT_EQ(seen[1].data(), text.data() + 5);
}

TEST(SplitTest, SplitsStandardizedTutorialText) {
  EXPECT_EQ(SplitWhitespace(Standardize("Great<br /><br />Movie, 10/10!",
                                        StandardizeMode::kTutorial)),
            (Tokens{"great", "movie", "1010"}));
}

}  // namespace
}  // namespace sentiment
