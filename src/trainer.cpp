#include "sentiment/trainer.h"

#include <cmath>
#include <limits>
#include <numeric>
#include <optional>
#include <string>

#include "batch_gradients.h"
#include "flush_denormals.h"
#include "sentiment/activation.h"
#include "sentiment/adam.h"
#include "sentiment/error.h"
#include "sentiment/loss.h"
#include "sentiment/training_step.h"
#include "thread_pool.h"

namespace sentiment {
namespace {

void ValidateFitOptions(const FitOptions& options, int classes) {
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
  if (options.threads < 1) {
    throw InvalidInput("--threads must be at least 1, got " +
                       std::to_string(options.threads));
  }
  if (options.patience < 0) {
    throw InvalidInput("--patience must be at least 0, got " +
                       std::to_string(options.patience));
  }
  if (!options.class_weights.empty() &&
      static_cast<int>(options.class_weights.size()) != classes) {
    throw InvalidInput("class weights: " +
                       std::to_string(options.class_weights.size()) +
                       " given for " + std::to_string(classes) + " classes");
  }
}

// The classes a network's outputs stand for: 2 for one logit.
int ClassCount(const NetworkConfig& config) {
  return config.outputs == 1 ? 2 : config.outputs;
}

// With `margins`, also writes each example's LogitMargin there (resized to
// the set), in example order whatever the thread count.
Evaluation EvaluateWith(const Network& network, const VectorizedSet& data,
                        ThreadPool& pool, float temperature = 1.0f,
                        std::vector<float>* margins = nullptr) {
  if (margins != nullptr) margins->assign(data.size(), 0.0f);
  const size_t length = network.config().sequence_length;
  std::vector<double> loss_sums(pool.size(), 0.0);
  std::vector<size_t> correct(pool.size(), 0);
  const std::vector<float> token_scores =
      network.TokenScoresFor(static_cast<int64_t>(data.size() * length));
  pool.ForRanges(data.size(), [&](size_t begin, size_t end, int thread) {
    std::vector<float> logits(network.config().outputs);
    std::vector<double> sums(logits.size());
    for (size_t i = begin; i < end; ++i) {
      network.LogitsFromTokenScores(
          token_scores,
          std::span<const int32_t>(data.ids.data() + i * length, length), sums,
          logits);
      if (PredictedClass(logits) == data.labels[i]) ++correct[thread];
      if (margins != nullptr) (*margins)[i] = LogitMargin(logits, data.labels[i]);
      if (temperature != 1.0f) {
        for (float& z : logits) z /= temperature;
      }
      loss_sums[thread] += LossFromLogits(logits, data.labels[i]);
    }
  });
  Evaluation evaluation;
  if (data.size() == 0) {
    evaluation.loss = evaluation.accuracy =
        std::numeric_limits<double>::quiet_NaN();
    return evaluation;
  }
  const double n = static_cast<double>(data.size());
  evaluation.loss = std::accumulate(loss_sums.begin(), loss_sums.end(), 0.0) / n;
  evaluation.accuracy =
      static_cast<double>(std::accumulate(correct.begin(), correct.end(), size_t{0})) / n;
  return evaluation;
}

// Fit's state and its steps: one epoch is batches of forward and backward
// passes, each followed by an Adam update, then the metrics, a divergence
// check and validation.
class Trainer {
 public:
  Trainer(Network& network, const VectorizedSet& training,
          const VectorizedSet& validation, const FitOptions& options,
          const FitCallbacks& callbacks)
      : network_(network),
        training_(training),
        validation_(validation),
        options_(options),
        callbacks_(callbacks),
        pool_(options.threads),
        gradients_(network.config(), pool_),
        sampler_(network.config().dropout),
        adam_(AdamOptions{.learning_rate = options.learning_rate},
              {static_cast<size_t>(network.parameters().embedding.size()),
               static_cast<size_t>(network.parameters().dense_kernel.size()),
               static_cast<size_t>(network.parameters().dense_bias.size())}),
        order_(training.size(), options.seed),
        kernel_gradient_(network.parameters().dense_kernel.size()),
        bias_gradient_(network.parameters().dense_bias.size()) {
    // The thread count decides the order gradients are summed in, so the
    // weights: training on fewer threads than asked (the system refused
    // some) would silently break reproducibility.
    if (pool_.size() != options.threads) {
      throw InvalidInput("could start only " + std::to_string(pool_.size()) +
                         " of " + std::to_string(options.threads) +
                         " training threads; pass --threads " +
                         std::to_string(pool_.size()));
    }
  }

