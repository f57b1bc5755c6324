#include "sentiment/trainer.h"

#include <gtest/gtest.h>

#include <unistd.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "batch_gradients.h"
#include "sentiment/error.h"
#include "sentiment/training_step.h"
#include "training_oracle.h"

namespace sentiment {
namespace {

constexpr int kLength = 4;

// Token 2 marks a positive example and token 3 a negative one; tokens 4..9
// are noise shared by both classes, and 0 pads.
VectorizedSet SeparableSet(int examples) {
  VectorizedSet set;
  for (int i = 0; i < examples; ++i) {
    const bool positive = i % 2 == 0;
    set.ids.push_back(positive ? 2 : 3);
    set.ids.push_back(4 + i % 6);
    set.ids.push_back(4 + (i / 2) % 6);
    set.ids.push_back(0);
    set.labels.push_back(positive ? 1 : 0);
  }
  return set;
}

Network SmallNetwork(uint32_t seed) {
  return Network::Initialize(NetworkConfig{.vocabulary_size = 10,
                                           .sequence_length = kLength,
                                           .embedding_dim = 8,
                                           .dropout = 0.2f},
                             seed);
}

TEST(TrainerTest, LearnsASeparableSetToFullAccuracy) {
  const VectorizedSet training = SeparableSet(64);
  const VectorizedSet validation = SeparableSet(16);
  Network network = SmallNetwork(1);
  const auto history =
      Fit(network, training, validation,
          FitOptions{.epochs = 60, .batch_size = 8, .learning_rate = 0.01f});
  ASSERT_EQ(history.size(), 60u);
  EXPECT_LT(history.back().loss, history.front().loss);
  EXPECT_EQ(Evaluate(network, training).accuracy, 1.0);
  EXPECT_EQ(history.back().val_accuracy, 1.0);
  EXPECT_LT(history.back().val_loss, 0.3);
}

TEST(TrainerTest, SameSeedGivesIdenticalWeights) {
  const VectorizedSet training = SeparableSet(40);
  Network a = SmallNetwork(5), b = SmallNetwork(5), c = SmallNetwork(5);
  Fit(a, training, {}, FitOptions{.epochs = 3, .batch_size = 7, .seed = 9});
  Fit(b, training, {}, FitOptions{.epochs = 3, .batch_size = 7, .seed = 9});
  Fit(c, training, {}, FitOptions{.epochs = 3, .batch_size = 7, .seed = 10});
  EXPECT_TRUE(a.parameters().embedding == b.parameters().embedding);
  EXPECT_TRUE(a.parameters().dense_kernel == b.parameters().dense_kernel);
  EXPECT_EQ(a.parameters().dense_bias, b.parameters().dense_bias);
  EXPECT_FALSE(a.parameters().embedding == c.parameters().embedding);
}

TEST(TrainerTest, SameSeedAndThreadCountGiveIdenticalWeights) {
  const VectorizedSet training = SeparableSet(50);
  const FitOptions two_threads{.epochs = 3, .batch_size = 9, .seed = 4, .threads = 2};
  Network a = SmallNetwork(5), b = SmallNetwork(5), one = SmallNetwork(5);
  Fit(a, training, {}, two_threads);
  Fit(b, training, {}, two_threads);
  EXPECT_TRUE(a.parameters().embedding == b.parameters().embedding);
  EXPECT_EQ(a.parameters().dense_bias, b.parameters().dense_bias);
  // One thread draws the same dropout masks and sums the same gradients in
  // another order: equal up to rounding.
  FitOptions one_thread = two_threads;
  one_thread.threads = 1;
  Fit(one, training, {}, one_thread);
  EXPECT_TRUE(a.parameters().embedding.isApprox(one.parameters().embedding, 1e-4f));
  EXPECT_NEAR(a.parameters().dense_bias[0], one.parameters().dense_bias[0], 1e-5f);
}

TEST(TrainerTest, EvaluateGivesTheSameNumbersOnAnyThreadCount) {
  const Network network = SmallNetwork(2);
  const VectorizedSet data = SeparableSet(37);
  const Evaluation one = Evaluate(network, data, 1);
  const Evaluation three = Evaluate(network, data, 3);
  EXPECT_EQ(one.accuracy, three.accuracy);
  EXPECT_NEAR(one.loss, three.loss, 1e-12);
}

TEST(TrainerTest, NoValidationSetGivesNaNValidationMetrics) {
  Network network = SmallNetwork(1);
  const auto history =
      Fit(network, SeparableSet(8), {}, FitOptions{.epochs = 1});
  EXPECT_TRUE(std::isnan(history[0].val_loss));
  EXPECT_FALSE(std::isnan(history[0].loss));
}

TEST(TrainerTest, ReportsEachEpochAsItEnds) {
  Network network = SmallNetwork(1);
  int calls = 0;
  FitCallbacks callbacks;
  callbacks.on_epoch = [&](int epoch, const EpochMetrics&) {
    EXPECT_EQ(epoch, calls++);
  };
  Fit(network, SeparableSet(8), {}, FitOptions{.epochs = 3}, callbacks);
  EXPECT_EQ(calls, 3);
}

TEST(TrainerTest, DivergenceStopsWithAClearError) {
  Network network = SmallNetwork(1);
  try {
    Fit(network, SeparableSet(32), {},
        FitOptions{.epochs = 5, .learning_rate = 1e38f});
    FAIL() << "expected divergence";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::kInvalidInput);
    EXPECT_NE(std::string(error.what()).find("diverged"), std::string::npos);
  }
}

TEST(TrainerTest, RejectsBadOptions) {
  Network network = SmallNetwork(1);
  EXPECT_THROW(Fit(network, SeparableSet(4), {}, FitOptions{.epochs = 0}), Error);
  EXPECT_THROW(Fit(network, SeparableSet(4), {}, FitOptions{.batch_size = 0}),
               Error);
  EXPECT_THROW(Fit(network, VectorizedSet{}, {}, FitOptions{}), Error);
}

TEST(TrainerTest, EvaluateCountsLogitAboveZeroAsSecondClass) {
  NetworkConfig config{.vocabulary_size = 3, .sequence_length = 1,
                       .embedding_dim = 1, .dropout = 0.0f};
  NetworkParameters p;
  p.embedding.resize(3, 1);
  p.embedding << 0.0f, 2.0f, -2.0f;
  p.dense_kernel = EmbeddingMatrix::Ones(1, 1);
  p.dense_bias = Eigen::VectorXf::Zero(1);
  const Network network(config, p);
  // Logits 0, 2, -2 for labels 1, 1, 0: a logit of exactly 0 is class 0.
  const VectorizedSet set{{0, 1, 2}, {1, 1, 0}};
  const Evaluation evaluation = Evaluate(network, set);
  EXPECT_NEAR(evaluation.accuracy, 2.0 / 3.0, 1e-12);
  const double expected_loss =
      (std::log(2.0) + std::log1p(std::exp(-2.0)) * 2) / 3.0;
  EXPECT_NEAR(evaluation.loss, expected_loss, 1e-6);
}

TEST(TrainerTest, BalancedClassWeightsAreNOverKTimesClassCount) {
  // 6 examples: class 0 x3, class 1 x2, class 2 x1 -> 6/(3*3), 6/(3*2), 6/(3*1).
  const std::vector<int32_t> labels = {0, 1, 0, 2, 1, 0};
  const std::vector<float> weights = BalancedClassWeights(labels, 3);
  ASSERT_EQ(weights.size(), 3u);
  EXPECT_FLOAT_EQ(weights[0], 2.0f / 3.0f);
  EXPECT_FLOAT_EQ(weights[1], 1.0f);
  EXPECT_FLOAT_EQ(weights[2], 2.0f);
  // A class with no example weighs nothing.
  EXPECT_EQ(BalancedClassWeights(std::vector<int32_t>{0, 0}, 2)[1], 0.0f);
}

// Three classes, each marked by its own token: K-class training learns them.
VectorizedSet ThreeClassSet(int examples) {
  VectorizedSet set;
  for (int i = 0; i < examples; ++i) {
    const int label = i % 3;
    set.ids.insert(set.ids.end(), {2 + label, 5 + i % 4, 0, 0});
    set.labels.push_back(label);
  }
  return set;
}

TEST(TrainerTest, LearnsThreeClassesToFullAccuracy) {
  Network network = Network::Initialize(
      NetworkConfig{.vocabulary_size = 10, .sequence_length = kLength,
                    .embedding_dim = 8, .outputs = 3, .dropout = 0.2f},
      1);
  const auto history = Fit(network, ThreeClassSet(60), ThreeClassSet(12),
                           FitOptions{.epochs = 60, .batch_size = 8, .learning_rate = 0.01f});
  EXPECT_NEAR(history.front().loss, std::log(3.0), 0.1);  // starts near log K
  EXPECT_EQ(history.back().val_accuracy, 1.0);
  EXPECT_EQ(Evaluate(network, ThreeClassSet(12)).accuracy, 1.0);
}

// Keras's class_weight scales each example's loss: with a weight of 0 on a
// class, its examples teach nothing, and the training loss is the weighted
// mean over every example.
TEST(TrainerTest, ClassWeightsScaleEachExamplesLoss) {
  const VectorizedSet training = SeparableSet(16);
  Network zero_weight = SmallNetwork(3), untouched = SmallNetwork(3);
  FitOptions options{.epochs = 1, .batch_size = 16};
  options.class_weights = {0.0f, 1.0f};
  Network unweighted = SmallNetwork(3);
  const auto weighted_history = Fit(zero_weight, training, {}, options);
  Fit(unweighted, training, {}, FitOptions{.epochs = 1, .batch_size = 16});
  // Token 3 marks only class 0: with class 0 weighted 0, its row gets no
  // gradient, so dense Adam leaves it exactly where it started.
  EXPECT_TRUE(zero_weight.parameters().embedding.row(3) ==
              untouched.parameters().embedding.row(3));
  EXPECT_FALSE(unweighted.parameters().embedding.row(3) ==
               untouched.parameters().embedding.row(3));
  // The epoch loss is the sum of weight * loss over all 16 examples, over 16:
  // half the examples weigh 0, so it is about half the unweighted loss.
  const auto plain_history = Fit(untouched, training, {}, FitOptions{.epochs = 1, .batch_size = 16});
  EXPECT_NEAR(weighted_history[0].loss, plain_history[0].loss / 2, 0.02);
}

TEST(TrainerTest, RejectsClassWeightsOfTheWrongCount) {
  Network network = SmallNetwork(1);
  FitOptions options{.epochs = 1};
  options.class_weights = {1.0f, 1.0f, 1.0f};
  EXPECT_THROW(Fit(network, SeparableSet(4), {}, options), Error);
}

// Every example visit draws its own dropout masks: visit v of a run (counted
// across batches and epochs) uses DropoutKey(seed, v). At a learning rate of
// 1e-30 no weight moves, so the loss Fit reports for each one-example batch
// is that example's loss on the initial weights under visit v's masks.
TEST(TrainerTest, EachVisitDrawsTheDropoutMasksOfItsOwnKey) {
  const VectorizedSet training = SeparableSet(3);
  const Network initial = SmallNetwork(5);
  ASSERT_EQ(initial.config().dropout, 0.2f);
  const FitOptions options{.epochs = 2, .batch_size = 1, .learning_rate = 1e-30f, .seed = 9};
  Network network = initial;
  std::vector<double> losses;
  FitCallbacks callbacks;
  callbacks.on_batch = [&](int64_t, double loss) { losses.push_back(loss); };
  Fit(network, training, {}, options, callbacks);
  ASSERT_EQ(losses.size(), 6u);

  EpochOrder order(training.size(), options.seed);
  const DropoutSampler sampler(initial.config().dropout);
  ExampleBuffers buffers(initial.config());
  uint64_t visit = 0;
  for (int epoch = 0; epoch < options.epochs; ++epoch) {
    for (size_t example : order.Next()) {
      sampler.Draw(DropoutKey(options.seed, visit), buffers.masks);
      const float expected = ExampleStep(initial, training.ids.data() + example * kLength,
                                         training.labels[example], 1.0f, buffers, nullptr);
      EXPECT_NEAR(losses[visit], expected, 1e-6 * std::abs(expected)) << "visit " << visit;
      ++visit;
    }
  }
}

// The example order of every epoch, as tests/training_oracle.py's
// epoch_orders gives it: one RandomState on stream 2 of the seed shuffling
// the same arange(n) again at the start of each epoch.
TEST(EpochOrderTest, ReshufflesEveryEpochAsTheOracle) {
  for (const auto& [n, seed] : {std::pair<size_t, uint32_t>{10, 42}, {3, 7}, {25, 0}}) {
    const std::vector<nlohmann::json> oracle = RunTrainingOracle(
        "--orders " + std::to_string(n) + " " + std::to_string(seed) + " 4");
    ASSERT_EQ(oracle.size(), 4u);
    EpochOrder order(n, seed);
    for (int epoch = 0; epoch < 4; ++epoch) {
      EXPECT_EQ(order.Next(), oracle[epoch].get<std::vector<size_t>>())
          << "n " << n << " seed " << seed << " epoch " << epoch;
    }
  }
}

// Fit with dropout off against the numpy oracle, which is written from
// Keras 3's source: the loss of every step (before its update), each
// epoch's loss, and the weights at the end, for one and K logits, with and
// without masking and class weights. The batches are consecutive slices of
// the oracle's own epoch orders.
TEST(TrainerTest, FitMatchesTheNumpyOracleStepByStep) {
  constexpr int kVocabulary = 8, kSequence = 5, kDim = 4, kExamples = 7;
  constexpr int kBatch = 3, kEpochs = 3;
  constexpr uint32_t kSeed = 42;
  char folder_template[] = "/tmp/sentiment_oracle_XXXXXX";
  ASSERT_NE(::mkdtemp(folder_template), nullptr);
  const std::filesystem::path folder = folder_template;
  const std::vector<nlohmann::json> orders = RunTrainingOracle(
      "--orders " + std::to_string(kExamples) + " " + std::to_string(kSeed) + " " +
      std::to_string(kEpochs));
  ASSERT_EQ(orders.size(), static_cast<size_t>(kEpochs));
  for (int outputs : {1, 3}) {
    for (bool mask : {false, true}) {
      for (bool weighted : {false, true}) {
        SCOPED_TRACE("outputs " + std::to_string(outputs) + " mask " +
                     std::to_string(mask) + " weighted " + std::to_string(weighted));
        const int classes = outputs == 1 ? 2 : outputs;
        // Ids with trailing padding, one all-padding row, repeated tokens.
        VectorizedSet training;
        for (int i = 0; i < kExamples; ++i) {
          const int tokens = i == 3 ? 0 : 1 + (i * 3) % kSequence;
          for (int t = 0; t < kSequence; ++t) {
            training.ids.push_back(t < tokens ? 1 + (i * 5 + t * 3) % (kVocabulary - 1) : 0);
          }
          training.labels.push_back((i * 2 + 1) % classes);
        }
        FitOptions options{.epochs = kEpochs, .batch_size = kBatch,
                           .learning_rate = 0.05f, .seed = kSeed};
        if (weighted) {
          options.class_weights = {0.5f, 2.0f, 1.5f};
          options.class_weights.resize(classes);
        }
        Network network = Network::Initialize(
            NetworkConfig{.vocabulary_size = kVocabulary, .sequence_length = kSequence,
                          .embedding_dim = kDim, .outputs = outputs,
                          .mask_padding = mask, .dropout = 0.0f},
            kSeed);

        nlohmann::json spec;
        spec["outputs"] = outputs;
        spec["mask_padding"] = mask;
        spec["learning_rate"] = 0.05;
        std::vector<std::vector<int32_t>> ids;
        std::vector<float> sample_weights;
        for (int i = 0; i < kExamples; ++i) {
          ids.emplace_back(training.ids.begin() + i * kSequence,
                           training.ids.begin() + (i + 1) * kSequence);
          sample_weights.push_back(weighted ? options.class_weights[training.labels[i]] : 1.0f);
        }
        spec["ids"] = ids;
        spec["labels"] = training.labels;
        spec["sample_weights"] = sample_weights;
        std::vector<std::vector<size_t>> batches;
        for (const nlohmann::json& order : orders) {
          const std::vector<size_t> epoch = order.get<std::vector<size_t>>();
          for (size_t start = 0; start < epoch.size(); start += kBatch) {
            batches.emplace_back(epoch.begin() + start,
                                 epoch.begin() + std::min(epoch.size(), start + kBatch));
          }
        }
        spec["batches"] = batches;
        const NetworkParameters& p = network.parameters();
        std::vector<std::vector<float>> embedding(kVocabulary), kernel(kDim);
        for (int i = 0; i < kVocabulary; ++i) {
          for (int d = 0; d < kDim; ++d) embedding[i].push_back(p.embedding(i, d));
        }
        for (int d = 0; d < kDim; ++d) {
          for (int k = 0; k < outputs; ++k) kernel[d].push_back(p.dense_kernel(d, k));
        }
        spec["embedding"] = embedding;
        spec["kernel"] = kernel;
        spec["bias"] = std::vector<float>(p.dense_bias.data(), p.dense_bias.data() + outputs);
        const std::filesystem::path spec_path = folder / "spec.json";
        const std::filesystem::path result_path = folder / "result.json";
        std::ofstream(spec_path) << spec.dump();
        RunTrainingOracle(spec_path.string() + " " + result_path.string());
        std::ifstream result_file(result_path);
        const nlohmann::json expected = nlohmann::json::parse(result_file);

        std::vector<double> losses;
        FitCallbacks callbacks;
        callbacks.on_batch = [&](int64_t, double loss) { losses.push_back(loss); };
        const std::vector<EpochMetrics> history = Fit(network, training, {}, options, callbacks);
        const std::vector<double> oracle_losses = expected["losses"].get<std::vector<double>>();
        ASSERT_EQ(losses.size(), oracle_losses.size());
        for (size_t step = 0; step < losses.size(); ++step) {
          EXPECT_NEAR(losses[step], oracle_losses[step], 1e-5) << "step " << step;
        }
        // Keras's epoch loss: the batch losses weighted by batch size, over n.
        const size_t steps_per_epoch = batches.size() / kEpochs;
        for (int epoch = 0; epoch < kEpochs; ++epoch) {
          double sum = 0;
          for (size_t b = 0; b < steps_per_epoch; ++b) {
            const size_t step = epoch * steps_per_epoch + b;
            sum += oracle_losses[step] * static_cast<double>(batches[step].size());
          }
          EXPECT_NEAR(history[epoch].loss, sum / kExamples, 1e-5) << "epoch " << epoch;
        }
        for (int i = 0; i < kVocabulary; ++i) {
          for (int d = 0; d < kDim; ++d) {
            EXPECT_NEAR(p.embedding(i, d), expected["embedding"][i][d].get<double>(), 1e-5)
                << "embedding " << i << "," << d;
          }
        }
        for (int d = 0; d < kDim; ++d) {
          for (int k = 0; k < outputs; ++k) {
            EXPECT_NEAR(p.dense_kernel(d, k), expected["kernel"][d][k].get<double>(), 1e-5)
                << "kernel " << d << "," << k;
          }
        }
        for (int k = 0; k < outputs; ++k) {
          EXPECT_NEAR(p.dense_bias[k], expected["bias"][k].get<double>(), 1e-5) << "bias " << k;
        }
      }
    }
  }
  std::filesystem::remove_all(folder);
}

}  // namespace
}  // namespace sentiment
