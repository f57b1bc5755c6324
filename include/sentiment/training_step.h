// One forward and backward pass of the network, with dropout. The dropout
// masks are an input, so a test can fix them and check the gradients
// against finite differences.
#ifndef SENTIMENT_TRAINING_STEP_H_
#define SENTIMENT_TRAINING_STEP_H_

#include <Eigen/Core>
#include <cstdint>
#include <span>
#include <vector>

#include "sentiment/network.h"

namespace sentiment {

// Draws inverted-dropout multipliers (0 or 1 / (1 - rate)); each element is
// kept when a uniform 32-bit draw is >= rate * 2^32, i.e. with probability
// 1 - rate. Counter-based: the draws for a key depend on the key alone, so
// an example gets the same masks whichever thread handles it.
class DropoutSampler {
 public:
  explicit DropoutSampler(float rate);

  // Fills `multipliers` from the stream named by `key`.
  void Draw(uint64_t key, std::span<float> multipliers) const;

  float rate() const { return rate_; }

 private:
  float rate_;
  float keep_scale_;
  uint32_t threshold_;
};

// Dropout multipliers for a whole batch (used by tests and benchmarks; the
// trainer draws them one example at a time).
struct DropoutMasks {
  // After the embedding: (batch * sequence_length) x embedding_dim.
  EmbeddingMatrix embedding;
  // After the pooling: batch x embedding_dim.
  EmbeddingMatrix pooled;

  // Example e's masks come from key + e, as the trainer draws them.
  static DropoutMasks Draw(int batch, int sequence_length, int dim, float rate,
                           uint64_t key);
  // All ones: dropout off (evaluation).
  static DropoutMasks None(int batch, int sequence_length, int dim);
};

// Gradients shaped like NetworkParameters. Embedding rows are written only
// where a token occurred; row_touched marks them so clearing is cheap.
struct Gradients {
  EmbeddingMatrix embedding;
  std::vector<uint8_t> row_touched;
  Eigen::VectorXf dense_kernel;
  float dense_bias = 0.0f;

  explicit Gradients(const NetworkConfig& config);
  // Zeroes everything (touched rows only, for the embedding).
  void Clear();
};

struct BatchResult {
  double loss_sum = 0.0;  // summed per-example loss
  int correct = 0;        // examples with (logit > 0) == (label == 1)
};

// Forward and backward for one example. `embedding_mask` holds
// sequence_length x embedding_dim multipliers and `pooled_mask`
// embedding_dim. When `gradients` is not null, adds `scale` times the
// gradient of this example's loss to it. Returns the logit.
float ExampleStep(const Network& network, const int32_t* ids, float label,
                  const float* embedding_mask, const float* pooled_mask,
                  float scale, Gradients* gradients);

// Runs a batch (`ids` holds batch * sequence_length ids, `labels` batch
// values of 0 or 1) with `masks`, and when `gradients` is not null
// overwrites it with the gradients of the mean binary cross-entropy.
BatchResult ForwardBackward(const Network& network,
                            std::span<const int32_t> ids,
                            std::span<const float> labels,
                            const DropoutMasks& masks, Gradients* gradients);

}  // namespace sentiment

#endif  // SENTIMENT_TRAINING_STEP_H_
