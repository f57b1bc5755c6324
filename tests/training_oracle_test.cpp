// The training path against tests/training_oracle.py, a slow numpy oracle
// written from the Keras 3 source rather than from our trainer. For binary
// and 3 classes, with and without masked pooling and class weights (dropout
// off, one thread), it checks three things independently:
//   - Network::Initialize gives the oracle's --initial-weights;
//   - EpochOrder gives the oracle's --orders;
//   - Fit, recording each step's loss, ends with the oracle's losses and
//     weights when the oracle trains from the same initial weights on the
//     batches of its own --orders, so a wrong order in Fit shows here too.
//
// Tolerances. Both sides compute in float32 but in different orders (numpy
// sums pooled rows and batch terms pairwise, we sum them in sequence and the
// loss in double), so values agree to a few float32 roundings, relative
// 1e-7 each, per step. Adam divides m by sqrt(v): the update is invariant to
// the scale of the gradient, so relative gradient errors pass into the
// weights unamplified and add up over the steps. rtol 1e-4 leaves room for
// ~1000 roundings while any real difference in a formula (the divisor of
// the batch loss, a lazy Adam, an order, the pooled count) moves values by
// percent. atol 1e-6 covers values that cross zero, where relative error is
// meaningless; it is far below the 1e-2 learning rate's step. The initial
// weights are the same float32 formula on both sides, so they must agree to
// rounding: rtol 1e-6, atol 1e-9.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include <unistd.h>

#include "sentiment/network.h"
#include "sentiment/numpy_random.h"
#include "sentiment/trainer.h"

namespace sentiment {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

constexpr int kVocabulary = 13;
constexpr int kLength = 6;
constexpr int kDim = 5;
constexpr int kExamples = 23;
constexpr int kBatchSize = 5;  // 4 full batches and one of 3 per epoch
constexpr int kEpochs = 3;
constexpr float kLearningRate = 0.01f;

constexpr double kRtol = 1e-4;
constexpr double kAtol = 1e-6;
constexpr double kInitialRtol = 1e-6;
constexpr double kInitialAtol = 1e-9;

struct Case {
  int outputs;
  bool mask_padding;
  bool class_weights;
  uint32_t seed;
};

std::string Describe(const Case& c) {
  return "outputs " + std::to_string(c.outputs) + ", mask_padding " +
         std::to_string(c.mask_padding) + ", class_weights " +
         std::to_string(c.class_weights);
}

void PrintTo(const Case& c, std::ostream* out) { *out << Describe(c); }

int Classes(const Case& c) { return c.outputs == 1 ? 2 : c.outputs; }

// kExamples rows of 0..kLength tokens (ids 1..V-1) then padding, with rows
// 3 and 11 all padding and row 5 full; random labels.
VectorizedSet Data(const Case& c) {
  RandomState random(1000 + c.seed);
  VectorizedSet set;
  for (int i = 0; i < kExamples; ++i) {
    int tokens = static_cast<int>(random.Interval(kLength));
    if (i == 3 || i == 11) tokens = 0;
    if (i == 5) tokens = kLength;
    for (int t = 0; t < kLength; ++t) {
      set.ids.push_back(
          t < tokens ? 1 + static_cast<int32_t>(random.Interval(kVocabulary - 2))
                     : 0);
    }
    set.labels.push_back(static_cast<int32_t>(random.Interval(Classes(c) - 1)));
  }
  return set;
}

std::vector<float> ClassWeights(const Case& c) {
  if (!c.class_weights) return {};
  return c.outputs == 1 ? std::vector<float>{0.5f, 2.0f}
                        : std::vector<float>{1.5f, 0.25f, 0.75f};
}

NetworkConfig Config(const Case& c) {
  return NetworkConfig{.vocabulary_size = kVocabulary,
                       .sequence_length = kLength,
                       .embedding_dim = kDim,
                       .outputs = c.outputs,
                       .mask_padding = c.mask_padding,
                       .dropout = 0.0f};
}

class TrainingOracleTest : public ::testing::TestWithParam<Case> {
 protected:
  void SetUp() override {
    folder_ = fs::path(::testing::TempDir()) /
              ("training_oracle_test_" + std::to_string(getpid()) + "_" +
               std::to_string(GetParam().outputs) +
               std::to_string(GetParam().mask_padding) +
               std::to_string(GetParam().class_weights));
    fs::remove_all(folder_);
    fs::create_directories(folder_);
  }
  void TearDown() override { fs::remove_all(folder_); }

