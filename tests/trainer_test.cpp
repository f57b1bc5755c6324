#include "sentiment/trainer.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <vector>

#include "batch_gradients.h"
#include "sentiment/error.h"
#include "sentiment/training_step.h"
#include "sentiment/loss.h"

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

VectorizedSet ThreeClassSet(int examples);  // below

// The histogram the validation pass should record, computed serially from
// the network's inference logits (dropout off).
LogitHistogram SerialHistogram(const Network& network, const VectorizedSet& set,
                               int classes) {
  std::vector<float> margins;
  std::vector<float> logits(network.config().outputs);
  for (size_t i = 0; i < set.size(); ++i) {
    network.Logits(std::span<const int32_t>(set.ids.data() + i * kLength, kLength),
                   logits);
    margins.push_back(LogitMargin(logits, set.labels[i]));
  }
  return HistogramOfMargins(margins, set.labels, classes);
}

// Every epoch's histogram is the one of the weights at the epoch's end, on
// any thread count (integer counts, means summed in example order).
TEST(TrainerTest, RecordsTheValidationLogitsOfEveryEpoch) {
  for (const int threads : {1, 2, 3}) {
    for (const int outputs : {1, 3}) {
      Network network = Network::Initialize(
          NetworkConfig{.vocabulary_size = 10, .sequence_length = kLength,
                        .embedding_dim = 8, .outputs = outputs, .dropout = 0.2f},
          1);
      const int classes = outputs == 1 ? 2 : 3;
      const VectorizedSet training = outputs == 1 ? SeparableSet(48) : ThreeClassSet(48);
      const VectorizedSet validation = outputs == 1 ? SeparableSet(21) : ThreeClassSet(21);
      std::vector<LogitHistogram> expected;
      FitCallbacks callbacks;
      callbacks.on_epoch = [&](int, const EpochMetrics&) {
        expected.push_back(SerialHistogram(network, validation, classes));
      };
      const auto history = Fit(network, training, validation,
                               FitOptions{.epochs = 4, .batch_size = 8,
                                          .learning_rate = 0.05f, .threads = threads},
                               callbacks);
      ASSERT_EQ(expected.size(), history.size());
      for (size_t e = 0; e < history.size(); ++e) {
        const LogitHistogram& recorded = history[e].val_logits;
        EXPECT_EQ(recorded.counts, expected[e].counts) << threads << " " << e;
        EXPECT_EQ(recorded.means, expected[e].means) << threads << " " << e;
        int64_t correct = 0, total = 0;
        for (int k = 0; k < classes; ++k) {
          correct += recorded.Correct(k, classes);
          total += recorded.Total(k);
        }
        EXPECT_EQ(total, 21);
        // Ties aside (none here), the correct side of 0 is val_accuracy.
        EXPECT_NEAR(static_cast<double>(correct) / 21.0, history[e].val_accuracy, 1e-12);
      }
    }
  }
}

