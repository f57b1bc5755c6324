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

}  // namespace sentiment

#endif  // SENTIMENT_NUMPY_RANDOM_H_
