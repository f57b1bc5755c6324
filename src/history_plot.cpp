#include "sentiment/history_plot.h"

#include <plplot.h>
#include <stdio.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>

#include "output_path.h"
#include "sentiment/data_file.h"
#include "sentiment/error.h"

namespace sentiment {
namespace {

// cmap0 entries set for the figure.
constexpr PLINT kBackground = 0;
constexpr PLINT kInk = 1;         // axes, labels, text
constexpr PLINT kTraining = 2;    // blue, as the tutorial's
constexpr PLINT kValidation = 3;  // orange
constexpr PLINT kZero = 4;        // grey: margin 0 on the heat maps
// Figure size in pixels (PNG); SVG gets the same in points.
constexpr PLINT kPanelWidth = 640;
constexpr PLINT kPanelHeight = 420;
// The training values' marker, a bullet (the tutorial's "bo").
constexpr const char* kDot = "\u2022";

// A class name as PLplot text: escaped for messages (no control bytes, no
// invalid UTF-8) and with PLplot's escape character '#' doubled.
std::string PlotText(std::string_view name) {
  std::string text;
  for (char c : EscapeForMessage(name)) {
    text += c;
    if (c == '#') text += '#';
  }
  return text;
}

// [min, max] over the finite values of `series`, widened by 5% (or by 0.5
// when flat); [0, 1] when none is finite.
std::pair<double, double> Range(const std::vector<const std::vector<double>*>& series) {
  double low = std::numeric_limits<double>::infinity();
  double high = -low;
  for (const std::vector<double>* values : series) {
    for (double v : *values) {
      if (!std::isfinite(v)) continue;
      low = std::min(low, v);
      high = std::max(high, v);
    }
  }
  if (!(low <= high)) return {0.0, 1.0};
  const double pad = high > low ? 0.05 * (high - low) : 0.5;
  return {low - pad, high + pad};
}

bool AnyFinite(const std::vector<double>& values) {
  return std::any_of(values.begin(), values.end(),
                     [](double v) { return std::isfinite(v); });
}

// Sets up a panel over epochs 0.5 .. n + 0.5 and `y` with axes and labels.
void Panel(size_t epochs, std::pair<double, double> y, const char* y_label,
           const std::string& title) {
  const double n = static_cast<double>(epochs);
  plcol0(kInk);
  plenv(0.5, n + 0.5, y.first, y.second, 0, -2);
  plbox("bcnst", std::max(1.0, std::ceil(n / 10.0)), 0, "bcnstv", 0.0, 0);
  pllab("Epochs", y_label, title.c_str());
}

// The tutorial's figure: training values as dots, validation as a line.
void SeriesPanel(const HistoryPlotData& data, const std::vector<double>& training,
                 const std::vector<double>& validation, const char* what,
                 const std::string& title, PLINT legend_position) {
  const PLINT n = static_cast<PLINT>(data.epochs.size());
  Panel(data.epochs.size(), Range({&training, &validation}), what, title);
  plcol0(kTraining);
  plstring(n, data.epochs.data(), training.data(), kDot);
  const bool has_validation = AnyFinite(validation);
  if (has_validation) {
    plcol0(kValidation);
    plwidth(2.0);
    plline(n, data.epochs.data(), validation.data());
    plwidth(1.0);
  }
  const PLINT entries = has_validation ? 2 : 1;
  PLINT options[2] = {PL_LEGEND_SYMBOL, PL_LEGEND_LINE};
  const char* texts[2] = {"Training", "Validation"};
  PLINT text_colors[2] = {kInk, kInk};
  PLINT line_colors[2] = {kTraining, kValidation};
  PLINT line_styles[2] = {1, 1};
  PLFLT line_widths[2] = {1.0, 2.0};
  PLINT symbol_colors[2] = {kTraining, kValidation};
  PLFLT symbol_scales[2] = {1.0, 1.0};
  PLINT symbol_numbers[2] = {1, 1};
  const char* symbols[2] = {kDot, ""};
  PLFLT width = 0, height = 0;
  pllegend(&width, &height, PL_LEGEND_BACKGROUND | PL_LEGEND_BOUNDING_BOX,
           legend_position | PL_POSITION_RIGHT | PL_POSITION_INSIDE, 0.02, 0.02,
           0.08, kBackground, kInk, 1, 0, 0, entries, options, 1.0, 0.8, 2.0,
           1.0, text_colors, texts, nullptr, nullptr, nullptr, nullptr,
           line_colors, line_styles, line_widths, symbol_colors, symbol_scales,
           symbol_numbers, symbols);
}

// Class k's histograms as a heat map: x the epoch, y the margin, colour the
// share of the class's examples; its mean margin as a line, 0 in grey.
void HistogramPanel(const HistoryPlotData& data, size_t k, double top_share) {
  const size_t epochs = data.epochs.size();
  const double n = static_cast<double>(epochs);
  const bool binary = data.binary;
  Panel(epochs, {data.bins.low, data.bins.high},
        binary ? "Logit" : "Margin (own logit - largest other)",
        "Validation " + std::string(binary ? "logits" : "margins") +
            (data.class_names.size() == 1
                 ? std::string(", all classes")
                 : ", true class " + PlotText(data.class_names[k])));
  std::vector<const PLFLT*> columns;
  for (const std::vector<double>& epoch : data.shares[k]) {
    columns.push_back(epoch.data());
  }
  plimage(columns.data(), static_cast<PLINT>(epochs), data.bins.bins, 0.5,
          n + 0.5, data.bins.low, data.bins.high, 0.0, top_share, 0.5, n + 0.5,
          data.bins.low, data.bins.high);
  plcol0(kZero);
  pljoin(0.5, 0.0, n + 0.5, 0.0);
  plcol0(kValidation);
  plwidth(2.0);
  plline(static_cast<PLINT>(epochs), data.epochs.data(), data.means[k].data());
  plwidth(1.0);
  plcol0(kInk);
  plbox("bc", 0, 0, "bc", 0, 0);
  plmtex("t", -1.5, 0.98, 1.0, "colour: share of the class; line: mean");
}

void CheckDriver(const char* device) {
  std::vector<const char*> menus(128), names(128);
  const char** menu_pointer = menus.data();
  const char** name_pointer = names.data();
  int count = static_cast<int>(names.size());
  plgDevs(&menu_pointer, &name_pointer, &count);
  for (int i = 0; i < count; ++i) {
    if (std::strcmp(names[static_cast<size_t>(i)], device) == 0) return;
  }
  throw IoError(std::string("PLplot has no '") + device +
                "' device: install its cairo driver (Debian: "
                "plplot-driver-cairo)");
}

// A FILE* whose bytes go to a vector, for plsfile.
struct Sink {
  std::vector<uint8_t> bytes;
  bool closed = false;
};

ssize_t SinkWrite(void* cookie, const char* buffer, size_t size) {
  auto* sink = static_cast<Sink*>(cookie);
  sink->bytes.insert(sink->bytes.end(), buffer, buffer + size);
  return static_cast<ssize_t>(size);
}

int SinkClose(void* cookie) {
  static_cast<Sink*>(cookie)->closed = true;
  return 0;
}

}  // namespace

HistoryPlotData PlotDataOf(const TrainedModel& model) {
  if (model.history.empty()) {
    throw InvalidInput("the model has no training history to plot");
  }
  HistoryPlotData data;
  data.class_names = model.class_names;
  data.binary = model.network.config().outputs == 1;
  for (size_t e = 0; e < model.history.size(); ++e) {
    const EpochMetrics& epoch = model.history[e];
    data.epochs.push_back(static_cast<double>(e + 1));
    data.loss.push_back(epoch.loss);
    data.val_loss.push_back(epoch.val_loss);
    data.accuracy.push_back(epoch.accuracy);
    data.val_accuracy.push_back(epoch.val_accuracy);
  }
  if (model.history.front().val_logits.empty()) return data;
  data.bins = model.history.front().val_logits.bins;
  const bool pooled =
      model.class_names.size() > static_cast<size_t>(kMaxClassesShown);
  if (pooled) data.class_names = {"all classes"};
  const size_t classes = data.class_names.size();
  data.shares.assign(classes, {});
  data.means.assign(classes, {});
  for (size_t k = 0; k < classes; ++k) {
    for (const EpochMetrics& epoch : model.history) {
      const LogitHistogram histogram =
          pooled ? epoch.val_logits.Pooled() : epoch.val_logits;
      const std::vector<int64_t>& row = histogram.counts[k];
      const int64_t total = histogram.Total(static_cast<int>(k));
      std::vector<double> shares(static_cast<size_t>(data.bins.bins), 0.0);
      for (size_t b = 0; b < shares.size(); ++b) {
        if (total > 0) {
          shares[b] = static_cast<double>(row[b + 1]) / static_cast<double>(total);
        }
      }
      data.shares[k].push_back(std::move(shares));
      data.means[k].push_back(histogram.means[k]);
    }
  }
  return data;
}

PlotFormat PlotFormatOf(const std::filesystem::path& path) {
  std::string extension = path.extension().string();
  std::transform(extension.begin(), extension.end(), extension.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (extension == ".png") return PlotFormat::kPng;
  if (extension == ".svg") return PlotFormat::kSvg;
  throw InvalidInput("--plot " + EscapeForMessage(path.string()) +
                     ": unknown figure format '" + EscapeForMessage(extension) +
                     "' (use a .png or .svg file name)");
}

std::vector<uint8_t> RenderHistoryPlot(const HistoryPlotData& data,
                                       PlotFormat format) {
  const char* device = format == PlotFormat::kPng ? "pngcairo" : "svgcairo";
  CheckDriver(device);
  const bool histograms = !data.shares.empty();
  const PLINT rows =
      1 + (histograms ? static_cast<PLINT>((data.shares.size() + 1) / 2) : 0);

  Sink sink;
  FILE* file = fopencookie(&sink, "wb",
                           cookie_io_functions_t{nullptr, SinkWrite, nullptr, SinkClose});
  if (file == nullptr) throw IoError("cannot open a memory stream for the figure");
  plsdev(device);
  plsfile(file);
  plspage(0.0, 0.0, 2 * kPanelWidth, rows * kPanelHeight, 0, 0);
  plscolbg(255, 255, 255);
  plscol0(kInk, 0, 0, 0);
  plscol0(kTraining, 31, 119, 180);
  plscol0(kValidation, 255, 127, 14);
  plscol0(kZero, 150, 150, 150);
  plssub(2, rows);
  plinit();
  plfontld(1);
  // cmap1 for the heat maps: white (no example) to dark blue, steep at
  // first so that bins holding a few percent still show beside an early
  // epoch's single full bin.
  const PLFLT positions[5] = {0.0, 0.02, 0.1, 0.3, 1.0};
  const PLFLT red[5] = {1.0, 0.78, 0.42, 0.13, 0.03};
  const PLFLT green[5] = {1.0, 0.86, 0.68, 0.44, 0.19};
  const PLFLT blue[5] = {1.0, 0.94, 0.84, 0.71, 0.42};
  plscmap1n(256);
  plscmap1l(1, 5, positions, red, green, blue, nullptr);

  // The legends where the tutorial's are: upper right, lower right.
  SeriesPanel(data, data.loss, data.val_loss, "Loss",
              "Training and validation loss", PL_POSITION_TOP);
  SeriesPanel(data, data.accuracy, data.val_accuracy, "Accuracy",
              "Training and validation accuracy", PL_POSITION_BOTTOM);
  if (histograms) {
    double top_share = 0.0;
    for (const auto& by_epoch : data.shares) {
      for (const auto& shares : by_epoch) {
        for (double share : shares) top_share = std::max(top_share, share);
      }
    }
    if (top_share <= 0.0) top_share = 1.0;
    for (size_t k = 0; k < data.shares.size(); ++k) {
      HistogramPanel(data, k, top_share);
    }
  }
  plend();
  // PLplot closes the file it was given on plend in some versions only.
  if (!sink.closed) std::fclose(file);
  if (sink.bytes.empty()) throw IoError("PLplot wrote no figure");
  return std::move(sink.bytes);
}

void WriteHistoryPlot(const TrainedModel& model,
                      const std::filesystem::path& path) {
  const PlotFormat format = PlotFormatOf(path);
  const std::vector<uint8_t> bytes = RenderHistoryPlot(PlotDataOf(model), format);
  WriteOutputFile(path, bytes);
}

}  // namespace sentiment
