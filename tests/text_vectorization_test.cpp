// Golden-table tests for Keras TextVectorization(output_mode="int"):
// standardize, split on whitespace, look up (unknown -> 1), truncate at the
// end and pad with 0 at the end to output_sequence_length.
#include "sentiment/text_vectorization.h"

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "sentiment/error.h"
#include "sentiment/standardize.h"
#include "sentiment/vocabulary.h"

namespace sentiment {
namespace {

using Ids = std::vector<int32_t>;
using Tokens = std::vector<std::string>;

template <typename F>
void ExpectErrorKind(F&& f, ErrorKind kind, const std::string& what) {
  try {
    f();
    ADD_FAILURE() << "no exception: " << what;
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), kind) << what << ": " << e.what();
  }
}

// Standardized (tutorial): "the movie was great", "the movie was bad",
// "great movie". Counts: movie 3; the, was, great 2; bad 1.
// Vocabulary: "" 0, [UNK] 1, movie 2, was 3, the 4, great 5, bad 6.
const std::vector<std::string> kCorpus = {
    "The movie was great!", "the Movie was BAD.", "great<br />movie"};

VectorizerOptions Options(int max_tokens, int length,
                          StandardizeMode mode = StandardizeMode::kTutorial) {
  VectorizerOptions o;
  o.max_tokens = max_tokens;
  o.output_sequence_length = length;
  o.standardize = mode;
  return o;
}

TEST(TextVectorizationTest, DefaultOptionsAreTheTutorials) {
  const VectorizerOptions o;
  EXPECT_EQ(o.max_tokens, 10000);
  EXPECT_EQ(o.output_sequence_length, 250);
  EXPECT_EQ(o.standardize, StandardizeMode::kTutorial);
}

TEST(TextVectorizationTest, LearnsVocabularyFromStandardizedSplitText) {
  const auto tv = TextVectorization::Adapt(kCorpus, Options(100, 6));
  EXPECT_EQ(tv.vocabulary().tokens(),
            (Tokens{"", "[UNK]", "movie", "was", "the", "great", "bad"}));
  EXPECT_EQ(tv.options().max_tokens, 100);
  EXPECT_EQ(tv.options().output_sequence_length, 6);
  EXPECT_EQ(tv.options().standardize, StandardizeMode::kTutorial);
  EXPECT_EQ(tv.sequence_length(), 6);
}

TEST(TextVectorizationTest, MapsTokensToIdsAndPadsWithZerosAtTheEnd) {
  const auto tv = TextVectorization::Adapt(kCorpus, Options(100, 6));
  EXPECT_EQ(tv.Vectorize("The great movie, was BAD?!"),
            (Ids{4, 5, 2, 3, 6, 0}));
  EXPECT_EQ(tv.Vectorize("movie"), (Ids{2, 0, 0, 0, 0, 0}));
}

TEST(TextVectorizationTest, MapsUnknownTokensToOne) {
  const auto tv = TextVectorization::Adapt(kCorpus, Options(100, 6));
  EXPECT_EQ(tv.Vectorize("terrible movie"), (Ids{1, 2, 0, 0, 0, 0}));
  EXPECT_EQ(tv.Vectorize("a b c d e f g"), (Ids{1, 1, 1, 1, 1, 1}));
  // Case differences vanish under tutorial standardization.
  EXPECT_EQ(tv.Vectorize("MOVIE Movie movie"), (Ids{2, 2, 2, 0, 0, 0}));
}

TEST(TextVectorizationTest, TruncatesKeepingTheFirstTokens) {
  const auto tv = TextVectorization::Adapt(kCorpus, Options(100, 3));
  EXPECT_EQ(tv.Vectorize("bad was the movie great"), (Ids{6, 3, 4}));
  EXPECT_EQ(tv.Vectorize("unknown bad was the"), (Ids{1, 6, 3}));
  EXPECT_EQ(tv.Vectorize("the movie was"), (Ids{4, 2, 3}));
}

TEST(TextVectorizationTest, ReturnsAllPaddingForTextWithoutTokens) {
  const auto tv = TextVectorization::Adapt(kCorpus, Options(100, 4));
  EXPECT_EQ(tv.Vectorize(""), (Ids{0, 0, 0, 0}));
  EXPECT_EQ(tv.Vectorize(" \t\n\r "), (Ids{0, 0, 0, 0}));
  EXPECT_EQ(tv.Vectorize("!!! ... ?"), (Ids{0, 0, 0, 0}));
  EXPECT_EQ(tv.Vectorize("<br /><br />"), (Ids{0, 0, 0, 0}));
}

