#include "sentiment/trainer.h"

#include <cmath>
#include <limits>
#include <numeric>
#include <string>

#include "sentiment/adam.h"
#include "sentiment/error.h"
#include "sentiment/loss.h"
#include "sentiment/numpy_random.h"
#include "sentiment/training_step.h"

namespace sentiment {
namespace {

void ValidateFitOptions(const FitOptions& options) {
  if (options.epochs < 1) {
    throw InvalidInput("--epochs must be at least 1, got " +
                       std::to_string(options.epochs));
  }
  if (options.batch_size < 1) {
    throw InvalidInput("--batch-size must be at least 1, got " +
                       std::to_string(options.batch_size));
  }
  if (!(options.learning_rate > 0.0f) || !std::isfinite(options.learning_rate)) {
    throw InvalidInput("--learning-rate must be a positive number, got " +
                       std::to_string(options.learning_rate));
  }
}

// Distinct streams for the two uses of randomness, both fixed by the seed.
constexpr uint32_t kDropoutStream = 0x9E3779B9u;

}  // namespace

Evaluation Evaluate(const Network& network, const VectorizedSet& data) {
  const size_t length = network.config().sequence_length;
  double loss_sum = 0.0;
  size_t correct = 0;
  for (size_t i = 0; i < data.size(); ++i) {
    const float logit = network.Logit(
        std::span<const int32_t>(data.ids.data() + i * length, length));
    loss_sum += BinaryCrossEntropyFromLogit(logit, data.labels[i]);
    if ((logit > 0.0f) == (data.labels[i] > 0.5f)) ++correct;
  }
  Evaluation evaluation;
  if (data.size() > 0) {
    evaluation.loss = loss_sum / static_cast<double>(data.size());
    evaluation.accuracy =
        static_cast<double>(correct) / static_cast<double>(data.size());
  } else {
    evaluation.loss = evaluation.accuracy =
        std::numeric_limits<double>::quiet_NaN();
  }
  return evaluation;
}

std::vector<EpochMetrics> Fit(
    Network& network, const VectorizedSet& training,
    const VectorizedSet& validation, const FitOptions& options,
    const std::function<void(int, const EpochMetrics&)>& on_epoch) {
  ValidateFitOptions(options);
  if (training.size() == 0) throw InvalidInput("the training set is empty");
  const NetworkConfig& config = network.config();
  const size_t length = config.sequence_length;

  NetworkParameters& parameters = network.mutable_parameters();
  Adam adam(AdamOptions{.learning_rate = options.learning_rate},
            {static_cast<size_t>(parameters.embedding.size()),
             static_cast<size_t>(parameters.dense_kernel.size()), 1});
  RandomState order_random(options.seed);
  RandomState dropout_random(options.seed ^ kDropoutStream);
  Gradients gradients(config);

  std::vector<size_t> order(training.size());
  std::iota(order.begin(), order.end(), size_t{0});
  std::vector<int32_t> batch_ids;
  std::vector<float> batch_labels;
  std::vector<EpochMetrics> history;

  for (int epoch = 0; epoch < options.epochs; ++epoch) {
    order_random.Shuffle(order);
    double loss_sum = 0.0;
    size_t correct = 0;
    for (size_t start = 0; start < order.size(); start += options.batch_size) {
      const size_t end =
          std::min(order.size(), start + static_cast<size_t>(options.batch_size));
      batch_ids.clear();
      batch_labels.clear();
      for (size_t k = start; k < end; ++k) {
        const int32_t* row = training.ids.data() + order[k] * length;
        batch_ids.insert(batch_ids.end(), row, row + length);
        batch_labels.push_back(training.labels[order[k]]);
      }
      const DropoutMasks masks = DropoutMasks::Draw(
          static_cast<int>(end - start), config.sequence_length,
          config.embedding_dim, config.dropout, dropout_random);
      const BatchResult result =
          ForwardBackward(network, batch_ids, batch_labels, masks, &gradients);
      loss_sum += result.loss_sum;
      correct += result.correct;

      adam.BeginStep();
      adam.Apply(0, {parameters.embedding.data(),
                     static_cast<size_t>(parameters.embedding.size())},
                 {gradients.embedding.data(),
                  static_cast<size_t>(gradients.embedding.size())});
      adam.Apply(1, {parameters.dense_kernel.data(),
                     static_cast<size_t>(parameters.dense_kernel.size())},
                 {gradients.dense_kernel.data(),
                  static_cast<size_t>(gradients.dense_kernel.size())});
      adam.Apply(2, {&parameters.dense_bias, 1}, {&gradients.dense_bias, 1});
    }

    EpochMetrics metrics;
    const double n = static_cast<double>(training.size());
    metrics.loss = loss_sum / n;
    metrics.accuracy = static_cast<double>(correct) / n;
    if (!std::isfinite(metrics.loss) || !parameters.embedding.allFinite() ||
        !parameters.dense_kernel.allFinite() ||
        !std::isfinite(parameters.dense_bias)) {
      throw InvalidInput("training diverged: the loss is not finite in epoch " +
                         std::to_string(epoch + 1) +
                         "; try a smaller --learning-rate");
    }
    const Evaluation held_out = Evaluate(network, validation);
    metrics.val_loss = held_out.loss;
    metrics.val_accuracy = held_out.accuracy;
    history.push_back(metrics);
    if (on_epoch) on_epoch(epoch, metrics);
  }
  return history;
}

}  // namespace sentiment
