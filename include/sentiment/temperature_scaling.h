// Temperature scaling: one number T > 0 fitted on labelled held-out data so
// that the activation of logits / T gives calibrated probabilities (Guo et
// al. 2017, "On Calibration of Modern Neural Networks", section 4.2). The
// logits, and so every class decision, stay as they are.
#ifndef SENTIMENT_TEMPERATURE_SCALING_H_
#define SENTIMENT_TEMPERATURE_SCALING_H_

#include <cstdint>
#include <span>

namespace sentiment {

// The mean log-loss (negative log-likelihood) of the labels under the
// activation of logits / `temperature`, in double: binary cross-entropy of
// sigmoid(z / T) for one logit per example, categorical cross-entropy of
// softmax(z / T) for `outputs` > 1. `logits` holds `outputs` values per
// example, `labels` one class index per example (0 or 1 when `outputs` is
// 1, else below `outputs`). NaN for no examples. At T = 1 this is the
// model's own loss (loss.h) computed in double.
double TemperatureLogLoss(std::span<const float> logits, int outputs,
                          std::span<const int32_t> labels, double temperature);

struct TemperatureFit {
  float temperature = 1.0f;  // T, the minimizer rounded to float
  double loss_before = 0.0;  // TemperatureLogLoss at T = 1
  double loss_after = 0.0;   // TemperatureLogLoss at `temperature`
  int iterations = 0;        // Newton or bisection steps taken
};

// The T > 0 that minimizes TemperatureLogLoss on the examples. The loss is
// convex in 1/T, so its derivative in 1/T is increasing: the fit brackets
// the root of that derivative (from 1/T = 0 upward by doubling) and then
// takes Newton steps in 1/T, falling back to bisection whenever a step
// leaves the bracket, until the bracket or the step is below 1e-12 of 1/T.
// The returned loss_after is never above loss_before (were rounding T to
// float to lose the gain, T is 1). Throws Error(kInvalidInput) when there
// are no examples, or when the loss has no minimum at a finite T > 0: it
// keeps falling as T grows (the logits rank the labels no better than
// chance, or are all equal) or as T shrinks towards 0 (the logits separate
// the classes perfectly).
TemperatureFit FitTemperature(std::span<const float> logits, int outputs,
                              std::span<const int32_t> labels);

}  // namespace sentiment

#endif  // SENTIMENT_TEMPERATURE_SCALING_H_
