// Golden-table tests for the vocabulary learned by Keras IndexLookup.adapt:
// "" and "[UNK]" first, then tokens by count descending with ties broken by
// token bytes descending (np.lexsort((tokens, counts))[::-1]).
#include "sentiment/vocabulary.h"

#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "sentiment/error.h"

namespace sentiment {
namespace {

using Tokens = std::vector<std::string>;
using Documents = std::vector<std::vector<std::string>>;

template <typename F>
void ExpectErrorKind(F&& f, ErrorKind kind, const std::string& what) {
  try {
    f();
    ADD_FAILURE() << "no exception: " << what;
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), kind) << what << ": " << e.what();
  }
}

TEST(VocabularyTest, PutsPaddingAndUnknownTokensFirst) {
  const Vocabulary v = Vocabulary::Adapt({{"movie"}}, 10);
  EXPECT_EQ(v.tokens(), (Tokens{"", "[UNK]", "movie"}));
  EXPECT_EQ(v.size(), 3);
  EXPECT_EQ(Vocabulary::kPaddingIndex, 0);
  EXPECT_EQ(Vocabulary::kOutOfVocabularyIndex, 1);
}

TEST(VocabularyTest, OrdersTokensByCountDescending) {
  // counts: movie 3, the 2, was 2, great 2, bad 1.
  const Documents docs = {{"the", "movie", "was", "great"},
                          {"the", "movie", "was", "bad"},
                          {"great", "movie"}};
  const Vocabulary v = Vocabulary::Adapt(docs, 100);
  EXPECT_EQ(v.tokens(),
            (Tokens{"", "[UNK]", "movie", "was", "the", "great", "bad"}));
}

TEST(VocabularyTest, BreaksCountTiesByTokenBytesDescending) {
  EXPECT_EQ(Vocabulary::Adapt({{"a", "b", "c"}}, 10).tokens(),
            (Tokens{"", "[UNK]", "c", "b", "a"}));
  EXPECT_EQ(Vocabulary::Adapt({{"b"}, {"a"}}, 10).tokens(),
            (Tokens{"", "[UNK]", "b", "a"}));
}

TEST(VocabularyTest, TieBreakPlacesLongerTokenBeforeItsPrefix) {
  // Descending byte order: "b" > "ab" > "a".
  EXPECT_EQ(Vocabulary::Adapt({{"a", "ab", "b"}}, 10).tokens(),
            (Tokens{"", "[UNK]", "b", "ab", "a"}));
}

TEST(VocabularyTest, TieBreakComparesRawByteValues) {
  // 'a' (0x61) > 'B' (0x42); '1' (0x31) is lowest.
  EXPECT_EQ(Vocabulary::Adapt({{"B", "1", "a"}}, 10).tokens(),
            (Tokens{"", "[UNK]", "a", "B", "1"}));
}

TEST(VocabularyTest, TieBreakTreatsNonAsciiBytesAsUnsigned) {
  // "\xC3\xA9" (UTF-8 e-acute) starts with 0xC3, above every ASCII byte.
  EXPECT_EQ(Vocabulary::Adapt({{"z", "caf\xC3\xA9", "\xC3\xA9t\xC3\xA9"}}, 10)
                .tokens(),
            (Tokens{"", "[UNK]", "\xC3\xA9t\xC3\xA9", "z", "caf\xC3\xA9"}));
}

TEST(VocabularyTest, CountsEveryOccurrenceNotDocumentFrequency) {
  // x: 3 occurrences in one document; y: 2 occurrences in two documents.
  const Documents docs = {{"x", "x", "x"}, {"y"}, {"y"}};
  EXPECT_EQ(Vocabulary::Adapt(docs, 10).tokens(),
            (Tokens{"", "[UNK]", "x", "y"}));
}

TEST(VocabularyTest, HigherCountBeatsLargerBytes) {
  // "a" appears twice, "z" once: count wins over the byte tie-break.
  EXPECT_EQ(Vocabulary::Adapt({{"z", "a"}, {"a"}}, 10).tokens(),
            (Tokens{"", "[UNK]", "a", "z"}));
}

