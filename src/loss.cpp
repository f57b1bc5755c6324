#include "sentiment/loss.h"

#include <algorithm>
#include <cmath>

#include "sentiment/activation.h"

namespace sentiment {

float BinaryCrossEntropyFromLogit(float logit, float label) {
  return std::max(logit, 0.0f) - logit * label +
         std::log1p(std::exp(-std::abs(logit)));
}

float BinaryCrossEntropyGradient(float logit, float label) {
  return Sigmoid(logit) - label;
}

float SparseCategoricalCrossEntropyFromLogits(std::span<const float> logits,
                                              int label) {
  const float largest = *std::max_element(logits.begin(), logits.end());
  float sum = 0.0f;
  for (float z : logits) sum += std::exp(z - largest);
  return std::log(sum) + largest - logits[label];
}

float LossFromLogits(std::span<const float> logits, int label) {
  if (logits.size() == 1) {
    return BinaryCrossEntropyFromLogit(logits[0], static_cast<float>(label));
  }
  return SparseCategoricalCrossEntropyFromLogits(logits, label);
}

void LossGradient(std::span<const float> logits, int label,
                  std::span<float> gradient) {
  if (logits.size() == 1) {
    gradient[0] = BinaryCrossEntropyGradient(logits[0], static_cast<float>(label));
    return;
  }
  Softmax(logits, gradient);
  gradient[label] -= 1.0f;
}

}  // namespace sentiment
