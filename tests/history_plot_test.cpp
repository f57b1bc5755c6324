#include "sentiment/history_plot.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "sentiment/error.h"
#include "sentiment/model_file.h"

namespace sentiment {
namespace {

namespace fs = std::filesystem;

// A model with a made-up three-epoch history: loss, accuracy and one
// histogram per epoch, the second class's examples drifting upward.
TrainedModel ModelWithHistory(bool histograms) {
  VectorizerOptions options{.max_tokens = 20, .output_sequence_length = 6};
  TextVectorization vectorizer =
      TextVectorization::Adapt({"a fine film", "a dull film"}, options);
  NetworkConfig config{.vocabulary_size = vectorizer.vocabulary().size(),
                       .sequence_length = 6,
                       .embedding_dim = 4};
  TrainedModel model{{"neg", "pos#1"},
                     std::move(vectorizer),
                     Network::Initialize(config, 3),
                     TrainOptions{},
                     {}};
  for (int e = 0; e < 3; ++e) {
    EpochMetrics metrics{.loss = 0.7 - 0.1 * e,
                         .accuracy = 0.5 + 0.1 * e,
                         .val_loss = 0.72 - 0.08 * e,
                         .val_accuracy = 0.45 + 0.15 * e};
    if (histograms) {
      std::vector<float> margins;
      std::vector<int32_t> labels;
      for (int i = 0; i < 20; ++i) {
        margins.push_back(static_cast<float>(-2.0 - e + 0.1 * i));
        labels.push_back(0);
        margins.push_back(static_cast<float>(-1.0 + 2.0 * e + 0.3 * i));
        labels.push_back(1);
      }
      margins.push_back(25.0f);  // overflow, not drawn
      labels.push_back(1);
      metrics.val_logits = HistogramOfMargins(margins, labels, 2);
    }
    model.history.push_back(metrics);
  }
  return model;
}

// The plotted numbers are the history's own: every series equals the
// history's values and every heat map cell a count over the class total.
TEST(HistoryPlotTest, PlottedDataEqualsTheHistory) {
  const TrainedModel model = ModelWithHistory(true);
  const HistoryPlotData data = PlotDataOf(model);
  ASSERT_EQ(data.epochs, (std::vector<double>{1, 2, 3}));
  for (size_t e = 0; e < 3; ++e) {
    EXPECT_EQ(data.loss[e], model.history[e].loss);
    EXPECT_EQ(data.val_loss[e], model.history[e].val_loss);
    EXPECT_EQ(data.accuracy[e], model.history[e].accuracy);
    EXPECT_EQ(data.val_accuracy[e], model.history[e].val_accuracy);
  }
  EXPECT_EQ(data.bins, HistogramBins{});
  ASSERT_EQ(data.shares.size(), 2u);
  for (size_t k = 0; k < 2; ++k) {
    ASSERT_EQ(data.shares[k].size(), 3u);
    for (size_t e = 0; e < 3; ++e) {
      const LogitHistogram& histogram = model.history[e].val_logits;
      const double total = static_cast<double>(histogram.Total(static_cast<int>(k)));
      ASSERT_EQ(data.shares[k][e].size(), 40u);
      for (size_t b = 0; b < 40; ++b) {
        EXPECT_EQ(data.shares[k][e][b],
                  static_cast<double>(histogram.counts[k][b + 1]) / total);
      }
      EXPECT_EQ(data.means[k][e], histogram.means[k]);
    }
  }
}

// Past kMaxClassesShown classes, one heat map of all classes pooled.
TEST(HistoryPlotTest, ManyClassesArePooledIntoOneHeatMap) {
  const int classes = kMaxClassesShown + 1;
  TrainedModel model = ModelWithHistory(false);
  model.class_names.clear();
  for (int k = 0; k < classes; ++k) model.class_names.push_back("c" + std::to_string(k));
  std::vector<float> margins;
  std::vector<int32_t> labels;
  for (int i = 0; i < 90; ++i) {
    margins.push_back(static_cast<float>(i % 7) - 3.0f);
    labels.push_back(i % classes);
  }
  for (EpochMetrics& epoch : model.history) {
    epoch.val_logits = HistogramOfMargins(margins, labels, classes);
  }
  const HistoryPlotData data = PlotDataOf(model);
  ASSERT_EQ(data.class_names, std::vector<std::string>{"all classes"});
  const LogitHistogram all = model.history[0].val_logits.Pooled();
  for (size_t b = 0; b < 40; ++b) {
    EXPECT_EQ(data.shares[0][0][b], static_cast<double>(all.counts[0][b + 1]) / 90.0);
  }
  EXPECT_EQ(data.means[0][0], all.means[0]);
}

TEST(HistoryPlotTest, HistoryWithoutHistogramsPlotsOnlyTheCurves) {
  const HistoryPlotData data = PlotDataOf(ModelWithHistory(false));
  EXPECT_EQ(data.loss.size(), 3u);
  EXPECT_TRUE(data.shares.empty());
  EXPECT_FALSE(RenderHistoryPlot(data, PlotFormat::kSvg).empty());
}

TEST(HistoryPlotTest, EmptyHistoryIsRefused) {
  TrainedModel model = ModelWithHistory(false);
  model.history.clear();
  EXPECT_THROW(PlotDataOf(model), Error);
}

TEST(HistoryPlotTest, FormatFollowsTheExtension) {
  EXPECT_EQ(PlotFormatOf("a/b.png"), PlotFormat::kPng);
  EXPECT_EQ(PlotFormatOf("b.SVG"), PlotFormat::kSvg);
  try {
    PlotFormatOf("history.pdf");
    FAIL() << "no error";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::kInvalidInput);
    EXPECT_EQ(std::string(error.what()),
              "--plot history.pdf: unknown figure format '.pdf' (use a .png "
              "or .svg file name)");
  }
}

uint32_t BigEndian32(const uint8_t* bytes) {
  return (uint32_t{bytes[0]} << 24) | (uint32_t{bytes[1]} << 16) |
         (uint32_t{bytes[2]} << 8) | bytes[3];
}

// The PNG signature, then an IHDR chunk whose size is the figure's: two
// panels wide, one row for the curves and one per two classes.
TEST(HistoryPlotTest, PngIsAPngOfTheFigureSize) {
  const std::vector<uint8_t> png =
      RenderHistoryPlot(PlotDataOf(ModelWithHistory(true)), PlotFormat::kPng);
  ASSERT_GT(png.size(), 33u);
  EXPECT_EQ(std::memcmp(png.data(), "\x89PNG\r\n\x1a\n", 8), 0);
  EXPECT_EQ(BigEndian32(png.data() + 8), 13u);  // IHDR length
  EXPECT_EQ(std::memcmp(png.data() + 12, "IHDR", 4), 0);
  EXPECT_EQ(BigEndian32(png.data() + 16), 1280u);  // width
  EXPECT_EQ(BigEndian32(png.data() + 20), 840u);   // height
  EXPECT_EQ(std::memcmp(png.data() + png.size() - 8, "IEND", 4), 0);
}

TEST(HistoryPlotTest, WritesTheFileAtomicallyAndRefusesOtherExtensions) {
  const fs::path folder = fs::path(::testing::TempDir()) / "history_plot_test";
  fs::remove_all(folder);
  fs::create_directories(folder);
  const TrainedModel model = ModelWithHistory(true);
  WriteHistoryPlot(model, folder / "h.svg");
  std::ifstream in(folder / "h.svg");
  std::stringstream text;
  text << in.rdbuf();
  EXPECT_NE(text.str().find("<svg"), std::string::npos);
  EXPECT_NE(text.str().find("</svg>"), std::string::npos);
  EXPECT_THROW(WriteHistoryPlot(model, folder / "h.jpg"), Error);
  // Only the figure: no temporary left behind, nothing for the bad name.
  EXPECT_EQ(std::distance(fs::directory_iterator(folder), fs::directory_iterator()), 1);
  fs::remove_all(folder);
}

}  // namespace
}  // namespace sentiment
