// `calibrate` end to end through the library: a binary and a 3-class
// bundle, the logits and classes it must not change, the probabilities and
// loss it does change, refits, and its refusals.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <functional>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "sentiment/commands.h"
#include "sentiment/error.h"
#include "sentiment/model_file.h"
#include "sentiment/temperature_scaling.h"

namespace sentiment {
namespace {

namespace fs = std::filesystem;

const fs::path kData = fs::path(SENTIMENT_TEST_DATA);

// As commands_test's: fits the 16 fixture reviews in well under a second.
TrainOptions FastOptions() {
  TrainOptions options;
  options.vectorizer.output_sequence_length = 10;
  options.fit.epochs = 60;
  options.fit.batch_size = 4;
  options.fit.learning_rate = 0.05f;
  options.validation_split = 0.25;
  return options;
}

std::vector<fs::path> SortedFiles(const fs::path& folder) {
  std::vector<fs::path> files;
  for (const auto& entry : fs::recursive_directory_iterator(folder)) {
    if (entry.is_regular_file()) files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

class CalibrateTest : public ::testing::Test {
 protected:
  void SetUp() override {
    folder_ = fs::path(::testing::TempDir()) /
              ("calibrate_test_" + std::string(::testing::UnitTest::GetInstance()
                                                   ->current_test_info()
                                                   ->name()));
    fs::remove_all(folder_);
    fs::create_directories(folder_);
  }
  void TearDown() override { fs::remove_all(folder_); }

  fs::path TrainAndExport(const fs::path& data) {
    std::ostringstream log;
    RunTrain(data, folder_ / "model.sentiment", FastOptions(), log);
    RunExport(folder_ / "model.sentiment", bundle(), log);
    return bundle();
  }

  // The class folders of `data` copied with every third file moved to the
  // next class's folder: held-out data the model gets partly wrong, so the
  // log-loss has a minimum at a finite temperature.
  fs::path NoisyCopy(const fs::path& data) {
    const fs::path copy = folder_ / "held_out";
    std::vector<std::string> classes;
    for (const auto& entry : fs::directory_iterator(data)) {
      classes.push_back(entry.path().filename().string());
    }
    std::sort(classes.begin(), classes.end());
    int n = 0;
    for (size_t k = 0; k < classes.size(); ++k) {
      for (const fs::path& file : SortedFiles(data / classes[k])) {
        const std::string& label =
            n % 3 == 0 ? classes[(k + 1) % classes.size()] : classes[k];
        fs::create_directories(copy / label);
        fs::copy_file(file, copy / label / (std::to_string(n++) + ".txt"));
      }
    }
    return copy;
  }

  // Every text of `data`, one per line, for predict.
  static std::string Lines(const fs::path& data) {
    std::string lines;
    for (const fs::path& file : SortedFiles(data)) {
      std::ifstream in(file);
      std::string text((std::istreambuf_iterator<char>(in)), {});
      std::replace(text.begin(), text.end(), '\n', ' ');
      lines += text + "\n";
    }
    return lines + "\nan unseen line\n";
  }

  static std::string Predict(const fs::path& bundle, const std::string& input,
                             bool logits) {
    std::istringstream in(input);
    std::ostringstream out;
    PredictOptions options;
    options.logits = logits;
    RunPredict(bundle, in, out, options);
    return out.str();
  }

  // The loss evaluate prints.
  static double EvaluatedLoss(const fs::path& model, const fs::path& data) {
    std::ostringstream out;
    RunEvaluate(model, data, out);
    std::string field;
    double loss = 0.0;
    std::istringstream(out.str()) >> field >> loss;
    EXPECT_EQ(field, "loss:") << out.str();
    return loss;
  }

  std::string Calibrate(const fs::path& in, const fs::path& data,
                        const fs::path& out) {
    std::ostringstream log;
    RunCalibrate(in, data, out, log);
    return log.str();
  }

  fs::path bundle() const { return folder_ / "bundle.sentiment"; }
  fs::path calibrated() const { return folder_ / "calibrated.sentiment"; }

  // Calibrates a bundle trained on `data` on a noisy copy and checks what
  // must and must not change.
  void CheckCalibration(const fs::path& data) {
    TrainAndExport(data);
    const fs::path held_out = NoisyCopy(data);
    const std::string log = Calibrate(bundle(), held_out, calibrated());
    EXPECT_NE(log.find("Fitted on "), std::string::npos) << log;
    EXPECT_NE(log.find("Saved the calibrated bundle to"), std::string::npos) << log;

    const ModelFile before = ReadModelFile(bundle());
    const ModelFile after = ReadModelFile(calibrated());
    EXPECT_EQ(before.temperature, 1.0f);
    EXPECT_EQ(after.format_version, 4);
    ASSERT_TRUE(after.is_bundle());
    EXPECT_EQ(*after.activation, *before.activation);
    EXPECT_NE(after.temperature, 1.0f);
    EXPECT_TRUE(after.model.network.parameters().embedding ==
                before.model.network.parameters().embedding);

    // The fit's temperature, from an independent recomputation of the
    // logits (predict --logits) and labels.
    const std::string lines = Lines(data);
    const std::string logits = Predict(bundle(), lines, true);
    EXPECT_EQ(Predict(calibrated(), lines, true), logits);
    // The classes are the same; the probabilities are not.
    const std::string probabilities = Predict(bundle(), lines, false);
    const std::string calibrated_probabilities =
        Predict(calibrated(), lines, false);
    EXPECT_NE(calibrated_probabilities, probabilities);
    std::istringstream a(probabilities), b(calibrated_probabilities);
    for (std::string x, y; std::getline(a, x) && std::getline(b, y);) {
      EXPECT_EQ(x.substr(x.find('\t')), y.substr(y.find('\t')));
    }

    // Evaluate reports the calibrated loss, no worse on the data it was
    // fitted on, and the same accuracy.
    const double loss_before = EvaluatedLoss(bundle(), held_out);
    const double loss_after = EvaluatedLoss(calibrated(), held_out);
    EXPECT_LT(loss_after, loss_before);
    char expected[64];
    std::snprintf(expected, sizeof expected, "log-loss: %.4f at T = 1, ",
                  loss_before);
    EXPECT_NE(log.find(expected), std::string::npos) << log;

    // A calibrated bundle is refitted from the raw logits: the same T.
    const fs::path again = folder_ / "again.sentiment";
    const std::string refit = Calibrate(calibrated(), held_out, again);
    EXPECT_NE(refit.find("replaces"), std::string::npos) << refit;
    EXPECT_EQ(ReadModelFile(again).temperature, after.temperature);
  }

  fs::path folder_;
};

TEST_F(CalibrateTest, BinaryBundleGetsATemperatureAndKeepsItsLogits) {
  CheckCalibration(kData / "reviews");
}

TEST_F(CalibrateTest, ThreeClassBundleGetsATemperatureAndKeepsItsLogits) {
  CheckCalibration(kData / "topics");
}

TEST_F(CalibrateTest, InspectShowsTheTemperature) {
  TrainAndExport(kData / "reviews");
  Calibrate(bundle(), NoisyCopy(kData / "reviews"), calibrated());
  std::ostringstream plain, calibrated_summary;
  RunInspect(bundle(), false, plain);
  RunInspect(calibrated(), false, calibrated_summary);
  EXPECT_NE(plain.str().find("  activation: sigmoid (temperature 1, not calibrated)\n"),
            std::string::npos)
      << plain.str();
  char expected[96];
  std::snprintf(expected, sizeof expected,
                "  activation: sigmoid (temperature %.6g, calibrated)\n",
                static_cast<double>(ReadModelFile(calibrated()).temperature));
  EXPECT_NE(calibrated_summary.str().find(expected), std::string::npos)
      << calibrated_summary.str();
  EXPECT_NE(calibrated_summary.str().find("format version 4"), std::string::npos);
}

std::string ErrorOf(const std::function<void()>& run, ErrorKind kind) {
  try {
    run();
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), kind) << error.what();
    return error.what();
  }
  return "no error";
}

TEST_F(CalibrateTest, RefusesATrainedModelBadDataAndAFitWithoutMinimum) {
  TrainAndExport(kData / "reviews");
  const fs::path model = folder_ / "model.sentiment";
  EXPECT_EQ(ErrorOf([&] { Calibrate(model, kData / "reviews", calibrated()); },
                    ErrorKind::kBadModelFile),
            model.string() +
                ": is a trained model, not an exported bundle; run 'sentiment "
                "export " + model.string() +
                " -o BUNDLE' first and calibrate with BUNDLE");

  // Data of other classes.
  fs::create_directories(folder_ / "other" / "spam");
  fs::create_directories(folder_ / "other" / "ham");
  std::ofstream(folder_ / "other" / "spam" / "a.txt") << "buy now";
  std::ofstream(folder_ / "other" / "ham" / "a.txt") << "see you";
  EXPECT_NE(ErrorOf([&] { Calibrate(bundle(), folder_ / "other", calibrated()); },
                    ErrorKind::kInvalidInput)
                .find("is not one of the model's (neg, pos)"),
            std::string::npos);

  // Each text labelled with the class the bundle predicts for it: the
  // logits separate the data perfectly, so there is no finite minimum.
  const fs::path agreed = folder_ / "agreed";
  int n = 0;
  for (const fs::path& file : SortedFiles(kData / "reviews")) {
    std::ifstream in(file);
    const std::string text((std::istreambuf_iterator<char>(in)), {});
    std::string one_line = text;
    std::replace(one_line.begin(), one_line.end(), '\n', ' ');
    const std::string line = Predict(bundle(), one_line + "\n", false);
    const std::string label = line.substr(line.find('\t') + 1, 3);
    fs::create_directories(agreed / label);
    std::ofstream(agreed / label / (std::to_string(n++) + ".txt")) << text;
  }
  EXPECT_NE(ErrorOf([&] { Calibrate(bundle(), agreed, calibrated()); },
                    ErrorKind::kInvalidInput)
                .find("does not converge"),
            std::string::npos);
  EXPECT_FALSE(fs::exists(calibrated()));
}

}  // namespace
}  // namespace sentiment