TEST(TextVectorizationTest, CutsVocabularyAtMaxTokens) {
  const auto tv = TextVectorization::Adapt(kCorpus, Options(4, 6));
  EXPECT_EQ(tv.vocabulary().tokens(), (Tokens{"", "[UNK]", "movie", "was"}));
  EXPECT_EQ(tv.Vectorize("the movie was great"), (Ids{1, 2, 3, 1, 0, 0}));

  const auto tv5 = TextVectorization::Adapt(kCorpus, Options(5, 6));
  EXPECT_EQ(tv5.vocabulary().tokens(),
            (Tokens{"", "[UNK]", "movie", "was", "the"}));
  EXPECT_EQ(tv5.Vectorize("the movie was great"), (Ids{4, 2, 3, 1, 0, 0}));
}

TEST(TextVectorizationTest, BreaksCountTiesByTokenBytesDescending) {
  const auto tv = TextVectorization::Adapt({"apple banana cherry", "date"},
                                           Options(100, 5));
  EXPECT_EQ(tv.vocabulary().tokens(),
            (Tokens{"", "[UNK]", "date", "cherry", "banana", "apple"}));
  EXPECT_EQ(tv.Vectorize("apple banana cherry date fig"),
            (Ids{5, 4, 3, 2, 1}));
}

TEST(TextVectorizationTest, ReplacesBrTagWithSpaceBeforeSplitting) {
  const auto tv = TextVectorization::Adapt(kCorpus, Options(100, 4));
  EXPECT_EQ(tv.Vectorize("great<br />movie"), (Ids{5, 2, 0, 0}));
  EXPECT_EQ(tv.Vectorize("GREAT<BR />MOVIE"), (Ids{5, 2, 0, 0}));
  // "<br/>" is not the literal "<br />": it is stripped to "br" and glues.
  EXPECT_EQ(tv.Vectorize("great<br/>movie"), (Ids{1, 0, 0, 0}));
}

TEST(TextVectorizationTest, StripsPunctuationBeforeSplitting) {
  const auto tv =
      TextVectorization::Adapt({"great!bad a-b"}, Options(10, 6));
  // "greatbad ab": counts tie, so "greatbad" > "ab" by bytes descending.
  EXPECT_EQ(tv.vocabulary().tokens(),
            (Tokens{"", "[UNK]", "greatbad", "ab"}));
  EXPECT_EQ(tv.Vectorize("GREAT!BAD a-b great bad"),
            (Ids{2, 3, 1, 1, 0, 0}));
  EXPECT_EQ(tv.Vectorize("a.b (greatbad)"), (Ids{3, 2, 0, 0, 0, 0}));
}

TEST(TextVectorizationTest, LowercasesOnlyAsciiLetters) {
  // Tutorial-standardized: "café cafÉ café" and " naïve".
  const auto tv = TextVectorization::Adapt(
      {"Caf\xC3\xA9 CAF\xC3\x89 caf\xC3\xA9", "<br />na\xC3\xAFve!"},
      Options(100, 4));
  EXPECT_EQ(tv.vocabulary().tokens(),
            (Tokens{"", "[UNK]", "caf\xC3\xA9", "na\xC3\xAFve",
                    "caf\xC3\x89"}));
  EXPECT_EQ(tv.Vectorize("CAF\xC3\x89 caf\xC3\xA9 NA\xC3\xAFVE"),
            (Ids{4, 2, 3, 0}));
}

TEST(TextVectorizationTest, LowerAndStripModeKeepsBrAsPartOfToken) {
  const auto tv = TextVectorization::Adapt(
      {"great<br />movie"},
      Options(10, 4, StandardizeMode::kLowerAndStripPunctuation));
  // "greatbr movie": tie, "movie" > "greatbr".
  EXPECT_EQ(tv.vocabulary().tokens(),
            (Tokens{"", "[UNK]", "movie", "greatbr"}));
  EXPECT_EQ(tv.Vectorize("Great<BR />Movie"), (Ids{3, 2, 0, 0}));
  EXPECT_EQ(tv.Vectorize("great movie"), (Ids{1, 2, 0, 0}));
}

TEST(TextVectorizationTest, NoneModeIsCaseAndPunctuationSensitive) {
  const auto tv = TextVectorization::Adapt(
      {"Hello hello"}, Options(10, 4, StandardizeMode::kNone));
  EXPECT_EQ(tv.vocabulary().tokens(),
            (Tokens{"", "[UNK]", "hello", "Hello"}));
  EXPECT_EQ(tv.Vectorize("Hello, hello HELLO Hello"), (Ids{1, 2, 1, 3}));
}

TEST(TextVectorizationTest, LowerModeKeepsPunctuationInTokens) {
  const auto tv = TextVectorization::Adapt(
      {"Good, good"}, Options(10, 3, StandardizeMode::kLower));
  // "good, good": tie, "good," > "good".
  EXPECT_EQ(tv.vocabulary().tokens(), (Tokens{"", "[UNK]", "good,", "good"}));
  EXPECT_EQ(tv.Vectorize("GOOD GOOD, good."), (Ids{3, 2, 1}));
}

