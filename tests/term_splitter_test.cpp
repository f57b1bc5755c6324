#include "sentiment/term_splitter.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "sentiment/error.h"
#include "sentiment/text_vectorization.h"

namespace sentiment {
namespace {

using Strings = std::vector<std::string>;

Strings Terms(std::string_view text, int ngrams, size_t limit = SIZE_MAX,
              StandardizeMode mode = StandardizeMode::kTutorial) {
  const TermSplitter splitter(mode, ngrams);
  TermSplitter::Scratch scratch;
  Strings terms;
  splitter.ForEachTerm(text, scratch, limit,
                       [&](std::string_view term, uint64_t hash) {
                         EXPECT_EQ(hash, TokenHash(term)) << term;
                         terms.emplace_back(term);
                         return true;
                       });
  return terms;
}

// tf.strings.ngrams(tokens, ngram_width=(1, ..., N), separator=" "): every
// width in turn, each in text order, no padding.
TEST(TermSplitterTest, AllOneGramsThenTwoGramsThenThreeGrams) {
  EXPECT_EQ(Terms("a b c", 1), (Strings{"a", "b", "c"}));
  EXPECT_EQ(Terms("a b c", 2), (Strings{"a", "b", "c", "a b", "b c"}));
  EXPECT_EQ(Terms("a b c d", 3), (Strings{"a", "b", "c", "d", "a b", "b c",
                                          "c d", "a b c", "b c d"}));
}

TEST(TermSplitterTest, ShortTextsHaveNoLongerNgrams) {
  EXPECT_EQ(Terms("alone", 3), (Strings{"alone"}));
  EXPECT_EQ(Terms("two words", 3), (Strings{"two", "words", "two words"}));
  EXPECT_EQ(Terms("", 2), Strings{});
  EXPECT_EQ(Terms("  \t ", 2), Strings{});
}

TEST(TermSplitterTest, NgramsJoinStandardizedTokensWithOneSpace) {
  EXPECT_EQ(Terms("Great,  MOVIE!<br />Loved\tit", 2),
            (Strings{"great", "movie", "loved", "it", "great movie",
                     "movie loved", "loved it"}));
}

// Truncation keeps the first terms, so the longest n-grams go first.
TEST(TermSplitterTest, LimitKeepsTheFirstTerms) {
  EXPECT_EQ(Terms("a b c", 2, 4), (Strings{"a", "b", "c", "a b"}));
  EXPECT_EQ(Terms("a b c", 2, 2), (Strings{"a", "b"}));
  EXPECT_EQ(Terms("a b c", 1, 2), (Strings{"a", "b"}));
  EXPECT_EQ(Terms("a b c", 3, 0), Strings{});
}

TEST(TermSplitterTest, LongTokensHashLikeTheirBytes) {
  const std::string long_text = std::string(40, 'x') + " " + std::string(9, 'y');
  EXPECT_EQ(Terms(long_text, 2),
            (Strings{std::string(40, 'x'), std::string(9, 'y'),
                     std::string(40, 'x') + " " + std::string(9, 'y')}));
}

TEST(TermSplitterTest, RejectsWidthsOutOfRange) {
  EXPECT_THROW(TermSplitter(StandardizeMode::kTutorial, 0), Error);
  EXPECT_THROW(TermSplitter(StandardizeMode::kTutorial, TermSplitter::kMaxNgrams + 1),
               Error);
}

// adapt counts every n-gram of the whole text; vectorizing keeps the first
// sequence_length terms.
TEST(TermSplitterTest, VectorizerAdaptsAndLooksUpNgrams) {
  const TextVectorization vectorizer = TextVectorization::Adapt(
      {"a b c", "a b"},
      VectorizerOptions{.max_tokens = 20, .output_sequence_length = 4, .ngrams = 2});
  // Counts: a 2, b 2, "a b" 2, c 1, "b c" 1; ties by bytes descending.
  EXPECT_EQ(vectorizer.vocabulary().tokens(),
            (Strings{"", "[UNK]", "b", "a b", "a", "c", "b c"}));
  EXPECT_EQ(vectorizer.Vectorize("a b c"), (std::vector<int32_t>{4, 2, 5, 3}));
  EXPECT_EQ(vectorizer.Vectorize("c a"), (std::vector<int32_t>{5, 4, 1, 0}));
}

}  // namespace
}  // namespace sentiment