TEST(VocabularyTest, KeepsOnlyMaxTokensEntriesIncludingReserved) {
  // counts: a 3, b 2, c 2, d 1 -> order a, c, b, d.
  const Documents docs = {{"a", "b", "c", "d"}, {"a", "b", "c"}, {"a"}};
  const Vocabulary v4 = Vocabulary::Adapt(docs, 4);
  EXPECT_EQ(v4.tokens(), (Tokens{"", "[UNK]", "a", "c"}));
  EXPECT_EQ(v4.size(), 4);
  EXPECT_EQ(v4.Lookup("a"), 2);
  EXPECT_EQ(v4.Lookup("c"), 3);
  EXPECT_EQ(v4.Lookup("b"), 1);
  EXPECT_EQ(v4.Lookup("d"), 1);

  EXPECT_EQ(Vocabulary::Adapt(docs, 3).tokens(), (Tokens{"", "[UNK]", "a"}));
  EXPECT_EQ(Vocabulary::Adapt(docs, 5).tokens(),
            (Tokens{"", "[UNK]", "a", "c", "b"}));
  EXPECT_EQ(Vocabulary::Adapt(docs, 6).tokens(),
            (Tokens{"", "[UNK]", "a", "c", "b", "d"}));
}

TEST(VocabularyTest, IsSmallerThanMaxTokensWhenDataHasFewDistinctTokens) {
  const Vocabulary v = Vocabulary::Adapt({{"x", "y", "x"}}, 10000);
  EXPECT_EQ(v.size(), 4);
  EXPECT_EQ(v.tokens(), (Tokens{"", "[UNK]", "x", "y"}));
}

TEST(VocabularyTest, EmptyDocumentsGiveOnlyReservedTokens) {
  const Vocabulary v = Vocabulary::Adapt({{}, {}}, 10);
  EXPECT_EQ(v.tokens(), (Tokens{"", "[UNK]"}));
  EXPECT_EQ(v.size(), 2);
}

TEST(VocabularyTest, DoesNotCountReservedTokens) {
  const Documents docs = {{"[UNK]", "[UNK]", "[UNK]", "", "", "x"}};
  const Vocabulary v = Vocabulary::Adapt(docs, 3);
  EXPECT_EQ(v.tokens(), (Tokens{"", "[UNK]", "x"}));
  EXPECT_EQ(v.Lookup("x"), 2);
}

TEST(VocabularyTest, ReservedTokenLookalikesAreOrdinaryTokens) {
  // Only the exact bytes "[UNK]" are reserved.
  const Vocabulary v = Vocabulary::Adapt({{"[unk]", "unk"}}, 10);
  EXPECT_EQ(v.tokens(), (Tokens{"", "[UNK]", "unk", "[unk]"}));
}

TEST(VocabularyTest, AdaptRejectsMaxTokensBelowThree) {
  for (const int max_tokens : {2, 1, 0, -1}) {
    ExpectErrorKind([&] { Vocabulary::Adapt({{"a", "b"}}, max_tokens); },
                    ErrorKind::kInvalidInput,
                    "max_tokens=" + std::to_string(max_tokens));
  }
}

TEST(VocabularyTest, LookupReturnsIndexOrUnknown) {
  const Vocabulary v = Vocabulary::Adapt({{"good", "bad", "good"}}, 10);
  ASSERT_EQ(v.tokens(), (Tokens{"", "[UNK]", "good", "bad"}));
  EXPECT_EQ(v.Lookup("good"), 2);
  EXPECT_EQ(v.Lookup("bad"), 3);
  EXPECT_EQ(v.Lookup("ugly"), 1);
  EXPECT_EQ(v.Lookup("Good"), 1);
  EXPECT_EQ(v.Lookup("goo"), 1);
  EXPECT_EQ(v.Lookup("good "), 1);
  EXPECT_EQ(v.Lookup("[UNK]"), 1);
  EXPECT_EQ(v.Lookup(""), 0);
}

// Tokens that differ only where the slot's inline head and length can be
// fooled: a NUL byte against the head's zero fill, a shared eight-byte head
// with different tails, prefixes of one another.
TEST(VocabularyTest, LookupTellsApartTokensWithTheSameHead) {
  using namespace std::string_literals;
  const Tokens known = {"a"s, "a\0"s, "abcdefgh"s, "abcdefghi"s,
                        "abcdefghij"s, "abcdefghiX"s, "\0"s,
                        "exactly-eight-plus"s};
  Tokens tokens = {"", "[UNK]"};
  tokens.insert(tokens.end(), known.begin(), known.end());
  const Vocabulary vocabulary = Vocabulary::FromTokens(tokens);
  for (size_t i = 0; i < known.size(); ++i) {
    EXPECT_EQ(vocabulary.Lookup(known[i]), static_cast<int32_t>(i + 2)) << i;
  }
  for (const std::string& unknown :
       {"a\0\0"s, "abcdefg"s, "abcdefghY"s, "abcdefghijk"s, "b"s,
        "\0\0"s, "exactly-eight-plux"s}) {
    EXPECT_EQ(vocabulary.Lookup(unknown), Vocabulary::kOutOfVocabularyIndex)
        << unknown;
  }
}