TEST(TextVectorizationTest, StripPunctuationModeKeepsCase) {
  const auto tv = TextVectorization::Adapt(
      {"Good, good."}, Options(10, 4, StandardizeMode::kStripPunctuation));
  // "Good good": tie, "good" > "Good".
  EXPECT_EQ(tv.vocabulary().tokens(), (Tokens{"", "[UNK]", "good", "Good"}));
  EXPECT_EQ(tv.Vectorize("good! GOOD Good"), (Ids{2, 1, 3, 0}));
}

TEST(TextVectorizationTest, ReservedUnknownTokenInTextIsNotLearned) {
  const auto tv = TextVectorization::Adapt(
      {"[UNK] [UNK] [UNK] x"}, Options(3, 3, StandardizeMode::kNone));
  EXPECT_EQ(tv.vocabulary().tokens(), (Tokens{"", "[UNK]", "x"}));
  EXPECT_EQ(tv.Vectorize("[UNK] x"), (Ids{1, 2, 0}));
}

TEST(TextVectorizationTest, SpanFormOverwritesWholeBufferAndReusesScratch) {
  const auto tv = TextVectorization::Adapt(kCorpus, Options(100, 6));
  Ids ids(6, -7);
  TextVectorization::Scratch scratch;
  scratch.token = "stale scratch contents";
  tv.Vectorize("movie", std::span<int32_t>(ids), scratch);
  EXPECT_EQ(ids, (Ids{2, 0, 0, 0, 0, 0}));
  tv.Vectorize("The great movie was bad bad bad!", std::span<int32_t>(ids),
               scratch);
  EXPECT_EQ(ids, (Ids{4, 5, 2, 3, 6, 6}));
  tv.Vectorize("", std::span<int32_t>(ids), scratch);
  EXPECT_EQ(ids, (Ids{0, 0, 0, 0, 0, 0}));
}

TEST(TextVectorizationTest, SpanFormMatchesConvenienceForm) {
  const auto tv = TextVectorization::Adapt(kCorpus, Options(5, 5));
  TextVectorization::Scratch scratch;
  for (const std::string text :
       {"", "the movie", "Great<br />BAD movie, was it?", "x y z the was movie"}) {
    Ids ids(5, 99);
    tv.Vectorize(text, std::span<int32_t>(ids), scratch);
    EXPECT_EQ(ids, tv.Vectorize(text)) << text;
  }
}

TEST(TextVectorizationTest, AdaptRejectsOutOfRangeOptions) {
  ExpectErrorKind([] { TextVectorization::Adapt(kCorpus, Options(2, 6)); },
                  ErrorKind::kInvalidInput, "max_tokens=2");
  ExpectErrorKind([] { TextVectorization::Adapt(kCorpus, Options(0, 6)); },
                  ErrorKind::kInvalidInput, "max_tokens=0");
  // 0 is kSequenceLengthFromData, not an error; -1 and below are.
  ExpectErrorKind([] { TextVectorization::Adapt(kCorpus, Options(100, -1)); },
                  ErrorKind::kInvalidInput, "output_sequence_length=-1");
  ExpectErrorKind([] { TextVectorization::Adapt(kCorpus, Options(100, -3)); },
                  ErrorKind::kInvalidInput, "output_sequence_length=-3");
}

TEST(TextVectorizationTest, AssemblesFromStoredParts) {
  const TextVectorization tv(Options(10, 4, StandardizeMode::kLower),
                             Vocabulary::FromTokens({"", "[UNK]", "b", "a"}));
  EXPECT_EQ(tv.sequence_length(), 4);
  EXPECT_EQ(tv.options().max_tokens, 10);
  EXPECT_EQ(tv.options().standardize, StandardizeMode::kLower);
  EXPECT_EQ(tv.vocabulary().size(), 4);
  EXPECT_EQ(tv.Vectorize("A b C"), (Ids{3, 2, 1, 0}));
  // kLower keeps punctuation, so "a," is unknown.
  EXPECT_EQ(tv.Vectorize("a, B"), (Ids{1, 2, 0, 0}));
}

TEST(TextVectorizationTest, AcceptsVocabularyExactlyMaxTokensLong) {
  const TextVectorization tv(Options(3, 2),
                             Vocabulary::FromTokens({"", "[UNK]", "z"}));
  EXPECT_EQ(tv.Vectorize("Z y"), (Ids{2, 1}));
}

TEST(TextVectorizationTest, ConstructorRejectsInconsistentStoredParts) {
  ExpectErrorKind(
      [] {
        (void)TextVectorization(Options(3, 4),
                          Vocabulary::FromTokens({"", "[UNK]", "a", "b"}));
      },
      ErrorKind::kBadModelFile, "vocabulary larger than max_tokens");
  ExpectErrorKind(
      [] {
        (void)TextVectorization(Options(10, 0),
                          Vocabulary::FromTokens({"", "[UNK]", "a"}));
      },
      ErrorKind::kBadModelFile, "output_sequence_length=0");
}

