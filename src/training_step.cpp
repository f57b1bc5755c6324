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

// Eight-lane vectors (GCC and Clang vector extensions): one AVX2 register
// where the CPU has it, two SSE2 registers on other x86-64, NEON on ARM,
// plain code elsewhere; the same bits on each.
using U32x8 = uint32_t __attribute__((vector_size(32)));
using I32x8 = int32_t __attribute__((vector_size(32)));

// Eight interleaved xoshiro128+ generators (Blackman & Vigna), one lane
// each. One call gives eight uniform 32-bit draws. Fully specified here, so
// the masks are the same on every platform.
class LaneRandom {
 public:
  // Lanes 0-3 are seeded first, then lanes 4-7, each lane's words in pairs
  // from one SplitMix64 output.
  explicit LaneRandom(uint64_t seed) {
    for (int half = 0; half < 2; ++half) {
      for (int lane = 4 * half; lane < 4 * half + 4; ++lane) {
        for (int word = 0; word < 4; word += 2) {
          const uint64_t bits = SplitMix64(seed);
          s_[word][lane] = static_cast<uint32_t>(bits);
          s_[word + 1][lane] = static_cast<uint32_t>(bits >> 32) | 1u;
        }
      }
    }
  }

  // Through a reference: returning a 32-byte vector from a function built
  // without AVX changes the calling convention (GCC warns).
  void Next(U32x8& draws) {
    draws = s_[0] + s_[3];
    const U32x8 t = s_[1] << 9;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = (s_[3] << 11) | (s_[3] >> 21);
  }

 private:
  U32x8 s_[4];
};

}  // namespace

DropoutSampler::DropoutSampler(float rate)
    : rate_(rate),
      keep_scale_(1.0f / (1.0f - rate)),
      threshold_(static_cast<uint32_t>(
          std::min(4294967295.0, std::ldexp(static_cast<double>(rate), 32)))) {}

SENTIMENT_VECTOR_CLONES
void DropoutSampler::Draw(uint64_t key, std::span<float> multipliers) const {
  if (rate_ == 0.0f) {
    std::fill(multipliers.begin(), multipliers.end(), 1.0f);
    return;
  }
  LaneRandom random(key);
  uint32_t scale_bits;
  std::memcpy(&scale_bits, &keep_scale_, sizeof scale_bits);
  // Unsigned a >= b as a signed compare after flipping the sign bits.
  const I32x8 flip = I32x8{} + INT32_MIN;
  const I32x8 limit = I32x8{} + static_cast<int32_t>(threshold_ ^ 0x80000000u);
  const U32x8 scale = U32x8{} + scale_bits;
  // In place, for the same reason as Next.
  const auto to_multipliers = [&](U32x8& draws) {
    const I32x8 keep = (reinterpret_cast<I32x8&>(draws) ^ flip) >= limit;
    draws = reinterpret_cast<const U32x8&>(keep) & scale;
  };
  float* out = multipliers.data();
  const size_t n = multipliers.size();
  size_t i = 0;
  U32x8 draws;
  for (; i + 8 <= n; i += 8) {
    random.Next(draws);
    to_multipliers(draws);
    std::memcpy(out + i, &draws, sizeof draws);
  }
  if (i < n) {
    random.Next(draws);
    to_multipliers(draws);
    std::memcpy(out + i, &draws, (n - i) * sizeof(float));
  }
}

Gradients::Gradients(const NetworkConfig& config)
    : embedding(EmbeddingMatrix::Zero(config.vocabulary_size,
                                      config.embedding_dim)),
      row_touched(config.vocabulary_size, 0),
      dense_kernel(EmbeddingMatrix::Zero(config.embedding_dim, config.outputs)),
      dense_bias(Eigen::VectorXf::Zero(config.outputs)) {}

ExampleBuffers::ExampleBuffers(const NetworkConfig& config)
    : masks(static_cast<size_t>(config.sequence_length + 1) *
            config.embedding_dim),
      pooled(config.embedding_dim),
      logits(config.outputs),
      logit_gradient(config.outputs) {}

SENTIMENT_VECTOR_CLONES
float ExampleStep(const Network& network, const int32_t* ids, int label,
                  float scale, ExampleBuffers& buffers, Gradients* gradients) {
  const NetworkConfig& config = network.config();
  const NetworkParameters& parameters = network.parameters();
  const int length = config.sequence_length;
  const int dim = config.embedding_dim;
  const int outputs = config.outputs;
  const bool masking = config.mask_padding;
  const float* embedding = parameters.embedding.data();
  const float* kernel = parameters.dense_kernel.data();
  const float* embedding_mask = buffers.masks.data();
  const float* pooled_mask = embedding_mask + static_cast<size_t>(length) * dim;
  float* pooled = buffers.pooled.data();
  float* logits = buffers.logits.data();

  // Forward: dropout on every embedded position, mean over the pooled
  // positions, dropout on the pooled vector, Dense.
  int count = length;
  if (masking) {
    count = 0;
    for (int t = 0; t < length; ++t) count += ids[t] != 0;
  }
  const float inverse_count = count > 0 ? 1.0f / static_cast<float>(count) : 0.0f;
  for (int d = 0; d < dim; ++d) pooled[d] = 0.0f;
  for (int t = 0; t < length; ++t) {
    if (masking && ids[t] == 0) continue;
    const float* row = embedding + static_cast<size_t>(ids[t]) * dim;
    const float* mask = embedding_mask + static_cast<size_t>(t) * dim;
    for (int d = 0; d < dim; ++d) pooled[d] += row[d] * mask[d];
  }
  for (int k = 0; k < outputs; ++k) logits[k] = 0.0f;
  for (int d = 0; d < dim; ++d) {
    pooled[d] *= inverse_count;
    const float dropped = pooled[d] * pooled_mask[d];
    for (int k = 0; k < outputs; ++k) logits[k] += dropped * kernel[d * outputs + k];
  }
  for (int k = 0; k < outputs; ++k) logits[k] += parameters.dense_bias[k];
  const std::span<const float> logit_span(logits, outputs);
  const float loss = LossFromLogits(logit_span, label);
  if (gradients == nullptr) return loss;

  // Backward. `pooled` is reused for the gradient reaching each position.
  float* logit_gradient = buffers.logit_gradient.data();
  LossGradient(logit_span, label, buffers.logit_gradient);
  for (int k = 0; k < outputs; ++k) logit_gradient[k] *= scale;
  float* kernel_gradient = gradients->dense_kernel.data();
  for (int d = 0; d < dim; ++d) {
    const float dropped = pooled[d] * pooled_mask[d];
    float back = 0.0f;
    for (int k = 0; k < outputs; ++k) {
      kernel_gradient[d * outputs + k] += logit_gradient[k] * dropped;
      back += logit_gradient[k] * kernel[d * outputs + k];
    }
    pooled[d] = back * inverse_count * pooled_mask[d];
  }
  for (int k = 0; k < outputs; ++k) gradients->dense_bias[k] += logit_gradient[k];
  float* embedding_gradient = gradients->embedding.data();
  uint8_t* touched = gradients->row_touched.data();
  for (int t = 0; t < length; ++t) {
    const int32_t id = ids[t];
    if (masking && id == 0) continue;
    touched[id] = 1;
    float* row = embedding_gradient + static_cast<size_t>(id) * dim;
    const float* mask = embedding_mask + static_cast<size_t>(t) * dim;
    for (int d = 0; d < dim; ++d) row[d] += pooled[d] * mask[d];
  }
  return loss;
}

}  // namespace sentiment