  // Runs the oracle with `arguments` (already quoted), stdout to a file, and
  // returns what it printed. Fails the test on a non-zero exit.
  std::string RunOracle(const std::string& arguments) {
    const fs::path out = folder_ / "stdout";
    const fs::path err = folder_ / "stderr";
    const std::string command = std::string(SENTIMENT_PYTHON) + " '" +
                                SENTIMENT_TRAINING_ORACLE + "' " + arguments +
                                " >'" + out.string() + "' 2>'" + err.string() +
                                "'";
    const int status = std::system(command.c_str());
    std::string printed = ReadText(out);
    EXPECT_EQ(status, 0) << command << "\n" << ReadText(err);
    return printed;
  }

  static std::string ReadText(const fs::path& path) {
    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
  }

  fs::path folder_;
};

std::string Quote(const fs::path& path) { return "'" + path.string() + "'"; }

// |actual - expected| <= atol + rtol * |expected| for each value, reporting
// the first few that are not and the largest error.
void ExpectClose(const std::vector<double>& actual,
                 const std::vector<double>& expected, double rtol, double atol,
                 const std::string& what) {
  ASSERT_EQ(actual.size(), expected.size()) << what;
  int reported = 0;
  double worst = 0.0;
  for (size_t i = 0; i < actual.size(); ++i) {
    const double error = std::abs(actual[i] - expected[i]);
    worst = std::max(worst, error / (atol + rtol * std::abs(expected[i])));
    if (!(error <= atol + rtol * std::abs(expected[i])) && reported++ < 5) {
      ADD_FAILURE() << what << "[" << i << "]: " << actual[i] << ", oracle "
                    << expected[i] << " (error " << error << ")";
    }
  }
  EXPECT_EQ(reported, 0) << what << ": " << reported
                         << " values outside tolerance, worst at "
                         << worst << " x tolerance";
}

std::vector<double> Values(const EmbeddingMatrix& matrix) {
  return {matrix.data(), matrix.data() + matrix.size()};
}
std::vector<double> Values(const Eigen::VectorXf& vector) {
  return {vector.data(), vector.data() + vector.size()};
}

// A JSON number, list or nested list flattened in row-major order.
std::vector<double> Flatten(const json& value) {
  std::vector<double> flat;
  if (!value.is_array()) return {value.get<double>()};
  for (const json& item : value) {
    const std::vector<double> inner = Flatten(item);
    flat.insert(flat.end(), inner.begin(), inner.end());
  }
  return flat;
}

json Matrix(const EmbeddingMatrix& matrix) {
  json rows = json::array();
  for (Eigen::Index r = 0; r < matrix.rows(); ++r) {
    json row = json::array();
    for (Eigen::Index c = 0; c < matrix.cols(); ++c) row.push_back(matrix(r, c));
    rows.push_back(row);
  }
  return rows;
}

TEST_P(TrainingOracleTest, InitialWeightsMatchTheOracle) {
  const Case c = GetParam();
  const Network network = Network::Initialize(Config(c), c.seed);
  const json oracle = json::parse(RunOracle(
      "--initial-weights " + std::to_string(kVocabulary) + " " +
      std::to_string(kDim) + " " + std::to_string(c.outputs) + " " +
      std::to_string(c.seed)));
  const NetworkParameters& p = network.parameters();
  ExpectClose(Values(p.embedding), Flatten(oracle["embedding"]), kInitialRtol,
              kInitialAtol, Describe(c) + " initial embedding");
  ExpectClose(Values(p.dense_kernel), Flatten(oracle["kernel"]), kInitialRtol,
              kInitialAtol, Describe(c) + " initial kernel");
  ExpectClose(Values(p.dense_bias), Flatten(oracle["bias"]), 0.0, 0.0,
              Describe(c) + " initial bias");
}

TEST_P(TrainingOracleTest, EpochOrdersMatchTheOracle) {
  const Case c = GetParam();
  std::istringstream lines(RunOracle("--orders " + std::to_string(kExamples) +
                                     " " + std::to_string(c.seed) + " " +
                                     std::to_string(kEpochs)));
  EpochOrder order(kExamples, c.seed);
  int epochs = 0;
  for (std::string line; std::getline(lines, line); ++epochs) {
    const std::vector<size_t> expected = json::parse(line).get<std::vector<size_t>>();
    EXPECT_EQ(order.Next(), expected) << Describe(c) << " epoch " << epochs;
  }
  EXPECT_EQ(epochs, kEpochs);
}

TEST_P(TrainingOracleTest, LossOfEveryStepAndFinalWeightsMatchTheOracle) {
  const Case c = GetParam();
  const VectorizedSet data = Data(c);
  Network network = Network::Initialize(Config(c), c.seed);
  const std::vector<float> class_weights = ClassWeights(c);

  // The oracle's batches come from its own epoch orders.
  std::istringstream lines(RunOracle("--orders " + std::to_string(kExamples) +
                                     " " + std::to_string(c.seed) + " " +
                                     std::to_string(kEpochs)));
  json batches = json::array();
  for (std::string line; std::getline(lines, line);) {
    const std::vector<int> order = json::parse(line).get<std::vector<int>>();
    for (size_t start = 0; start < order.size(); start += kBatchSize) {
      const size_t end = std::min(order.size(), start + kBatchSize);
      batches.push_back(std::vector<int>(order.begin() + start, order.begin() + end));
    }
  }
  json ids = json::array();
  for (int i = 0; i < kExamples; ++i) {
    ids.push_back(std::vector<int32_t>(data.ids.begin() + i * kLength,
                                       data.ids.begin() + (i + 1) * kLength));
  }
  std::vector<float> sample_weights;
  for (int32_t label : data.labels) {
    sample_weights.push_back(class_weights.empty() ? 1.0f : class_weights[label]);
  }
  const NetworkParameters& initial = network.parameters();
  const json spec = {
      {"outputs", c.outputs},
      {"mask_padding", c.mask_padding},
      {"learning_rate", kLearningRate},
      {"ids", ids},
      {"labels", data.labels},
      {"sample_weights", sample_weights},
      {"batches", batches},
      {"embedding", Matrix(initial.embedding)},
      {"kernel", Matrix(initial.dense_kernel)},
      {"bias", Values(initial.dense_bias)},
  };
  std::ofstream(folder_ / "spec.json") << spec.dump();
  RunOracle(Quote(folder_ / "spec.json") + " " + Quote(folder_ / "out.json"));
  const json oracle = json::parse(ReadText(folder_ / "out.json"));

  std::vector<double> losses;
  FitCallbacks callbacks;
  callbacks.on_batch = [&](int64_t step, double loss) {
    EXPECT_EQ(step, static_cast<int64_t>(losses.size()));
    losses.push_back(loss);
  };
  Fit(network, data, {},
      FitOptions{.epochs = kEpochs,
                 .batch_size = kBatchSize,
                 .learning_rate = kLearningRate,
                 .seed = c.seed,
                 .threads = 1,
                 .class_weights = class_weights},
      callbacks);

  ExpectClose(losses, Flatten(oracle["losses"]), kRtol, kAtol,
              Describe(c) + " loss of each step");
  const NetworkParameters& p = network.parameters();
  ExpectClose(Values(p.embedding), Flatten(oracle["embedding"]), kRtol, kAtol,
              Describe(c) + " final embedding");
  ExpectClose(Values(p.dense_kernel), Flatten(oracle["kernel"]), kRtol, kAtol,
              Describe(c) + " final kernel");
  ExpectClose(Values(p.dense_bias), Flatten(oracle["bias"]), kRtol, kAtol,
              Describe(c) + " final bias");
  // The run must move the weights well beyond the tolerance, or matching
  // the oracle would prove little.
  const std::vector<double> before = Flatten(spec["embedding"]);
  const std::vector<double> after = Values(p.embedding);
  double moved = 0.0;
  for (size_t i = 0; i < before.size(); ++i) {
    moved = std::max(moved, std::abs(after[i] - before[i]));
  }
  EXPECT_GT(moved, 1000 * kAtol) << Describe(c);
}

std::vector<Case> AllCases() {
  std::vector<Case> cases;
  uint32_t seed = 7;
  for (int outputs : {1, 3}) {
    for (bool mask : {false, true}) {
      for (bool weights : {false, true}) {
        cases.push_back({outputs, mask, weights, seed++});
      }
    }
  }
  return cases;
}

std::string CaseName(const ::testing::TestParamInfo<Case>& param) {
  const Case& c = param.param;
  return std::string(c.outputs == 1 ? "Binary" : "ThreeClasses") +
         (c.mask_padding ? "Masked" : "Unmasked") +
         (c.class_weights ? "ClassWeights" : "Unweighted");
}

INSTANTIATE_TEST_SUITE_P(AllCases, TrainingOracleTest,
                         ::testing::ValuesIn(AllCases()), CaseName);

}  // namespace
}  // namespace sentiment
