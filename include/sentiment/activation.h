// The output activation: a stage of the export pipeline, never part of the
// trained network, so raw logits stay available. Also the class decision,
// which reads the logits directly and so never depends on the activation.
#ifndef SENTIMENT_ACTIVATION_H_
#define SENTIMENT_ACTIVATION_H_

#include <cmath>
#include <span>
#include <string_view>

namespace sentiment {

enum class Activation {
  kSigmoid,  // two classes, one logit: the probability of the second class
  kSoftmax,  // K > 2 classes, K logits: one probability per class
};

// "sigmoid" or "softmax".
std::string_view ActivationName(Activation activation);

// Parses a name written by ActivationName. Throws Error(kBadModelFile).
Activation ParseActivation(std::string_view name);

// The activation for a network with `outputs` logits: sigmoid for one
// (binary), softmax for more.
inline Activation ActivationForOutputs(int outputs) {
  return outputs == 1 ? Activation::kSigmoid : Activation::kSoftmax;
}

// 1 / (1 + exp(-z)), computed without overflow for any finite z.
inline float Sigmoid(float z) {
  if (z >= 0) return 1.0f / (1.0f + std::exp(-z));
  const float e = std::exp(z);
  return e / (1.0f + e);
}

// exp((z_k - max z) / T) / sum_j exp((z_j - max z) / T), softmax(z / T):
// no overflow for finite logits. `probabilities` has the size of `logits`.
// The temperature T > 0 is 1 unless calibrated; at T = 1 the division is
// exact, so the result is bit for bit the plain softmax.
void Softmax(std::span<const float> logits, std::span<float> probabilities,
             float temperature = 1.0f);

// The class probabilities for a network's logits, one per class in class
// order: [1 - sigmoid(z / T), sigmoid(z / T)] for one logit, softmax(z / T)
// for several. T is the temperature of temperature scaling (Guo et al. 2017,
// "On Calibration of Modern Neural Networks"; see temperature_scaling.h):
// T > 0 keeps the order of the logits, so PredictedClass does not depend on
// it, and T = 1 (the default, an uncalibrated bundle) gives the same bits as
// no temperature at all. `probabilities` holds max(2, logits.size()) values.
void ClassProbabilities(std::span<const float> logits,
                        std::span<float> probabilities,
                        float temperature = 1.0f);

// The predicted class: for one logit the second class (1) when z > 0, as
// Keras's binary accuracy at threshold 0 on logits; for several, the index
// of the largest logit, the lowest index on a tie (as argmax).
inline int PredictedClass(std::span<const float> logits) {
  if (logits.size() == 1) return logits[0] > 0.0f ? 1 : 0;
  int best = 0;
  for (size_t k = 1; k < logits.size(); ++k) {
    if (logits[k] > logits[best]) best = static_cast<int>(k);
  }
  return best;
}

}  // namespace sentiment

#endif  // SENTIMENT_ACTIVATION_H_
