// One example's forward and backward pass through the network, with
// dropout; the trainer runs it on every example of a batch (see
// src/batch_gradients.h).
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

// Gradients shaped like NetworkParameters. Embedding rows are written only
// where a token occurred; row_touched marks them so clearing is cheap.
struct Gradients {
  EmbeddingMatrix embedding;
  std::vector<uint8_t> row_touched;
  EmbeddingMatrix dense_kernel;  // embedding_dim x outputs
  Eigen::VectorXf dense_bias;    // outputs

  explicit Gradients(const NetworkConfig& config);
};

// One thread's buffers for ExampleStep, sized once for a configuration.
struct ExampleBuffers {
  explicit ExampleBuffers(const NetworkConfig& config);
  // The example's dropout multipliers: sequence_length x embedding_dim after
  // the embedding, then embedding_dim after the pooling (DropoutSampler
  // fills them; all ones turns dropout off).
  std::vector<float> masks;
  std::vector<float> pooled;          // embedding_dim
  std::vector<float> logits;          // outputs: the forward pass's result
  std::vector<float> logit_gradient;  // outputs
};

// Forward and backward for one example of class `label` with the dropout
// masks in buffers.masks: embedding, dropout, average pooling (over every
// position, or over the non-padding ones with mask_padding: an example of
// padding only pools to zero), dropout, Dense. Leaves the logits in
// buffers.logits and returns the example's loss (LossFromLogits). When
// `gradients` is not null, adds `scale` times the gradient of that loss.
float ExampleStep(const Network& network, const int32_t* ids, int label,
                  float scale, ExampleBuffers& buffers, Gradients* gradients);

}  // namespace sentiment

#endif  // SENTIMENT_TRAINING_STEP_H_
