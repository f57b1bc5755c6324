// The training history as a figure (`inspect MODEL --plot FILE`), drawn with
// PLplot's cairo devices: the tutorial's two figures, training and
// validation loss and accuracy by epoch, then per true class a heat map of
// the validation margins' histogram (logit_histogram.h), epoch by margin.
#ifndef SENTIMENT_HISTORY_PLOT_H_
#define SENTIMENT_HISTORY_PLOT_H_

#include <filesystem>
#include <string>
#include <vector>

#include "sentiment/logit_histogram.h"
#include "sentiment/model.h"

namespace sentiment {

// Exactly the numbers handed to PLplot, so tests can compare them with the
// history they came from.
struct HistoryPlotData {
  std::vector<double> epochs;  // 1, 2, ..., n: the x values of every panel
  std::vector<double> loss, val_loss;          // loss panel (val NaN: none)
  std::vector<double> accuracy, val_accuracy;  // accuracy panel
  // One heat map per class; a single "all classes" when the model has more
  // than kMaxClassesShown, its histograms pooled (LogitHistogram::Pooled).
  std::vector<std::string> class_names;
  bool binary = false;                         // one logit: the margin is it
  HistogramBins bins;                          // the heat maps' y axis
  // shares[k][e][b]: the share of class k's validation examples in bin b
  // (0 .. bins - 1, under- and overflow not drawn) in epoch e; empty when
  // the history has no histograms.
  std::vector<std::vector<std::vector<double>>> shares;
  // means[k][e]: class k's mean margin in epoch e, drawn over its heat map.
  std::vector<std::vector<double>> means;
};

// The figure's data for `model`'s history. Throws Error(kInvalidInput) when
// the history is empty.
HistoryPlotData PlotDataOf(const TrainedModel& model);

// The figure formats by extension: ".png" (PLplot's pngcairo device) and
// ".svg" (svgcairo), case-insensitive.
enum class PlotFormat { kPng, kSvg };
// Throws Error(kInvalidInput) naming the path and the extensions accepted.
PlotFormat PlotFormatOf(const std::filesystem::path& path);

// Draws `data` as PLplot renders it in `format` and returns the file's
// bytes. Throws Error(kIo) when PLplot lacks the cairo driver.
std::vector<uint8_t> RenderHistoryPlot(const HistoryPlotData& data,
                                       PlotFormat format);

// Renders to `path` (its format by extension) and writes it as train
// writes models: atomically, through a temporary file in the same folder
// (atomic_file.h). Throws Error(kInvalidInput) for another extension and
// Error(kIo) when the file cannot be written.
void WriteHistoryPlot(const TrainedModel& model,
                      const std::filesystem::path& path);

}  // namespace sentiment

#endif  // SENTIMENT_HISTORY_PLOT_H_
