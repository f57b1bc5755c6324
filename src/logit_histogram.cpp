#include "sentiment/logit_histogram.h"

#include <cassert>
#include <cmath>
#include <limits>

namespace sentiment {

float LogitMargin(std::span<const float> logits, int label) {
  assert(!logits.empty());
  if (logits.size() == 1) return logits[0];
  float other = -std::numeric_limits<float>::infinity();
  for (size_t k = 0; k < logits.size(); ++k) {
    if (static_cast<int>(k) != label && logits[k] > other) other = logits[k];
  }
  return logits[static_cast<size_t>(label)] - other;
}

int HistogramBins::Slot(double margin) const {
  if (margin <= low) return 0;
  if (!(margin <= high)) return bins + 1;  // above, or NaN
  // Closed on the right: a margin on an edge belongs to the bin below it.
  int b = static_cast<int>(std::ceil((margin - low) / width()));
  if (b < 1) b = 1;
  if (b > bins) b = bins;
  // Rounding of the division may shift an edge value by one bin.
  while (b > 1 && margin <= Edge(b - 1)) --b;
  while (b < bins && margin > Edge(b)) ++b;
  return b;
}

int64_t LogitHistogram::Total(int k) const {
  int64_t total = 0;
  for (int64_t count : counts[static_cast<size_t>(k)]) total += count;
  return total;
}

int64_t LogitHistogram::Correct(int k, int classes) const {
  const std::vector<int64_t>& row = counts[static_cast<size_t>(k)];
  // The slots above 0: 0 is an edge of the default bins; otherwise the bin
  // holding 0 is counted as below.
  const int zero = bins.Slot(0.0);
  int64_t above = 0;
  for (size_t s = static_cast<size_t>(zero) + 1; s < row.size(); ++s) {
    above += row[s];
  }
  if (classes == 2 && k == 0) return Total(k) - above;
  return above;
}

LogitHistogram LogitHistogram::Pooled() const {
  LogitHistogram pooled;
  if (empty()) return pooled;
  pooled.bins = bins;
  pooled.counts.assign(1, std::vector<int64_t>(counts.front().size(), 0));
  double sum = 0.0;
  int64_t total = 0;
  for (size_t k = 0; k < counts.size(); ++k) {
    for (size_t s = 0; s < counts[k].size(); ++s) pooled.counts[0][s] += counts[k][s];
    const int64_t n = Total(static_cast<int>(k));
    if (n == 0) continue;
    sum += means[k] * static_cast<double>(n);
    total += n;
  }
  pooled.means.assign(1, total > 0 ? sum / static_cast<double>(total)
                                   : std::numeric_limits<double>::quiet_NaN());
  return pooled;
}

LogitHistogram HistogramOfMargins(std::span<const float> margins,
                                  std::span<const int32_t> labels, int classes,
                                  const HistogramBins& bins) {
  assert(margins.size() == labels.size());
  LogitHistogram histogram;
  if (margins.empty()) return histogram;
  histogram.bins = bins;
  histogram.counts.assign(static_cast<size_t>(classes),
                          std::vector<int64_t>(static_cast<size_t>(bins.bins) + 2, 0));
  std::vector<double> sums(static_cast<size_t>(classes), 0.0);
  for (size_t i = 0; i < margins.size(); ++i) {
    const size_t k = static_cast<size_t>(labels[i]);
    ++histogram.counts[k][static_cast<size_t>(bins.Slot(margins[i]))];
    sums[k] += margins[i];
  }
  histogram.means.resize(static_cast<size_t>(classes));
  for (int k = 0; k < classes; ++k) {
    const int64_t n = histogram.Total(k);
    histogram.means[static_cast<size_t>(k)] =
        n > 0 ? sums[static_cast<size_t>(k)] / static_cast<double>(n)
              : std::numeric_limits<double>::quiet_NaN();
  }
  return histogram;
}

}  // namespace sentiment