// Term counts grow with the distinct terms, which only counting reveals:
// past the limit, adapt refuses with the memory-budget error, not an
// out-of-memory failure.
TEST(TextVectorizationTest, AdaptRefusesCountsOverTheLimit) {
  std::vector<std::string> texts;
  for (int t = 0; t < 40; ++t) {
    std::string text;
    for (int i = 0; i < 500; ++i) text += "w" + std::to_string(t * 500 + i) + " ";
    texts.push_back(text);
  }
  const VectorizerOptions options{.max_tokens = 100, .output_sequence_length = 4};
  for (int threads : {1, 2}) {
    try {
      TextVectorization::Adapt(texts, options, threads,
                               CountingLimit{200'000, "a test limit"});
      ADD_FAILURE() << "expected the counting limit to stop adapt";
    } catch (const Error& error) {
      EXPECT_EQ(error.kind(), ErrorKind::kInvalidInput);
      EXPECT_NE(std::string(error.what()).find(
                    "counting the vocabulary needs more than the 0.2 MiB left "
                    "for it (a test limit)"),
                std::string::npos)
          << error.what();
    }
    // 20,000 distinct terms fit in a few megabytes: the same texts adapt.
    EXPECT_EQ(TextVectorization::Adapt(texts, options, threads,
                                       CountingLimit{16'000'000, "a test limit"})
                  .vocabulary()
                  .size(),
              100);
  }
}

TEST(TextVectorizationTest, AdaptTellsTextsCountedUpToAllOfThem) {
  // More texts than one report's group, on two threads, so several reports
  // come from the counting threads before the final one.
  std::vector<std::string> texts;
  for (int i = 0; i < 1000; ++i) texts.push_back("text number " + std::to_string(i));
  std::vector<int64_t> told;
  const auto tv = TextVectorization::Adapt(
      texts, Options(100, 4), /*threads=*/2, CountingLimit{},
      [&](int64_t done) { told.push_back(done); });
  ASSERT_GE(told.size(), 2u);
  for (size_t i = 1; i < told.size(); ++i) ASSERT_LE(told[i - 1], told[i]);
  EXPECT_EQ(told.back(), 1000);
  // Reporting changes nothing learned.
  EXPECT_EQ(tv.vocabulary().tokens(),
            TextVectorization::Adapt(texts, Options(100, 4)).vocabulary().tokens());
}

TEST(TextVectorizationTest, SequenceLengthFromDataIsTheTermCountAtRankCeil99Percent) {
  // 200 texts: rank ceil(0.99 * 200) = 198 of the sorted counts.
  std::vector<uint32_t> counts;
  for (uint32_t i = 1; i <= 200; ++i) counts.push_back(i);
  EXPECT_EQ(TextVectorization::SequenceLengthFromData(counts), 198);
  // 101 texts: rank ceil(99.99) = 100; the order of the counts is irrelevant.
  counts.clear();
  for (uint32_t i = 101; i >= 1; --i) counts.push_back(i);
  EXPECT_EQ(TextVectorization::SequenceLengthFromData(counts), 100);
  // One text, no texts, texts without terms: at least 1.
  EXPECT_EQ(TextVectorization::SequenceLengthFromData({7}), 7);
  EXPECT_EQ(TextVectorization::SequenceLengthFromData({}), 1);
  EXPECT_EQ(TextVectorization::SequenceLengthFromData({0, 0, 0}), 1);
  // Long texts keep the tutorial's 250.
  EXPECT_EQ(TextVectorization::SequenceLengthFromData({1000, 2000, 3000}), 250);
}

TEST(TextVectorizationTest, AdaptChoosesTheLengthFromTheTermsItCounts) {
  // 99 texts of 3 words and one of 12: rank 99 is 3, the long one truncates.
  std::vector<std::string> texts(99, "one two three");
  texts.push_back("a b c d e f g h i j k l");
  VectorizerOptions options = Options(100, kSequenceLengthFromData);
  TextVectorization tv = TextVectorization::Adapt(texts, options);
  EXPECT_EQ(tv.sequence_length(), 3);
  EXPECT_EQ(tv.options().output_sequence_length, 3);
  EXPECT_EQ(tv.Vectorize("a b c d").size(), 3u);
  // With bigrams a 3-word text has 5 terms (3 words, 2 pairs).
  options.ngrams = 2;
  EXPECT_EQ(TextVectorization::Adapt(texts, options).sequence_length(), 5);
  // A given length is kept.
  EXPECT_EQ(TextVectorization::Adapt(texts, Options(100, 8)).sequence_length(), 8);
}

}  // namespace
}  // namespace sentiment
