#include "sentiment/network.h"

#include <algorithm>
#include <cmath>
#include <string>
#include <utility>

#include "sentiment/error.h"
#include "sentiment/numpy_random.h"

namespace sentiment {

void ValidateNetworkConfig(const NetworkConfig& config) {
  if (config.vocabulary_size < 1) {
    throw InvalidInput("vocabulary size must be positive, got " +
                       std::to_string(config.vocabulary_size));
  }
  if (config.sequence_length < 1) {
    throw InvalidInput("--sequence-length must be at least 1, got " +
                       std::to_string(config.sequence_length));
  }
  if (config.embedding_dim < 1) {
    throw InvalidInput("--embedding-dim must be at least 1, got " +
                       std::to_string(config.embedding_dim));
  }
  if (config.outputs < 1 || config.outputs == 2) {
    throw InvalidInput("a network has 1 output (two classes) or K >= 3, got " +
                       std::to_string(config.outputs));
  }
  if (!(config.dropout >= 0.0f && config.dropout < 1.0f)) {
    throw InvalidInput("--dropout must be in [0, 1), got " +
                       std::to_string(config.dropout));
  }
}

Network Network::Initialize(const NetworkConfig& config, uint32_t seed) {
  ValidateNetworkConfig(config);
  RandomState random(DeriveSeed(seed, SeedStream::kInitialWeights));
  NetworkParameters parameters;
  // Keras Embedding's default initializer: RandomUniform(-0.05, 0.05).
  parameters.embedding.resize(config.vocabulary_size, config.embedding_dim);
  for (Eigen::Index i = 0; i < parameters.embedding.size(); ++i) {
    parameters.embedding.data()[i] = -0.05f + 0.1f * random.UniformFloat();
  }
  // Glorot uniform: limit sqrt(6 / (fan_in + fan_out)).
  const float limit = std::sqrt(
      6.0f / static_cast<float>(config.embedding_dim + config.outputs));
  parameters.dense_kernel.resize(config.embedding_dim, config.outputs);
  for (Eigen::Index i = 0; i < parameters.dense_kernel.size(); ++i) {
    parameters.dense_kernel.data()[i] =
        limit * (2.0f * random.UniformFloat() - 1.0f);
  }
  parameters.dense_bias = Eigen::VectorXf::Zero(config.outputs);
  return Network(config, std::move(parameters));
}

Network::Network(NetworkConfig config, NetworkParameters parameters)
    : config_(config), parameters_(std::move(parameters)) {
  const auto& p = parameters_;
  if (p.embedding.rows() != config_.vocabulary_size ||
      p.embedding.cols() != config_.embedding_dim) {
    throw BadModelFile("embedding has " + std::to_string(p.embedding.size()) +
                       " values, expected " +
                       std::to_string(config_.vocabulary_size) + "x" +
                       std::to_string(config_.embedding_dim));
  }
  if (p.dense_kernel.rows() != config_.embedding_dim ||
      p.dense_kernel.cols() != config_.outputs) {
    throw BadModelFile("dense kernel has " +
                       std::to_string(p.dense_kernel.size()) +
                       " values, expected " +
                       std::to_string(config_.embedding_dim) + "x" +
                       std::to_string(config_.outputs));
  }
  if (p.dense_bias.size() != config_.outputs) {
    throw BadModelFile("dense bias has " + std::to_string(p.dense_bias.size()) +
                       " values, expected " + std::to_string(config_.outputs));
  }
  if (!p.embedding.allFinite()) {
    throw BadModelFile("embedding holds a NaN or infinite value");
  }
  if (!p.dense_kernel.allFinite() || !p.dense_bias.allFinite()) {
    throw BadModelFile("dense layer holds a NaN or infinite value");
  }
}

float Network::TokenScore(int32_t id, int output) const {
  // A plain loop in a fixed order, so every caller gets the same bits.
  const float* row = parameters_.embedding.row(id).data();
  const float* kernel = parameters_.dense_kernel.data() + output;
  const int outputs = config_.outputs;
  float score = 0.0f;
  for (int d = 0; d < config_.embedding_dim; ++d) {
    score += row[d] * kernel[d * outputs];
  }
  return score;
}

std::vector<float> Network::TokenScores() const {
  const int outputs = config_.outputs;
  std::vector<float> scores(static_cast<size_t>(config_.vocabulary_size) *
                            outputs);
  for (int32_t id = 0; id < config_.vocabulary_size; ++id) {
    for (int k = 0; k < outputs; ++k) {
      scores[static_cast<size_t>(id) * outputs + k] = TokenScore(id, k);
    }
  }
  return scores;
}

namespace {

// Calls add_scores(id) for each position the pooling layer averages, in
// position order; returns how many positions hold a token (id != 0).
template <typename AddScores>
int AddPooledScores(std::span<const int32_t> ids, bool mask_padding,
                    AddScores add_scores) {
  int tokens = 0;
  for (int32_t id : ids) {
    if (id != 0) ++tokens;
    if (id == 0 && mask_padding) continue;
    add_scores(id);
  }
  return tokens;
}

}  // namespace

void Network::Logits(std::span<const int32_t> ids,
                     std::span<float> logits) const {
  const int outputs = config_.outputs;
  std::vector<double> sums(outputs, 0.0);
  const int tokens = AddPooledScores(ids, config_.mask_padding, [&](int32_t id) {
    for (int k = 0; k < outputs; ++k) sums[k] += TokenScore(id, k);
  });
  LogitsFromScoreSums(sums, PooledPositions(tokens), logits);
}

std::vector<float> Network::TokenScoresFor(int64_t positions) const {
  if (positions < config_.vocabulary_size) return {};
  return TokenScores();
}

void Network::LogitsFromTokenScores(std::span<const float> token_scores,
                                    std::span<const int32_t> ids,
                                    std::span<double> sums,
                                    std::span<float> logits) const {
  if (token_scores.empty()) {
    Logits(ids, logits);
    return;
  }
  const size_t outputs = static_cast<size_t>(config_.outputs);
  std::fill(sums.begin(), sums.end(), 0.0);
  const int tokens = AddPooledScores(ids, config_.mask_padding, [&](int32_t id) {
    const float* row = token_scores.data() + static_cast<size_t>(id) * outputs;
    for (size_t k = 0; k < outputs; ++k) sums[k] += row[k];
  });
  LogitsFromScoreSums(sums, PooledPositions(tokens), logits);
}

std::vector<float> Network::Logits(std::span<const int32_t> ids) const {
  std::vector<float> logits(config_.outputs);
  Logits(ids, logits);
  return logits;
}

int64_t Network::parameter_count() const {
  return static_cast<int64_t>(config_.vocabulary_size) * config_.embedding_dim +
         static_cast<int64_t>(config_.embedding_dim + 1) * config_.outputs;
}

}  // namespace sentiment
