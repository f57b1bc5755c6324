// One forward and backward pass of the network on a batch, with dropout.
// The dropout masks are an input, so a test can fix them and check the
// gradients against finite differences.
#ifndef SENTIMENT_TRAINING_STEP_H_
#define SENTIMENT_TRAINING_STEP_H_

#include <Eigen/Core>
#include <cstdint>
#include <span>

#include "sentiment/network.h"
#include "sentiment/numpy_random.h"

namespace sentiment {

// Inverted-dropout multipliers (0 or 1 / (1 - rate)) for one batch.
struct DropoutMasks {
  // After the embedding: one row per position of each example,
  // (batch * sequence_length) x embedding_dim.
  EmbeddingMatrix embedding;
  // After the pooling: batch x embedding_dim.
  EmbeddingMatrix pooled;

  // Each element kept with probability 1 - rate, drawn from `random`.
  static DropoutMasks Draw(int batch, int sequence_length, int dim, float rate,
                           RandomState& random);
  // All ones: dropout off (evaluation).
  static DropoutMasks None(int batch, int sequence_length, int dim);
};

// Gradients of the batch-mean loss, shaped like NetworkParameters.
struct Gradients {
  EmbeddingMatrix embedding;
  Eigen::VectorXf dense_kernel;
  float dense_bias = 0.0f;

  explicit Gradients(const NetworkConfig& config);
};

struct BatchResult {
  double loss_sum = 0.0;  // summed per-example loss
  int correct = 0;        // examples with (logit > 0) == (label == 1)
};

// Runs the batch (`ids` holds batch * sequence_length ids, `labels` batch
// values of 0 or 1) through the network with `masks`, and when `gradients`
// is not null overwrites it with the gradients of the mean binary
// cross-entropy over the batch.
BatchResult ForwardBackward(const Network& network,
                            std::span<const int32_t> ids,
                            std::span<const float> labels,
                            const DropoutMasks& masks, Gradients* gradients);

}  // namespace sentiment

#endif  // SENTIMENT_TRAINING_STEP_H_
