// The tutorial's network: Embedding -> Dropout -> GlobalAveragePooling1D ->
// Dropout -> Dense(1), emitting a logit. Dropout is active only in training
// (see training_step.h); this class is the inference form.
#ifndef SENTIMENT_NETWORK_H_
#define SENTIMENT_NETWORK_H_

#include <Eigen/Core>
#include <cstdint>
#include <span>
#include <vector>

namespace sentiment {

struct NetworkConfig {
  int vocabulary_size = 10000;  // rows of the embedding
  int sequence_length = 250;    // positions averaged by the pooling layer
  int embedding_dim = 16;       // width of the embedding
  float dropout = 0.2f;         // rate of both Dropout layers (training only)
};

// Rows are contiguous so looking up a token reads one cache line or two.
using EmbeddingMatrix =
    Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

struct NetworkParameters {
  EmbeddingMatrix embedding;     // vocabulary_size x embedding_dim
  Eigen::VectorXf dense_kernel;  // embedding_dim
  float dense_bias = 0.0f;
};

class Network {
 public:
  // Keras's initial weights for the layers: embedding uniform in
  // [-0.05, 0.05), Dense kernel Glorot uniform (limit sqrt(6 / (dim + 1))),
  // bias zero. Throws Error(kInvalidInput) on non-positive sizes or a dropout
  // rate outside [0, 1).
  static Network Initialize(const NetworkConfig& config, uint32_t seed);

  // Assembles a network from stored weights. Throws Error(kBadModelFile) if
  // the shapes disagree with the configuration or a weight is not finite.
  Network(NetworkConfig config, NetworkParameters parameters);

  // The logit for one text's ids (exactly sequence_length of them, each in
  // [0, vocabulary_size)): mean of the embedding rows over every position,
  // padding included (Keras GlobalAveragePooling1D without a mask), then the
  // Dense layer. Pooling and Dense are linear, so this is computed as
  // bias + (1/length) * sum over positions of TokenScore(id): the exact
  // per-token split of the logit.
  float Logit(std::span<const int32_t> ids) const;

  // One token's contribution before averaging: embedding row . dense kernel.
  float TokenScore(int32_t id) const;

  // TokenScore for every vocabulary index, for fast inference.
  std::vector<float> TokenScores() const;

  // The logit from the sum of TokenScore over all sequence_length positions;
  // Logit(ids) == LogitFromScoreSum(sum of TokenScore(id) in position order)
  // bit for bit.
  float LogitFromScoreSum(float score_sum) const {
    return score_sum / static_cast<float>(config_.sequence_length) +
           parameters_.dense_bias;
  }

  const NetworkConfig& config() const { return config_; }
  const NetworkParameters& parameters() const { return parameters_; }
  // For the optimizer only.
  NetworkParameters& mutable_parameters() { return parameters_; }

  // Trainable parameters: vocabulary_size * dim + dim + 1.
  int64_t parameter_count() const;

 private:
  NetworkConfig config_;
  NetworkParameters parameters_;
};

// Throws Error(kInvalidInput) unless the configuration is usable.
void ValidateNetworkConfig(const NetworkConfig& config);

}  // namespace sentiment

#endif  // SENTIMENT_NETWORK_H_