// LookupPadded and TokenHashPadded, which read a whole word past a short
// token, agree with the plain forms whatever bytes follow the token.
TEST(VocabularyTest, PaddedLookupAndHashAgreeWithThePlainForms) {
  using namespace std::string_literals;
  Tokens tokens = {"", "[UNK]"};
  for (int length = 1; length <= 24; ++length) {
    tokens.push_back(std::string(length, 'q'));
    tokens.push_back(std::string(length - 1, 'q') + "\0"s);
  }
  const Vocabulary vocabulary = Vocabulary::FromTokens(tokens);
  Tokens queries = tokens;
  for (int length = 1; length <= 25; ++length) {
    queries.push_back(std::string(length, 'r'));
    queries.push_back(std::string(length, 'q') + "x");
  }
  for (const std::string& query : queries) {
    for (char filler : {'\0', 'q', '\xFF'}) {
      const std::string padded = query + std::string(8, filler);
      const std::string_view token(padded.data(), query.size());
      EXPECT_EQ(TokenHashPadded(token), TokenHash(token)) << query;
      EXPECT_EQ(vocabulary.LookupPadded(token, TokenHash(token)),
                vocabulary.Lookup(query))
          << query;
    }
  }
}

TEST(VocabularyTest, FromTokensKeepsGivenOrder) {
  const Vocabulary v = Vocabulary::FromTokens({"", "[UNK]", "a", "z", "m"});
  EXPECT_EQ(v.tokens(), (Tokens{"", "[UNK]", "a", "z", "m"}));
  EXPECT_EQ(v.size(), 5);
  EXPECT_EQ(v.Lookup("a"), 2);
  EXPECT_EQ(v.Lookup("z"), 3);
  EXPECT_EQ(v.Lookup("m"), 4);
  EXPECT_EQ(v.Lookup("b"), 1);
}

TEST(VocabularyTest, FromTokensAcceptsOnlyReservedTokens) {
  const Vocabulary v = Vocabulary::FromTokens({"", "[UNK]"});
  EXPECT_EQ(v.size(), 2);
  EXPECT_EQ(v.Lookup("anything"), 1);
}

TEST(VocabularyTest, FromTokensRoundTripsAnAdaptedVocabulary) {
  const Vocabulary adapted =
      Vocabulary::Adapt({{"b", "a", "c", "a"}, {"c", "\xC3\xA9"}}, 10);
  ASSERT_EQ(adapted.tokens(),
            (Tokens{"", "[UNK]", "c", "a", "\xC3\xA9", "b"}));
  const Vocabulary copy = Vocabulary::FromTokens(adapted.tokens());
  EXPECT_EQ(copy.tokens(), adapted.tokens());
  for (const std::string& t : adapted.tokens()) {
    EXPECT_EQ(copy.Lookup(t), adapted.Lookup(t)) << t;
  }
}

TEST(VocabularyTest, FromTokensRejectsInvalidTokenLists) {
  const std::vector<std::pair<const char*, Tokens>> bad = {
      {"empty list", {}},
      {"only padding", {""}},
      {"reserved tokens swapped", {"[UNK]", ""}},
      {"missing padding", {"[UNK]", "a"}},
      {"wrong oov spelling", {"", "[unk]", "a"}},
      {"ordinary token first", {"a", "[UNK]"}},
      {"duplicate token", {"", "[UNK]", "a", "b", "a"}},
      {"duplicate oov token", {"", "[UNK]", "[UNK]"}},
      {"duplicate padding token", {"", "[UNK]", ""}},
      {"empty token later", {"", "[UNK]", "a", ""}},
  };
  for (const auto& [name, tokens] : bad) {
    ExpectErrorKind([&] { Vocabulary::FromTokens(tokens); },
                    ErrorKind::kBadModelFile, name);
  }
}

}  // namespace
}  // namespace sentiment
