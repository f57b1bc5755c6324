#include "sentiment/adam.h"

#include <cassert>
#include <cmath>

#include "vector_clones.h"

namespace sentiment {

Adam::Adam(AdamOptions options, const std::vector<size_t>& variable_sizes)
    : options_(options) {
  for (size_t size : variable_sizes) {
    m_.emplace_back(size, 0.0f);
    v_.emplace_back(size, 0.0f);
  }
}

void Adam::BeginStep() {
  ++iterations_;
  const float t = static_cast<float>(iterations_);
  const float beta_1_power = std::pow(static_cast<float>(options_.beta_1), t);
  const float beta_2_power = std::pow(static_cast<float>(options_.beta_2), t);
  alpha_ = options_.learning_rate * std::sqrt(1.0f - beta_2_power) /
           (1.0f - beta_1_power);
}

// Built for AVX2 too where the CPU has it: the same IEEE operations, wider.
// (ISO C++ mode keeps -ffp-contract=off, so no FMA changes the bits.)
SENTIMENT_VECTOR_CLONES
void Adam::ApplyRange(size_t variable_index, size_t offset,
                      std::span<float> value, std::span<const float> gradient) {
  std::vector<float>& m = m_[variable_index];
  std::vector<float>& v = v_[variable_index];
  assert(gradient.size() == value.size() && offset + value.size() <= m.size());
  const float one_minus_beta_1 = static_cast<float>(1.0 - options_.beta_1);
  const float one_minus_beta_2 = static_cast<float>(1.0 - options_.beta_2);
  const float alpha = alpha_;
  const float epsilon = options_.epsilon;
  float* __restrict x = value.data();
  float* __restrict mp = m.data() + offset;
  float* __restrict vp = v.data() + offset;
  const float* __restrict g = gradient.data();
  const size_t n = value.size();
  for (size_t i = 0; i < n; ++i) {
    mp[i] += (g[i] - mp[i]) * one_minus_beta_1;
    vp[i] += (g[i] * g[i] - vp[i]) * one_minus_beta_2;
    x[i] -= (mp[i] * alpha) / (std::sqrt(vp[i]) + epsilon);
  }
}

}  // namespace sentiment
