// The distribution of the validation logits by true class, recorded by Fit
// for every epoch so `inspect` can show how the classes drift apart.
#ifndef SENTIMENT_LOGIT_HISTOGRAM_H_
#define SENTIMENT_LOGIT_HISTOGRAM_H_

#include <cstdint>
#include <span>
#include <vector>

namespace sentiment {

// The value histogrammed for one example, its margin: for one logit (two
// classes) the logit itself, whatever the label; for K > 2 logits the true
// class's logit minus the largest other logit, so above 0 means correctly
// classified (ties aside). `logits` holds 1 or K >= 3 values, `label` is the
// true class.
float LogitMargin(std::span<const float> logits, int label);

// Fixed bins, the same for every model and epoch so epochs (and models)
// compare directly: `bins` bins of equal width over [low, high], closed on
// the right, (low, low + w], (low + w, low + 2w], ..., plus an underflow
// count (margins <= low) and an overflow count (margins > high). Closed on
// the right so a bin holds only margins on one side of 0: for one logit the
// bins above 0 are the examples predicted as the second class (z > 0, as
// PredictedClass).
struct HistogramBins {
  double low = -10.0;   // left edge of the first bin
  double high = 10.0;   // right edge of the last bin
  int bins = 40;        // bins between them (width 0.5 by default)

  double width() const { return (high - low) / bins; }
  // Index into LogitHistogram::counts' rows: 0 underflow, 1..bins the bins,
  // bins + 1 overflow. NaN counts as overflow.
  int Slot(double margin) const;
  // Left edge of bin b (0 <= b <= bins; b = bins is `high`).
  double Edge(int b) const { return low + width() * b; }
  bool operator==(const HistogramBins&) const = default;
};

// One epoch's histogram: counts[k] are the validation examples of true
// class k, bins + 2 integers laid out as HistogramBins::Slot; means[k] is
// their mean margin (NaN when class k has no example). Empty without a
// validation set.
struct LogitHistogram {
  HistogramBins bins;
  std::vector<std::vector<int64_t>> counts;
  std::vector<double> means;

  bool empty() const { return counts.empty(); }
  // Examples of class k counted.
  int64_t Total(int k) const;
  // Examples of class k whose margin lies on the correct side of 0: for one
  // logit, class 0 below or at 0 and class 1 above; for K > 2, above 0.
  // `classes` is K (2 for one logit).
  int64_t Correct(int k, int classes) const;
  // All classes as one row: counts summed, the mean over every example
  // (classes without examples skipped). For models with too many classes
  // to show one by one.
  LogitHistogram Pooled() const;
  bool operator==(const LogitHistogram&) const = default;
};

// Models with more classes than this are shown pooled (inspect's summary,
// the plot's heat maps): one row for all classes instead of one per class.
inline constexpr int kMaxClassesShown = 8;

// Counts `margins` (one per example, LogitMargin of its logits) by their
// `labels` into `classes` rows of `bins`. The mean is summed in example
// order, so the result does not depend on how the margins were computed.
LogitHistogram HistogramOfMargins(std::span<const float> margins,
                                  std::span<const int32_t> labels, int classes,
                                  const HistogramBins& bins = {});

}  // namespace sentiment

#endif  // SENTIMENT_LOGIT_HISTOGRAM_H_
