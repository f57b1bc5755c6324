// A deterministic generator of synthetic movie reviews for benchmarks: an
// IMDB-like labelled corpus (about 230 words a document, a Zipf-distributed
// vocabulary of pseudo-words, class-dependent word preferences, punctuation,
// capitals, "<br /><br />" paragraph breaks and some non-ASCII UTF-8). Used
// by tools/make_corpus and the micro-benchmarks; not part of the library.
//
// Every draw comes from std::mt19937_64 through our own distributions (the
// std:: distributions are implementation-defined), so a seed gives the same
// bytes with any compiler and standard library (the only floating-point
// functions used, exp, log, cos and pow, come from libm: glibc's are
// correctly rounded in practice; another libm could in principle shift a
// rare draw).
#ifndef SENTIMENT_TOOLS_CORPUS_GENERATOR_H_
#define SENTIMENT_TOOLS_CORPUS_GENERATOR_H_

#include <cstdint>
#include <random>
#include <string>
#include <vector>

namespace corpus {

// Uniform draws from a 64-bit Mersenne Twister.
class Random {
 public:
  explicit Random(uint64_t seed) : engine_(seed) {}

  // A double in [0, 1) from the top 53 bits of one draw.
  double Uniform() {
    return static_cast<double>(engine_() >> 11) * 0x1.0p-53;
  }
  // An integer in [0, n), n > 0 (multiply-shift; bias below 2^-32 for the
  // small n used here).
  uint32_t Below(uint32_t n) {
    return static_cast<uint32_t>(((engine_() >> 32) * n) >> 32);
  }
  // True with probability p.
  bool Chance(double p) { return Uniform() < p; }
  // A standard normal draw (Box-Muller, one value per two uniforms).
  double Normal();

 private:
  std::mt19937_64 engine_;
};

// SplitMix64 finalizer: decorrelates seeds derived from (seed, split, index).
uint64_t Mix(uint64_t x);

struct GeneratorOptions {
  int vocabulary_size = 50000;  // distinct pseudo-words (non-ASCII ones included)
  double zipf_exponent = 1.0;   // p(rank r) ~ 1 / (r + zipf_offset)^exponent
  double zipf_offset = 2.7;     // Zipf-Mandelbrot shift; flattens the head
  int min_words = 50;           // document length bounds, in words
  int max_words = 600;
  double median_words = 205;    // log-normal length before truncation:
  double length_sigma = 0.62;   //   mean about 230 words after it
};

// One synthetic review.
struct Document {
  std::string text;  // raw UTF-8, no newline characters
  int label = 0;     // 0 neg, 1 pos
  int rating = 0;    // 1..4 for neg, 7..10 for pos (as IMDB file names)
  int words = 0;     // whitespace-separated words written
};

class CorpusGenerator {
 public:
  // Builds the vocabulary, its Zipf table and the class word preferences
  // from `seed`.
  explicit CorpusGenerator(uint64_t seed, GeneratorOptions options = {});

  // Document `index` of stream `split` (0 train, 1 test, any other value
  // for ad-hoc text) with the given label. Depends only on (seed, split,
  // index, label), so documents can be made in any order and in parallel.
  Document Make(int split, uint64_t index, int label) const;

  // Balanced labels for `count` documents of `split` (count / 2 neg, the
  // rest pos), in a seeded random order.
  std::vector<int> Labels(int split, uint64_t count) const;

  const std::vector<std::string>& words() const { return words_; }

 private:
  // Index of a word drawn from the cumulative table `cumulative`.
  static uint32_t Draw(const std::vector<double>& cumulative, Random& random);
  void AppendWord(uint32_t word, bool capitalize, std::string& out) const;

  uint64_t seed_;
  GeneratorOptions options_;
  std::vector<std::string> words_;     // by Zipf rank, most frequent first
  std::vector<double> cumulative_;     // Zipf over all words
  std::vector<uint32_t> polar_[2];     // words preferred by neg / pos reviews
  std::vector<double> polar_cumulative_[2];
};

}  // namespace corpus

#endif  // SENTIMENT_TOOLS_CORPUS_GENERATOR_H_
