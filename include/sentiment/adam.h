// Adam (Kingma & Ba 2014) exactly as Keras 3 implements it: epsilon is added
// to the uncorrected sqrt(v), and the bias correction is folded into the
// step size.
#ifndef SENTIMENT_ADAM_H_
#define SENTIMENT_ADAM_H_

#include <cstdint>
#include <span>
#include <vector>

namespace sentiment {

// The betas are doubles because Keras keeps them as Python floats: it
// multiplies by (1 - beta) computed in double, then cast to float32 (0.001f
// exactly for 0.999), and raises float32(beta) to the step's power.
struct AdamOptions {
  float learning_rate = 1e-3f;
  double beta_1 = 0.9;
  double beta_2 = 0.999;
  float epsilon = 1e-7f;
};

class Adam {
 public:
  // One moment pair per variable, sized by `variable_sizes`.
  Adam(AdamOptions options, const std::vector<size_t>& variable_sizes);

  // Starts step t = iterations + 1 and computes its step size
  // alpha = lr * sqrt(1 - beta_2^t) / (1 - beta_1^t).
  void BeginStep();

  // Applies the step to one variable, every element (a zero gradient still
  // decays the moments and moves the variable, as dense Keras Adam does):
  //   m += (g - m) * (1 - beta_1);  v += (g^2 - v) * (1 - beta_2);
  //   x -= alpha * m / (sqrt(v) + epsilon).
  // Precondition: sizes match the variable registered as `variable_index`.
  void Apply(size_t variable_index, std::span<float> value,
             std::span<const float> gradient) {
    ApplyRange(variable_index, 0, value, gradient);
  }

  // Apply for the elements [offset, offset + value.size()) of a variable,
  // so several threads can update disjoint parts of one variable.
  void ApplyRange(size_t variable_index, size_t offset, std::span<float> value,
                  std::span<const float> gradient);

  int64_t iterations() const { return iterations_; }

 private:
  AdamOptions options_;
  std::vector<std::vector<float>> m_;
  std::vector<std::vector<float>> v_;
  int64_t iterations_ = 0;
  float alpha_ = 0.0f;
};

}  // namespace sentiment

#endif  // SENTIMENT_ADAM_H_
