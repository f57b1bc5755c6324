#include "sentiment/temperature_scaling.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <cstddef>
#include <limits>

#include "sentiment/error.h"

namespace sentiment {
namespace {

// The mean loss and its first two derivatives in b = 1 / T.
struct LossAndSlopes {
  double loss = 0.0;
  double slope = 0.0;      // d loss / d b
  double curvature = 0.0;  // d^2 loss / d b^2, never negative
};

// log(1 + exp(x)) without overflow.
double Softplus(double x) {
  return std::max(x, 0.0) + std::log1p(std::exp(-std::abs(x)));
}

double SigmoidOf(double x) {
  if (x >= 0) return 1.0 / (1.0 + std::exp(-x));
  const double e = std::exp(x);
  return e / (1.0 + e);
}

// With s = b z: binary, loss = softplus(s) - y s, slope = (sigmoid(s) - y) z,
// curvature = sigmoid(s) (1 - sigmoid(s)) z^2; K classes, loss =
// logsumexp(s) - s_y, slope = E_p[z] - z_y, curvature = Var_p[z] with p =
// softmax(s).
LossAndSlopes Measure(std::span<const float> logits, int outputs,
                      std::span<const int32_t> labels, double b) {
  LossAndSlopes sums;
  const size_t n = labels.size();
  const size_t k_count = static_cast<size_t>(outputs);
  for (size_t i = 0; i < n; ++i) {
    const float* z = logits.data() + i * k_count;
    const int y = labels[i];
    if (outputs == 1) {
      const double zi = z[0];
      const double s = b * zi;
      const double p = SigmoidOf(s);
      sums.loss += Softplus(s) - (y == 1 ? s : 0.0);
      // p - y, without cancelling to 0 while p is merely close to 1.
      sums.slope += (y == 1 ? -SigmoidOf(-s) : p) * zi;
      sums.curvature += p * (1.0 - p) * zi * zi;
      continue;
    }
    double largest = -std::numeric_limits<double>::infinity();
    for (size_t k = 0; k < k_count; ++k) largest = std::max(largest, b * z[k]);
    // Moments of z - z_y rather than z: the same slope and variance,
    // without cancelling to 0 while p is merely close to one-hot on y.
    double total = 0.0, mean = 0.0, square = 0.0;
    for (size_t k = 0; k < k_count; ++k) {
      const double e = std::exp(b * z[k] - largest);
      const double d = double{z[k]} - z[y];
      total += e;
      mean += e * d;
      square += e * d * d;
    }
    mean /= total;
    square /= total;
    sums.loss += std::log(total) + largest - b * z[y];
    sums.slope += mean;
    sums.curvature += std::max(0.0, square - mean * mean);
  }
  const double count = static_cast<double>(n);
  return {sums.loss / count, sums.slope / count, sums.curvature / count};
}

}  // namespace

double TemperatureLogLoss(std::span<const float> logits, int outputs,
                          std::span<const int32_t> labels, double temperature) {
  assert(outputs >= 1 && logits.size() == labels.size() * outputs);
  if (labels.empty()) return std::numeric_limits<double>::quiet_NaN();
  return Measure(logits, outputs, labels, 1.0 / temperature).loss;
}

TemperatureFit FitTemperature(std::span<const float> logits, int outputs,
                              std::span<const int32_t> labels) {
  assert(outputs >= 1 && logits.size() == labels.size() * outputs);
  if (labels.empty()) {
    throw InvalidInput("no labelled examples to fit the temperature on");
  }
  // Past this many units of scaled logit a probability is within e^-700 of
  // 0 or 1, near the end of double's range: a minimum further out is none.
  constexpr double kLargestScaledLogit = 700;
  constexpr double kTolerance = 1e-12;
  constexpr int kMaxIterations = 200;
  double largest_logit = 0.0;
  for (float z : logits) largest_logit = std::max(largest_logit, std::abs(double{z}));

  // The slope at b = 0 is the loss's trend as T grows without bound.
  if (!(Measure(logits, outputs, labels, 0.0).slope < 0.0)) {
    throw InvalidInput(
        "the temperature fit does not converge: the log-loss keeps falling "
        "as T grows without bound (the logits rank the labels no better than "
        "chance on this data)");
  }
  TemperatureFit fit;
  double low = 0.0, high = 1.0;
  LossAndSlopes at_high = Measure(logits, outputs, labels, high);
  // A slope of exactly 0 with no curvature is every probability saturated
  // on the right class, not a minimum.
  while (at_high.slope < 0.0 ||
         (at_high.slope == 0.0 && at_high.curvature == 0.0)) {
    low = high;
    high *= 2.0;
    if (high * largest_logit > kLargestScaledLogit) {
      throw InvalidInput(
          "the temperature fit does not converge: the log-loss keeps falling "
          "as T shrinks towards 0 (the logits separate the classes of this "
          "data perfectly)");
    }
    at_high = Measure(logits, outputs, labels, high);
    ++fit.iterations;
  }
  // Safeguarded Newton on the slope, which is increasing in b.
  double b = std::min(1.0, 0.5 * (low + high));
  if (!(b > low && b < high)) b = 0.5 * (low + high);
  bool converged = false;
  for (int step = 0; step < kMaxIterations && !converged; ++step) {
    ++fit.iterations;
    const LossAndSlopes at = Measure(logits, outputs, labels, b);
    if (at.slope == 0.0) {
      converged = true;
      break;
    }
    if (at.slope < 0.0) {
      low = b;
    } else {
      high = b;
    }
    double next = at.curvature > 0.0 ? b - at.slope / at.curvature : high;
    if (!(next > low && next < high)) next = 0.5 * (low + high);
    converged = std::abs(next - b) <= kTolerance * b ||
                high - low <= kTolerance * high;
    b = next;
  }
  if (!converged || !(b > 0.0) || !std::isfinite(1.0 / b)) {
    throw InvalidInput("the temperature fit did not converge in " +
                       std::to_string(kMaxIterations) + " steps");
  }
  fit.temperature = static_cast<float>(1.0 / b);
  fit.loss_before = Measure(logits, outputs, labels, 1.0).loss;
  fit.loss_after = TemperatureLogLoss(logits, outputs, labels, fit.temperature);
  if (fit.loss_after > fit.loss_before) {
    fit.temperature = 1.0f;
    fit.loss_after = fit.loss_before;
  }
  return fit;
}

}  // namespace sentiment
