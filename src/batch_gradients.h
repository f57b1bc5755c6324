// The gradient of one batch's loss, on a thread pool: each thread runs the
// forward and backward pass over a contiguous share of the batch into its
// own gradient buffers, and reading the gradient sums the buffers in thread
// order and zeroes them. This is the path training takes (trainer.cpp), and
// the one the gradient tests check.
#ifndef SENTIMENT_SRC_BATCH_GRADIENTS_H_
#define SENTIMENT_SRC_BATCH_GRADIENTS_H_

#include <cstdint>
#include <functional>
#include <span>
#include <vector>

#include "sentiment/network.h"
#include "sentiment/trainer.h"
#include "sentiment/training_step.h"
#include "thread_pool.h"

namespace sentiment {

// The dropout stream of one example visit: the seed, then a running count
// of examples seen (epoch * n + position in the epoch's order).
inline uint64_t DropoutKey(uint32_t seed, uint64_t visit) {
  return (static_cast<uint64_t>(seed) << 40) ^ visit;
}

// Sums over a batch, for the epoch's metrics.
struct BatchTotals {
  double loss_sum = 0.0;        // sum of weight * loss
  double weight_sum = 0.0;      // sum of the examples' weights
  double correct_weight = 0.0;  // sum of the weights of correct examples
};

class BatchGradients {
 public:
  // Buffers for every thread of `pool`, which must outlive this object.
  BatchGradients(const NetworkConfig& config, ThreadPool& pool);

  // Adds the gradient of the batch loss (sum over the batch of
  // weight * loss, over the batch size, as Keras's "sum_over_batch_size"
  // reduction with sample weights) for the examples `batch` of `data`.
  // Example k of the batch is visit first_visit + k: its dropout masks come
  // from DropoutKey(seed, first_visit + k). `class_weights` gives each
  // class's weight (empty: all 1).
  BatchTotals Accumulate(const Network& network, const VectorizedSet& data,
                         std::span<const size_t> batch,
                         const DropoutSampler& sampler, uint32_t seed,
                         uint64_t first_visit,
                         std::span<const float> class_weights);

  // The summed embedding gradient, a block of rows at a time on the pool's
  // threads: apply(first_row, gradient) gets the gradient of the rows from
  // first_row on (a multiple of embedding_dim values, every row of the
  // vocabulary covered once). Zeroes the buffers it read.
  void ConsumeEmbedding(
      const std::function<void(size_t, std::span<const float>)>& apply);

  // Writes the summed Dense gradients into `kernel` (embedding_dim x
  // outputs) and `bias` (outputs) and zeroes the buffers.
  void ConsumeDense(std::span<float> kernel, std::span<float> bias);

 private:
  struct Worker {
    explicit Worker(const NetworkConfig& config)
        : gradients(config), buffers(config) {}
    Gradients gradients;
    ExampleBuffers buffers;
    BatchTotals totals;
  };

  NetworkConfig config_;
  ThreadPool& pool_;
  std::vector<Worker> workers_;
};

}  // namespace sentiment

#endif  // SENTIMENT_SRC_BATCH_GRADIENTS_H_
