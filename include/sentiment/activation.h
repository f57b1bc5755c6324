// The output activation: a stage of the export pipeline, never part of the
// trained network, so raw logits stay available.
#ifndef SENTIMENT_ACTIVATION_H_
#define SENTIMENT_ACTIVATION_H_

#include <cmath>
#include <string_view>

namespace sentiment {

enum class Activation {
  kSigmoid,  // binary models: probability of the second class
};

// "sigmoid".
std::string_view ActivationName(Activation activation);

// Parses a name written by ActivationName. Throws Error(kBadModelFile).
Activation ParseActivation(std::string_view name);

// 1 / (1 + exp(-z)), computed without overflow for any finite z.
inline float Sigmoid(float z) {
  if (z >= 0) return 1.0f / (1.0f + std::exp(-z));
  const float e = std::exp(z);
  return e / (1.0f + e);
}

inline float Apply(Activation activation, float logit) {
  switch (activation) {
    case Activation::kSigmoid:
      return Sigmoid(logit);
  }
  return logit;
}

}  // namespace sentiment

#endif  // SENTIMENT_ACTIVATION_H_
