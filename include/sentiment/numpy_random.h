// A bit-exact port of numpy's legacy RandomState for the two things Keras
// uses it for: seeding (MT19937 init_genrand) and shuffling. Reproducing it
// gives the same validation split as `text_dataset_from_directory`.
#ifndef SENTIMENT_NUMPY_RANDOM_H_
#define SENTIMENT_NUMPY_RANDOM_H_

#include <cstdint>
#include <random>
#include <utility>
#include <vector>

namespace sentiment {

// numpy.random.RandomState(seed) restricted to the draws we need. Also the
// project's only source of randomness, so a seed fixes every result.
class RandomState {
 public:
  // Matches numpy's legacy seeding with a 32-bit integer (init_genrand).
  explicit RandomState(uint32_t seed) : engine_(seed) {}

  // A uniform integer in [0, max], as numpy's legacy random_interval: 32-bit
  // draws masked to the smallest all-ones mask >= max, rejecting values > max.
  uint32_t Interval(uint32_t max);

  // A uniform float in [0, 1) from the top 24 bits of one 32-bit draw.
  float UniformFloat() {
    return static_cast<float>(engine_() >> 8) * (1.0f / 16777216.0f);
  }

  // Shuffles in place exactly as numpy's RandomState.shuffle on a 1-D array:
  // Fisher-Yates from the last index down to 1.
  template <typename T>
  void Shuffle(std::vector<T>& items) {
    for (size_t i = items.size(); i-- > 1;) {
      const uint32_t j = Interval(static_cast<uint32_t>(i));
      std::swap(items[i], items[j]);
    }
  }

 private:
  std::mt19937 engine_;
};

// The streams derived from the one --seed. The validation split uses the seed
// itself, as Keras does; every other use draws from its own stream so that no
// two uses see the same numbers.
enum class SeedStream : uint32_t {
  kInitialWeights = 1,
  kEpochShuffles = 2,
  kAutotune = 3,  // the order autotune tries settings in (autotune.h)
};

// The seed of `stream`: SplitMix64's finalizer (Steele et al. 2014) over
// (stream << 32 | seed), high 32 bits. Written out so that an independent
// implementation (tests/training_oracle.py) reproduces it.
constexpr uint32_t DeriveSeed(uint32_t seed, SeedStream stream) {
  uint64_t z = (static_cast<uint64_t>(stream) << 32) | seed;
  z += 0x9E3779B97F4A7C15ull;
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  z ^= z >> 31;
  return static_cast<uint32_t>(z >> 32);
}

}  // namespace sentiment

#endif  // SENTIMENT_NUMPY_RANDOM_H_
