#include "sentiment/training_step.h"

#include <cassert>
#include <climits>
#include <cmath>
#include <cstring>

#include "sentiment/loss.h"
#include "vector_clones.h"

namespace sentiment {
namespace {

uint64_t SplitMix64(uint64_t& state) {
  uint64_t z = (state += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

// Four-lane vectors (GCC and Clang vector extensions): SSE2 registers on
// x86-64, NEON on ARM, plain code elsewhere.
using U32x4 = uint32_t __attribute__((vector_size(16)));
using I32x4 = int32_t __attribute__((vector_size(16)));

// Eight interleaved xoshiro128+ generators (Blackman & Vigna), two 4-lane
// vectors of state each. One call gives eight uniform 32-bit draws. Fully
// specified here, so the masks are the same on every platform.
class LaneRandom {
 public:
  explicit LaneRandom(uint64_t seed) {
    for (int half = 0; half < 2; ++half) {
      for (int lane = 0; lane < 4; ++lane) {
        for (int word = 0; word < 4; word += 2) {
          const uint64_t bits = SplitMix64(seed);
          s_[half][word][lane] = static_cast<uint32_t>(bits);
          s_[half][word + 1][lane] = static_cast<uint32_t>(bits >> 32) | 1u;
        }
      }
    }
  }

  void Next(U32x4& first, U32x4& second) {
    first = Step(s_[0]);
    second = Step(s_[1]);
  }

 private:
  static U32x4 Step(U32x4 (&s)[4]) {
    const U32x4 result = s[0] + s[3];
    const U32x4 t = s[1] << 9;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = (s[3] << 11) | (s[3] >> 21);
    return result;
  }

  U32x4 s_[2][4];
};

}  // namespace

DropoutSampler::DropoutSampler(float rate)
    : rate_(rate),
      keep_scale_(1.0f / (1.0f - rate)),
      threshold_(static_cast<uint32_t>(
          std::min(4294967295.0, std::ldexp(static_cast<double>(rate), 32)))) {}

void DropoutSampler::Draw(uint64_t key, std::span<float> multipliers) const {
  if (rate_ == 0.0f) {
    std::fill(multipliers.begin(), multipliers.end(), 1.0f);
    return;
  }
  LaneRandom random(key);
  const uint32_t threshold = threshold_;
  uint32_t scale_bits;
  std::memcpy(&scale_bits, &keep_scale_, sizeof scale_bits);
  // Unsigned a >= b as a signed compare after flipping the sign bits.
  const I32x4 flip = {INT32_MIN, INT32_MIN, INT32_MIN, INT32_MIN};
  const I32x4 limit = I32x4{0, 0, 0, 0} + static_cast<int32_t>(threshold ^ 0x80000000u);
  const U32x4 scale = U32x4{0, 0, 0, 0} + scale_bits;
  const auto to_multipliers = [&](U32x4 draws) {
    const I32x4 keep = (reinterpret_cast<I32x4&>(draws) ^ flip) >= limit;
    return reinterpret_cast<const U32x4&>(keep) & scale;
  };
  float* out = multipliers.data();
  const size_t n = multipliers.size();
  size_t i = 0;
  U32x4 first, second;
  for (; i + 8 <= n; i += 8) {
    random.Next(first, second);
    const U32x4 a = to_multipliers(first), b = to_multipliers(second);
    std::memcpy(out + i, &a, sizeof a);
    std::memcpy(out + i + 4, &b, sizeof b);
  }
  if (i < n) {
    random.Next(first, second);
    uint32_t tail[8];
    const U32x4 a = to_multipliers(first), b = to_multipliers(second);
    std::memcpy(tail, &a, sizeof a);
    std::memcpy(tail + 4, &b, sizeof b);
    std::memcpy(out + i, tail, (n - i) * sizeof(float));
  }
}

DropoutMasks DropoutMasks::Draw(int batch, int sequence_length, int dim,
                                float rate, uint64_t key) {
  DropoutMasks masks = None(batch, sequence_length, dim);
  const DropoutSampler sampler(rate);
  const size_t per_position = static_cast<size_t>(sequence_length) * dim;
  std::vector<float> example(per_position + dim);
  for (int e = 0; e < batch; ++e) {
    sampler.Draw(key + e, example);
    std::copy(example.begin(), example.begin() + per_position,
              masks.embedding.data() + e * per_position);
    std::copy(example.begin() + per_position, example.end(),
              masks.pooled.data() + static_cast<size_t>(e) * dim);
  }
  return masks;
}

DropoutMasks DropoutMasks::None(int batch, int sequence_length, int dim) {
  DropoutMasks masks;
  masks.embedding = EmbeddingMatrix::Ones(
      static_cast<Eigen::Index>(batch) * sequence_length, dim);
  masks.pooled = EmbeddingMatrix::Ones(batch, dim);
  return masks;
}

Gradients::Gradients(const NetworkConfig& config)
    : embedding(EmbeddingMatrix::Zero(config.vocabulary_size,
                                      config.embedding_dim)),
      row_touched(config.vocabulary_size, 0),
      dense_kernel(Eigen::VectorXf::Zero(config.embedding_dim)) {}

void Gradients::Clear() {
  for (size_t row = 0; row < row_touched.size(); ++row) {
    if (row_touched[row]) {
      embedding.row(row).setZero();
      row_touched[row] = 0;
    }
  }
  dense_kernel.setZero();
  dense_bias = 0.0f;
}

SENTIMENT_VECTOR_CLONES
float ExampleStep(const Network& network, const int32_t* ids, float label,
                  const float* embedding_mask, const float* pooled_mask,
                  float scale, Gradients* gradients) {
  const NetworkConfig& config = network.config();
  const NetworkParameters& parameters = network.parameters();
  const int length = config.sequence_length;
  const int dim = config.embedding_dim;
  const float inverse_length = 1.0f / static_cast<float>(length);
  const float* embedding = parameters.embedding.data();
  const float* kernel = parameters.dense_kernel.data();

  // Forward: dropout on every embedded position, mean over positions,
  // dropout on the pooled vector, Dense(1). Small fixed-size buffers live
  // on the stack for the usual widths.
  constexpr int kStackDim = 64;
  float pooled_stack[kStackDim];
  std::vector<float> pooled_heap;
  float* pooled = pooled_stack;
  if (dim > kStackDim) {
    pooled_heap.resize(dim);
    pooled = pooled_heap.data();
  }
  for (int d = 0; d < dim; ++d) pooled[d] = 0.0f;
  for (int t = 0; t < length; ++t) {
    const float* row = embedding + static_cast<size_t>(ids[t]) * dim;
    const float* mask = embedding_mask + static_cast<size_t>(t) * dim;
    for (int d = 0; d < dim; ++d) pooled[d] += row[d] * mask[d];
  }
  float logit = 0.0f;
  for (int d = 0; d < dim; ++d) {
    pooled[d] *= inverse_length;
    logit += pooled[d] * pooled_mask[d] * kernel[d];
  }
  logit += parameters.dense_bias;
  if (gradients == nullptr) return logit;

  // Backward. `pooled` is reused for the gradient reaching each position.
  const float logit_gradient = BinaryCrossEntropyGradient(logit, label) * scale;
  float* kernel_gradient = gradients->dense_kernel.data();
  for (int d = 0; d < dim; ++d) {
    kernel_gradient[d] += logit_gradient * pooled[d] * pooled_mask[d];
    pooled[d] = logit_gradient * inverse_length * kernel[d] * pooled_mask[d];
  }
  gradients->dense_bias += logit_gradient;
  float* embedding_gradient = gradients->embedding.data();
  uint8_t* touched = gradients->row_touched.data();
  for (int t = 0; t < length; ++t) {
    const int32_t id = ids[t];
    touched[id] = 1;
    float* row = embedding_gradient + static_cast<size_t>(id) * dim;
    const float* mask = embedding_mask + static_cast<size_t>(t) * dim;
    for (int d = 0; d < dim; ++d) row[d] += pooled[d] * mask[d];
  }
  return logit;
}

BatchResult ForwardBackward(const Network& network,
                            std::span<const int32_t> ids,
                            std::span<const float> labels,
                            const DropoutMasks& masks, Gradients* gradients) {
  const int length = network.config().sequence_length;
  const size_t batch = labels.size();
  assert(ids.size() == batch * static_cast<size_t>(length));
  if (gradients != nullptr) gradients->Clear();
  const float scale = 1.0f / static_cast<float>(batch);
  BatchResult result;
  for (size_t e = 0; e < batch; ++e) {
    const float logit = ExampleStep(
        network, ids.data() + e * length, labels[e],
        masks.embedding.row(static_cast<Eigen::Index>(e * length)).data(),
        masks.pooled.row(static_cast<Eigen::Index>(e)).data(), scale, gradients);
    result.loss_sum += BinaryCrossEntropyFromLogit(logit, labels[e]);
    if ((logit > 0.0f) == (labels[e] > 0.5f)) ++result.correct;
  }
  return result;
}

}  // namespace sentiment
