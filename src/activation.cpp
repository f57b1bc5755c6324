#include "sentiment/activation.h"

#include <algorithm>
#include <cassert>
#include <string>

#include "sentiment/error.h"

namespace sentiment {

std::string_view ActivationName(Activation activation) {
  switch (activation) {
    case Activation::kSigmoid:
      return "sigmoid";
    case Activation::kSoftmax:
      return "softmax";
  }
  return "unknown";
}

Activation ParseActivation(std::string_view name) {
  if (name == "sigmoid") return Activation::kSigmoid;
  if (name == "softmax") return Activation::kSoftmax;
  throw BadModelFile("unknown activation '" + std::string(name) + "'");
}

void Softmax(std::span<const float> logits, std::span<float> probabilities,
             float temperature) {
  assert(probabilities.size() == logits.size() && !logits.empty());
  assert(temperature > 0.0f);
  const float largest = *std::max_element(logits.begin(), logits.end());
  float sum = 0.0f;
  for (size_t k = 0; k < logits.size(); ++k) {
    probabilities[k] = std::exp((logits[k] - largest) / temperature);
    sum += probabilities[k];
  }
  for (float& p : probabilities) p /= sum;
}

void ClassProbabilities(std::span<const float> logits,
                        std::span<float> probabilities, float temperature) {
  if (logits.size() == 1) {
    const float p = Sigmoid(logits[0] / temperature);
    probabilities[0] = 1.0f - p;
    probabilities[1] = p;
    return;
  }
  Softmax(logits, probabilities, temperature);
}

}  // namespace sentiment
