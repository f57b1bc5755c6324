#include "sentiment/loss.h"

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

}  // namespace sentiment