TEST(TrainerTest, NoValidationSetRecordsNoHistogram) {
  Network network = SmallNetwork(1);
  const auto history = Fit(network, SeparableSet(8), {}, FitOptions{.epochs = 2});
  EXPECT_TRUE(history[0].val_logits.empty());
  EXPECT_TRUE(history[1].val_logits.empty());
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

TEST(TrainerTest, BestEpochIsTheFirstWithTheLowestValidationLoss) {
  const auto epoch = [](double val_loss) {
    return EpochMetrics{.loss = 1, .accuracy = 0, .val_loss = val_loss, .val_accuracy = 0};
  };
  EXPECT_EQ(BestEpoch({epoch(0.5), epoch(0.4), epoch(0.4), epoch(0.6)}), 1);
  EXPECT_EQ(BestEpoch({epoch(0.3)}), 0);
  EXPECT_EQ(BestEpoch({}), -1);
  EXPECT_EQ(BestEpoch({epoch(std::nan(""))}), -1);
}

// A learning rate this high overfits the tiny set at once, so the
// validation loss rises after a few epochs: training stops `patience`
// epochs after the best one and keeps that epoch's weights.
TEST(TrainerTest, EarlyStoppingStopsAfterPatienceAndKeepsTheBestWeights) {
  VectorizedSet training = SeparableSet(32);
  // Validation labels disagree with the training pattern, so learning the
  // training set makes the validation loss worse.
  VectorizedSet validation = SeparableSet(8);
  for (int32_t& label : validation.labels) label = 1 - label;
  FitOptions options{.epochs = 50, .batch_size = 8, .learning_rate = 0.05f};
  options.patience = 3;
  Network network = SmallNetwork(2);
  const auto history = Fit(network, training, validation, options);
  const int best = BestEpoch(history);
  ASSERT_GE(best, 0);
  // It ran exactly `patience` epochs past the best one, not all 50.
  EXPECT_EQ(static_cast<int>(history.size()), best + 1 + 3);
  // The network holds the best epoch's weights: its validation loss is the
  // best epoch's, not the last's.
  EXPECT_NEAR(Evaluate(network, validation).loss, history[best].val_loss, 1e-6);
  EXPECT_GT(history.back().val_loss, history[best].val_loss);

  // Rerun without early stopping for as many epochs: identical history,
  // then the last weights.
  Network plain = SmallNetwork(2);
  FitOptions no_stop = options;
  no_stop.patience = 0;
  no_stop.epochs = static_cast<int>(history.size());
  const auto plain_history = Fit(plain, training, validation, no_stop);
  for (size_t i = 0; i < history.size(); ++i) {
    EXPECT_EQ(plain_history[i].val_loss, history[i].val_loss) << i;
  }
  EXPECT_NEAR(Evaluate(plain, validation).loss, history.back().val_loss, 1e-6);
}

// should_stop after 14 Adam steps of 4 per epoch: 3 epochs complete, the
// fourth is cut after 2 batches and left out; early stopping's restore puts
// back the best completed epoch's weights, exactly those of a run of 3
// epochs with the same options.
TEST(TrainerTest, ShouldStopEndsTrainingAtOnceAndKeepsTheBestCompletedEpoch) {
  VectorizedSet training = SeparableSet(32);
  VectorizedSet validation = SeparableSet(8);
  for (int32_t& label : validation.labels) label = 1 - label;
  FitOptions options{.epochs = 50, .batch_size = 8, .learning_rate = 0.05f};
  options.patience = 40;
  int64_t steps = 0;
  FitCallbacks callbacks;
  callbacks.on_batch = [&](int64_t, double) { ++steps; };
  callbacks.should_stop = [&] { return steps == 14; };
  Network network = SmallNetwork(2);
  const auto history = Fit(network, training, validation, options, callbacks);
  EXPECT_EQ(steps, 14);
  ASSERT_EQ(history.size(), 3u);

  FitOptions three = options;
  three.epochs = 3;
  Network reference = SmallNetwork(2);
  const auto reference_history = Fit(reference, training, validation, three);
  ASSERT_EQ(reference_history.size(), 3u);
  for (size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(history[i].val_loss, reference_history[i].val_loss) << i;
  }
  EXPECT_TRUE(network.parameters().embedding == reference.parameters().embedding);
  EXPECT_EQ(network.parameters().dense_bias, reference.parameters().dense_bias);
  EXPECT_NEAR(Evaluate(network, validation).loss,
              history[BestEpoch(history)].val_loss, 1e-6);

  // Without patience the weights are the stop point's: 2 steps past the
  // third epoch, so not the 3-epoch run's.
  steps = 0;
  options.patience = 0;
  Network unrestored = SmallNetwork(2);
  EXPECT_EQ(Fit(unrestored, training, validation, options, callbacks).size(), 3u);
  EXPECT_FALSE(unrestored.parameters().embedding ==
               reference.parameters().embedding);
}

TEST(TrainerTest, EarlyStoppingNeedsAValidationSet) {
  Network network = SmallNetwork(1);
  FitOptions options{.epochs = 3};
  options.patience = 2;
  EXPECT_THROW(Fit(network, SeparableSet(8), {}, options), Error);
}

// Logits from crafted weights for the class decision at its edges.
// Sequence length 1 and an identity-like kernel: id i's logits are
// embedding row i exactly (0 * anything adds nothing), bias zero.
Network DecisionNetwork(const std::vector<std::vector<float>>& rows) {
  const int outputs = static_cast<int>(rows[0].size());
  NetworkConfig config{.vocabulary_size = static_cast<int>(rows.size()),
                       .sequence_length = 1,
                       .embedding_dim = outputs,
                       .outputs = outputs,
                       .dropout = 0.0f};
  NetworkParameters p;
  p.embedding.resize(config.vocabulary_size, outputs);
  for (size_t i = 0; i < rows.size(); ++i) {
    for (int k = 0; k < outputs; ++k) p.embedding(i, k) = rows[i][k];
  }
  p.dense_kernel = EmbeddingMatrix::Identity(outputs, outputs);
  p.dense_bias = Eigen::VectorXf::Zero(outputs);
  return Network(config, p);
}

// Binary: logits 0, 2, -2 for labels 1, 1, 0. A logit of exactly 0 is
// class 0, so 2 of 3 are right (3 of 3 if 0 counted as class 1).
const std::vector<std::vector<float>> kBinaryRows = {{0.0f}, {2.0f}, {-2.0f}};
const VectorizedSet kBinarySet{{0, 1, 2}, {1, 1, 0}};

// Three classes: every row ties, and the label is the lowest tied index:
// all right when ties go to the lowest index, all wrong when they go to the
// highest.
const std::vector<std::vector<float>> kTiedRows = {
    {0.0f, 0.0f, 0.0f}, {-1.0f, 2.0f, 2.0f}, {1.0f, 1.0f, 0.0f},
    {0.0f, -1.0f, 0.0f}};
const VectorizedSet kTiedSet{{0, 1, 2, 3}, {0, 1, 0, 0}};

TEST(TrainerTest, EvaluateBreaksTiesTowardTheLowestClass) {
  EXPECT_EQ(Evaluate(DecisionNetwork(kTiedRows), kTiedSet).accuracy, 1.0);
}

// Fit's accuracy comes from each batch's forward pass before its update:
// with the whole set in one batch and dropout off, the first epoch's
// accuracy is that of the crafted weights.
double FirstEpochAccuracy(Network network, const VectorizedSet& set) {
  const auto history =
      Fit(network, set, {},
          FitOptions{.epochs = 1,
                     .batch_size = static_cast<int>(set.size()),
                     .learning_rate = 1e-3f});
  return history[0].accuracy;
}

TEST(TrainerTest, TrainingAccuracyCountsLogitZeroAsFirstClass) {
  const Network network = DecisionNetwork(kBinaryRows);
  EXPECT_NEAR(FirstEpochAccuracy(network, kBinarySet), 2.0 / 3.0, 1e-12);
  // The same decision as Evaluate's.
  EXPECT_NEAR(Evaluate(network, kBinarySet).accuracy, 2.0 / 3.0, 1e-12);
}

TEST(TrainerTest, TrainingAccuracyBreaksTiesTowardTheLowestClass) {
  EXPECT_EQ(FirstEpochAccuracy(DecisionNetwork(kTiedRows), kTiedSet), 1.0);
}

// Fit takes each epoch's examples in EpochOrder's order, one batch after
// another. With batches of one example and a learning rate too small to
// move any weight, step s reports the loss of the example at position s,
// and every example has its own loss.
TEST(TrainerTest, FitVisitsTheExamplesInEachEpochsOrder) {
  constexpr int kN = 12;
  constexpr int kEpochs = 3;
  constexpr uint32_t kSeed = 5;
  std::vector<std::vector<float>> rows;
  VectorizedSet set;
  for (int i = 0; i < kN; ++i) {
    rows.push_back({0.25f * static_cast<float>(i)});
    set.ids.push_back(i);
    set.labels.push_back(0);
  }
  Network network = DecisionNetwork(rows);
  std::vector<double> losses;
  FitCallbacks callbacks;
  callbacks.on_batch = [&](int64_t, double loss) { losses.push_back(loss); };
  Fit(network, set, {},
      FitOptions{.epochs = kEpochs, .batch_size = 1, .learning_rate = 1e-30f,
                 .seed = kSeed},
      callbacks);
  ASSERT_EQ(losses.size(), static_cast<size_t>(kN * kEpochs));
  EpochOrder order(kN, kSeed);
  for (int epoch = 0; epoch < kEpochs; ++epoch) {
    const std::vector<size_t>& examples = order.Next();
    for (int k = 0; k < kN; ++k) {
      const int32_t id = static_cast<int32_t>(examples[k]);
      const double expected =
          LossFromLogits(network.Logits(std::span<const int32_t>(&id, 1)), 0);
      EXPECT_NEAR(losses[epoch * kN + k], expected, 1e-6)
          << "epoch " << epoch << " step " << k;
    }
  }
}

// numpy: rs = RandomState(derive_seed(42, 2)); order = arange(10);
// rs.shuffle(order) before each epoch (tests/training_oracle.py --orders
// 10 42 3).
TEST(EpochOrderTest, MatchesNumpyShufflesOfTheDerivedSeed) {
  EpochOrder order(10, 42);
  EXPECT_EQ(order.Next(), (std::vector<size_t>{2, 0, 9, 1, 8, 4, 7, 3, 6, 5}));
  EXPECT_EQ(order.Next(), (std::vector<size_t>{2, 5, 8, 9, 3, 6, 0, 4, 1, 7}));
  EXPECT_EQ(order.Next(), (std::vector<size_t>{2, 8, 5, 6, 0, 1, 4, 3, 9, 7}));
}

TEST(EpochOrderTest, ReshufflesThePreviousOrderEveryEpoch) {
  constexpr size_t kN = 50;
  for (uint32_t seed : {0u, 7u, 4294967295u}) {
    EpochOrder order(kN, seed);
    RandomState random(DeriveSeed(seed, SeedStream::kEpochShuffles));
    std::vector<size_t> expected(kN);
    std::iota(expected.begin(), expected.end(), size_t{0});
    std::vector<size_t> previous;
    for (int epoch = 0; epoch < 5; ++epoch) {
      random.Shuffle(expected);
      const std::vector<size_t> actual = order.Next();
      EXPECT_EQ(actual, expected) << "seed " << seed << " epoch " << epoch;
      EXPECT_NE(actual, previous) << "seed " << seed << " epoch " << epoch;
      std::vector<size_t> sorted = actual;
      std::sort(sorted.begin(), sorted.end());
      for (size_t i = 0; i < kN; ++i) ASSERT_EQ(sorted[i], i);
      previous = actual;
    }
  }
}

// Dropout masks come from the example's visit number: with a learning rate
// too small to move the weights, each step's loss (batches of one) is the
// example's loss under the masks of DropoutKey(seed, visit), visit counting
// every example seen so far (so no two steps reuse a mask).
TEST(TrainerTest, EachVisitDrawsTheDropoutMasksOfItsOwnKey) {
  const VectorizedSet training = SeparableSet(3);
  const Network initial = SmallNetwork(5);
  ASSERT_EQ(initial.config().dropout, 0.2f);
  FitOptions options{.epochs = 2, .batch_size = 1, .learning_rate = 1e-30f};
  options.seed = 9;
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

}  // namespace
}  // namespace sentiment
