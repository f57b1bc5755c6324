// The tutorial's network: Embedding -> Dropout -> GlobalAveragePooling1D ->
// Dropout -> Dense(outputs), emitting logits: one for two classes (binary
// cross-entropy, sigmoid at export), K for K > 2 classes (sparse categorical
// cross-entropy, softmax at export). Dropout is active only in training (see
// training_step.h); this class is the inference form.
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
  int outputs = 1;              // logits: 1 for two classes, K for K > 2
  bool mask_padding = false;    // Embedding(mask_zero=True): pool tokens only
  float dropout = 0.2f;         // rate of both Dropout layers (training only)
};

// The logits a model with `classes` classes emits: 1 for 2, else K.
inline int OutputsForClasses(int classes) { return classes == 2 ? 1 : classes; }

// Rows are contiguous so looking up a token reads one cache line or two.
using EmbeddingMatrix =
    Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

struct NetworkParameters {
  EmbeddingMatrix embedding;     // vocabulary_size x embedding_dim
  EmbeddingMatrix dense_kernel;  // embedding_dim x outputs (Keras's layout)
  Eigen::VectorXf dense_bias;    // outputs
};

class Network {
 public:
  // Keras's initial weights for the layers: embedding uniform in
  // [-0.05, 0.05), Dense kernel Glorot uniform (limit
  // sqrt(6 / (dim + outputs))), bias zero; the uniform draws come from
  // RandomState(DeriveSeed(seed, kInitialWeights)), embedding first, both in
  // row-major order. Throws Error(kInvalidInput) on non-positive sizes or a
  // dropout rate outside [0, 1).
  static Network Initialize(const NetworkConfig& config, uint32_t seed);

  // Assembles a network from stored weights. Throws Error(kBadModelFile) if
  // the shapes disagree with the configuration or a weight is not finite.
  Network(NetworkConfig config, NetworkParameters parameters);

  // The logits for one text's ids (exactly sequence_length of them, each in
  // [0, vocabulary_size)) into `logits` (outputs values): the mean of the
  // embedding rows over every position, padding included (Keras
  // GlobalAveragePooling1D without a mask), or with mask_padding over the
  // positions whose id is not 0 (a text of padding only pools to zero, where
  // Keras gives NaN), then the Dense layer. Pooling and Dense are linear, so
  // this is bias + (1/count) * sum over pooled positions of TokenScore(id):
  // the exact per-token split of the logits.
  void Logits(std::span<const int32_t> ids, std::span<float> logits) const;

  // Convenience form returning a new vector.
  std::vector<float> Logits(std::span<const int32_t> ids) const;

  // One token's contribution to logit `output` before averaging:
  // embedding row . dense kernel column.
  float TokenScore(int32_t id, int output = 0) const;

  // TokenScore for every vocabulary index and output, row-major
  // (vocabulary_size x outputs), for fast inference.
  std::vector<float> TokenScores() const;

  // TokenScores() for a pass over texts of `positions` positions in all,
  // when they are at least the vocabulary's rows: then the table costs
  // less than a product per position, in time and memory. Else empty.
  std::vector<float> TokenScoresFor(int64_t positions) const;

  // Logits(ids, logits) bit for bit, from `token_scores`, this network's
  // TokenScoresFor (or TokenScores) computed once for many texts: one
  // lookup per position and output instead of embedding_dim products. An
  // empty table means Logits itself. `sums` is scratch of `outputs` values.
  void LogitsFromTokenScores(std::span<const float> token_scores,
                             std::span<const int32_t> ids,
                             std::span<double> sums,
                             std::span<float> logits) const;

  // The logits from the sums of TokenScore over the pooled positions (in
  // position order, added in double) and their count: sums[k] / count +
  // bias[k], or the bias alone when count is 0. Logits(ids) equals this bit
  // for bit. Computed in double and rounded once, so a logit is its formula's
  // value to float precision even when large parts cancel: an explanation's
  // parts then add up to it to 1e-7 of itself.
  void LogitsFromScoreSums(std::span<const double> sums, int count,
                           std::span<float> logits) const {
    const float* bias = parameters_.dense_bias.data();
    for (size_t k = 0; k < logits.size(); ++k) {
      logits[k] = static_cast<float>(
          count == 0 ? bias[k] : sums[k] / count + static_cast<double>(bias[k]));
    }
  }

  // The positions the pooling layer averages over for a text with `tokens`
  // non-padding ids: all of them, or only the tokens when masking.
  int PooledPositions(int tokens) const {
    return config_.mask_padding ? tokens : config_.sequence_length;
  }

  const NetworkConfig& config() const { return config_; }
  const NetworkParameters& parameters() const { return parameters_; }
  // For the optimizer only.
  NetworkParameters& mutable_parameters() { return parameters_; }

  // Trainable parameters: vocabulary_size * dim + (dim + 1) * outputs.
  int64_t parameter_count() const;

 private:
  NetworkConfig config_;
  NetworkParameters parameters_;
};

// Throws Error(kInvalidInput) unless the configuration is usable.
void ValidateNetworkConfig(const NetworkConfig& config);

}  // namespace sentiment

#endif  // SENTIMENT_NETWORK_H_