  std::vector<EpochMetrics> Run() {
    std::vector<EpochMetrics> history;
    for (int epoch = 0; epoch < options_.epochs; ++epoch) {
      std::optional<EpochMetrics> trained = TrainEpoch();
      if (!trained) break;  // stopped by should_stop
      EpochMetrics metrics = *trained;
      CheckNotDiverged(epoch, metrics);
      const Evaluation held_out =
          EvaluateWith(network_, validation_, pool_, 1.0f, &margins_);
      metrics.val_loss = held_out.loss;
      metrics.val_accuracy = held_out.accuracy;
      metrics.val_logits = HistogramOfMargins(margins_, validation_.labels,
                                              ClassCount(network_.config()));
      history.push_back(metrics);
      if (callbacks_.on_epoch) callbacks_.on_epoch(epoch, metrics);
      if (options_.patience > 0 && ShouldStop(epoch, metrics.val_loss)) break;
    }
    if (best_parameters_) network_.mutable_parameters() = *best_parameters_;
    return history;
  }

 private:
  // Keras's EarlyStopping.on_epoch_end with restore_best_weights: keeps a
  // copy of the best weights; true once `patience` epochs have passed
  // without a strictly lower validation loss.
  bool ShouldStop(int epoch, double val_loss) {
    ++wait_;
    if (val_loss < best_val_loss_) {
      best_val_loss_ = val_loss;
      best_parameters_ = network_.parameters();
      wait_ = 0;
      return false;
    }
    return wait_ >= options_.patience && epoch > 0;
  }

  // One pass over the training set in this epoch's order; nothing when
  // should_stop interrupted it.
  std::optional<EpochMetrics> TrainEpoch() {
    const std::vector<size_t>& order = order_.Next();
    BatchTotals epoch;
    const size_t batch_size = static_cast<size_t>(options_.batch_size);
    for (size_t start = 0; start < order.size(); start += batch_size) {
      const std::span<const size_t> batch(
          order.data() + start, std::min(batch_size, order.size() - start));
      const BatchTotals totals = gradients_.Accumulate(
          network_, training_, batch, sampler_, options_.seed, visits_,
          options_.class_weights);
      visits_ += batch.size();
      ApplyUpdate();
      if (callbacks_.on_batch) {
        callbacks_.on_batch(steps_, totals.loss_sum / static_cast<double>(batch.size()));
      }
      ++steps_;
      if (callbacks_.should_stop && callbacks_.should_stop()) return std::nullopt;
      epoch.loss_sum += totals.loss_sum;
      epoch.weight_sum += totals.weight_sum;
      epoch.correct_weight += totals.correct_weight;
    }
    // Keras averages the batch losses weighted by batch size, so the epoch
    // loss is the weighted loss summed over every example, over their count;
    // accuracy with sample weights is their weighted mean.
    EpochMetrics metrics;
    metrics.loss = epoch.loss_sum / static_cast<double>(order.size());
    metrics.accuracy = epoch.weight_sum > 0 ? epoch.correct_weight / epoch.weight_sum
                                            : 0.0;
    return metrics;
  }

  // Dense Adam on every parameter, as Keras applies it: the embedding in
  // blocks of rows on the pool's threads as the summed gradient arrives,
  // then the Dense layer.
  void ApplyUpdate() {
    NetworkParameters& parameters = network_.mutable_parameters();
    adam_.BeginStep();
    float* embedding = parameters.embedding.data();
    const size_t dim = network_.config().embedding_dim;
    gradients_.ConsumeEmbedding([&](size_t first_row, std::span<const float> gradient) {
      adam_.ApplyRange(0, first_row * dim,
                       {embedding + first_row * dim, gradient.size()}, gradient);
    });
    gradients_.ConsumeDense(kernel_gradient_, bias_gradient_);
    adam_.Apply(1, {parameters.dense_kernel.data(), kernel_gradient_.size()},
                kernel_gradient_);
    adam_.Apply(2, {parameters.dense_bias.data(), bias_gradient_.size()},
                bias_gradient_);
  }

