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
#include "thread_pool.h"

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
  if (options.threads < 1) {
    throw InvalidInput("--threads must be at least 1, got " +
                       std::to_string(options.threads));
  }
}

// The dropout stream of one example visit: the seed, then a running count
// of examples seen (epoch * n + position in the epoch's order).
uint64_t DropoutKey(uint32_t seed, uint64_t visit) {
  return (static_cast<uint64_t>(seed) << 40) ^ visit;
}

Evaluation EvaluateWith(const Network& network, const VectorizedSet& data,
                        ThreadPool& pool) {
  const size_t length = network.config().sequence_length;
  std::vector<double> loss_sums(pool.size(), 0.0);
  std::vector<size_t> correct(pool.size(), 0);
  pool.ForRanges(data.size(), [&](size_t begin, size_t end, int thread) {
    for (size_t i = begin; i < end; ++i) {
      const float logit = network.Logit(
          std::span<const int32_t>(data.ids.data() + i * length, length));
      loss_sums[thread] += BinaryCrossEntropyFromLogit(logit, data.labels[i]);
      if ((logit > 0.0f) == (data.labels[i] > 0.5f)) ++correct[thread];
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

// Everything one thread needs for its share of a batch.
struct Worker {
  explicit Worker(const NetworkConfig& config)
      : gradients(config),
        masks(static_cast<size_t>(config.sequence_length + 1) *
              config.embedding_dim) {}
  Gradients gradients;
  std::vector<float> masks;  // one example's embedding then pooled masks
  std::vector<float> row_gradient;
  double loss_sum = 0.0;
  size_t correct = 0;
};

}  // namespace

Evaluation Evaluate(const Network& network, const VectorizedSet& data,
                    int threads) {
  ThreadPool pool(std::max(1, threads));
  return EvaluateWith(network, data, pool);
}

std::vector<EpochMetrics> Fit(
    Network& network, const VectorizedSet& training,
    const VectorizedSet& validation, const FitOptions& options,
    const std::function<void(int, const EpochMetrics&)>& on_epoch) {
  ValidateFitOptions(options);
  if (training.size() == 0) throw InvalidInput("the training set is empty");
  const NetworkConfig& config = network.config();
  const size_t length = config.sequence_length;
  const size_t dim = config.embedding_dim;
  const size_t rows = config.vocabulary_size;

  NetworkParameters& parameters = network.mutable_parameters();
  Adam adam(AdamOptions{.learning_rate = options.learning_rate},
            {rows * dim, dim, 1});
  RandomState order_random(options.seed);
  const DropoutSampler sampler(config.dropout);
  ThreadPool pool(options.threads);
  std::vector<Worker> workers;
  for (int i = 0; i < pool.size(); ++i) workers.emplace_back(config);

  std::vector<size_t> order(training.size());
  std::iota(order.begin(), order.end(), size_t{0});
  std::vector<EpochMetrics> history;
  uint64_t visits = 0;

  for (int epoch = 0; epoch < options.epochs; ++epoch) {
    order_random.Shuffle(order);
    for (Worker& worker : workers) worker.loss_sum = 0.0, worker.correct = 0;

    for (size_t start = 0; start < order.size(); start += options.batch_size) {
      const size_t batch =
          std::min(order.size() - start, static_cast<size_t>(options.batch_size));
      const float scale = 1.0f / static_cast<float>(batch);

      // Forward and backward: each thread takes a contiguous share of the
      // batch and accumulates into its own gradients.
      pool.ForRanges(batch, [&](size_t begin, size_t end, int thread) {
        Worker& worker = workers[thread];
        for (size_t k = begin; k < end; ++k) {
          const size_t example = order[start + k];
          sampler.Draw(DropoutKey(options.seed, visits + k), worker.masks);
          const float label = training.labels[example];
          const float logit = ExampleStep(
              network, training.ids.data() + example * length, label,
              worker.masks.data(), worker.masks.data() + length * dim, scale,
              &worker.gradients);
          worker.loss_sum += BinaryCrossEntropyFromLogit(logit, label);
          if ((logit > 0.0f) == (label > 0.5f)) ++worker.correct;
        }
      });
      visits += batch;

      // The update: sum the threads' gradients (in thread order) and apply
      // dense Adam to every embedding row, each thread a range of rows.
      adam.BeginStep();
      pool.ForRanges(rows, [&](size_t begin, size_t end, int thread) {
        std::vector<float>& gradient = workers[thread].row_gradient;
        constexpr size_t kRowsPerBlock = 256;
        for (size_t block = begin; block < end; block += kRowsPerBlock) {
          const size_t block_end = std::min(end, block + kRowsPerBlock);
          gradient.assign((block_end - block) * dim, 0.0f);
          for (Worker& worker : workers) {
            Gradients& g = worker.gradients;
            for (size_t row = block; row < block_end; ++row) {
              if (!g.row_touched[row]) continue;
              float* source = g.embedding.row(row).data();
              float* target = gradient.data() + (row - block) * dim;
              for (size_t d = 0; d < dim; ++d) {
                target[d] += source[d];
                source[d] = 0.0f;
              }
              g.row_touched[row] = 0;
            }
          }
          adam.ApplyRange(0, block * dim,
                          {parameters.embedding.data() + block * dim,
                           (block_end - block) * dim},
                          gradient);
        }
      });
      Eigen::VectorXf kernel_gradient = Eigen::VectorXf::Zero(dim);
      float bias_gradient = 0.0f;
      for (Worker& worker : workers) {
        kernel_gradient += worker.gradients.dense_kernel;
        bias_gradient += worker.gradients.dense_bias;
        worker.gradients.dense_kernel.setZero();
        worker.gradients.dense_bias = 0.0f;
      }
      adam.Apply(1, {parameters.dense_kernel.data(), dim},
                 {kernel_gradient.data(), dim});
      adam.Apply(2, {&parameters.dense_bias, 1}, {&bias_gradient, 1});
    }

    EpochMetrics metrics;
    double loss_sum = 0.0;
    size_t correct = 0;
    for (const Worker& worker : workers) {
      loss_sum += worker.loss_sum;
      correct += worker.correct;
    }
    const double n = static_cast<double>(training.size());
    metrics.loss = loss_sum / n;
    metrics.accuracy = static_cast<double>(correct) / n;
    // The loss starts near log 2 = 0.69; a mean over 1000 means logits in
    // the thousands on the wrong side, which no useful run reaches, while a
    // huge learning rate can get there without ever overflowing a float.
    constexpr double kDivergedLoss = 1000.0;
    if (!std::isfinite(metrics.loss) || metrics.loss > kDivergedLoss ||
        !parameters.embedding.allFinite() ||
        !parameters.dense_kernel.allFinite() ||
        !std::isfinite(parameters.dense_bias)) {
      throw InvalidInput(
          "training diverged in epoch " + std::to_string(epoch + 1) +
          ": the loss is " +
          (std::isfinite(metrics.loss)
               ? std::to_string(metrics.loss) + ", over 1000"
               : std::string("not finite")) +
          "; try a smaller --learning-rate");
    }
    const Evaluation held_out = EvaluateWith(network, validation, pool);
    metrics.val_loss = held_out.loss;
    metrics.val_accuracy = held_out.accuracy;
    history.push_back(metrics);
    if (on_epoch) on_epoch(epoch, metrics);
  }
  return history;
}

}  // namespace sentiment