  // The loss starts near log K; a mean over 1000 means logits in the
  // thousands on the wrong side, which no useful run reaches, while a huge
  // learning rate can get there without ever overflowing a float.
  void CheckNotDiverged(int epoch, const EpochMetrics& metrics) const {
    constexpr double kDivergedLoss = 1000.0;
    const NetworkParameters& parameters = network_.parameters();
    if (std::isfinite(metrics.loss) && metrics.loss <= kDivergedLoss &&
        parameters.embedding.allFinite() && parameters.dense_kernel.allFinite() &&
        parameters.dense_bias.allFinite()) {
      return;
    }
    char loss[64];
    std::snprintf(loss, sizeof loss, "%g", metrics.loss);
    throw InvalidInput("training diverged in epoch " + std::to_string(epoch + 1) +
                       ": the loss is " +
                       (std::isfinite(metrics.loss)
                            ? std::string(loss) + ", over 1000"
                            : std::string("not finite")) +
                       "; try a smaller --learning-rate");
  }

  Network& network_;
  const VectorizedSet& training_;
  const VectorizedSet& validation_;
  const FitOptions& options_;
  const FitCallbacks& callbacks_;
  ThreadPool pool_;
  BatchGradients gradients_;
  DropoutSampler sampler_;
  Adam adam_;
  EpochOrder order_;
  std::vector<float> kernel_gradient_;
  std::vector<float> bias_gradient_;
  std::vector<float> margins_;  // the validation pass's, reused every epoch
  uint64_t visits_ = 0;
  int64_t steps_ = 0;
  // Early stopping's state.
  double best_val_loss_ = std::numeric_limits<double>::infinity();
  std::optional<NetworkParameters> best_parameters_;
  int wait_ = 0;
};

}  // namespace

EpochOrder::EpochOrder(size_t n, uint32_t seed)
    : random_(DeriveSeed(seed, SeedStream::kEpochShuffles)), order_(n) {
  std::iota(order_.begin(), order_.end(), size_t{0});
}

const std::vector<size_t>& EpochOrder::Next() {
  random_.Shuffle(order_);
  return order_;
}

Evaluation Evaluate(const Network& network, const VectorizedSet& data,
                    int threads, float temperature) {
  ThreadPool pool(std::max(1, threads));
  return EvaluateWith(network, data, pool, temperature);
}

std::vector<float> BalancedClassWeights(std::span<const int32_t> labels,
                                        int classes) {
  std::vector<size_t> counts(classes, 0);
  for (int32_t label : labels) ++counts[label];
  std::vector<float> weights(classes, 0.0f);
  for (int k = 0; k < classes; ++k) {
    if (counts[k] > 0) {
      weights[k] = static_cast<float>(static_cast<double>(labels.size()) /
                                      (static_cast<double>(classes) * counts[k]));
    }
  }
  return weights;
}

int BestEpoch(const std::vector<EpochMetrics>& history) {
  int best = -1;
  for (size_t i = 0; i < history.size(); ++i) {
    if (std::isnan(history[i].val_loss)) continue;
    if (best < 0 || history[i].val_loss < history[best].val_loss) {
      best = static_cast<int>(i);
    }
  }
  return best;
}

std::vector<EpochMetrics> Fit(Network& network, const VectorizedSet& training,
                              const VectorizedSet& validation,
                              const FitOptions& options,
                              const FitCallbacks& callbacks) {
  ValidateFitOptions(options, ClassCount(network.config()));
  if (training.size() == 0) throw InvalidInput("the training set is empty");
  if (options.patience > 0 && validation.size() == 0) {
    throw InvalidInput(
        "--patience needs a validation set to watch; set --validation-split "
        "above 0");
  }
  // Before the trainer's thread pool starts, so its workers inherit it.
  const ScopedFlushDenormals flush_denormals;
  return Trainer(network, training, validation, options, callbacks).Run();
}

}  // namespace sentiment
