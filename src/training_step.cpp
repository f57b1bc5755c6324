#include "sentiment/training_step.h"

#include <cassert>

#include "sentiment/loss.h"

namespace sentiment {
namespace {

void FillMask(EmbeddingMatrix& mask, float rate, RandomState& random) {
  const float keep_scale = 1.0f / (1.0f - rate);
  float* values = mask.data();
  for (Eigen::Index i = 0; i < mask.size(); ++i) {
    // tf.nn.dropout keeps an element when its uniform draw is >= rate.
    values[i] = random.UniformFloat() >= rate ? keep_scale : 0.0f;
  }
}

}  // namespace

DropoutMasks DropoutMasks::Draw(int batch, int sequence_length, int dim,
                                float rate, RandomState& random) {
  DropoutMasks masks = None(batch, sequence_length, dim);
  if (rate > 0.0f) {
    FillMask(masks.embedding, rate, random);
    FillMask(masks.pooled, rate, random);
  }
  return masks;
}

DropoutMasks DropoutMasks::None(int batch, int sequence_length, int dim) {
  DropoutMasks masks;
  masks.embedding = EmbeddingMatrix::Ones(
      static_cast<Eigen::Index>(batch) * sequence_length, dim);
  masks.pooled = EmbeddingMatrix::Ones(batch, dim);
  return masks;
}

Gradients::Gradients(const NetworkConfig& config)
    : embedding(EmbeddingMatrix::Zero(config.vocabulary_size,
                                      config.embedding_dim)),
      dense_kernel(Eigen::VectorXf::Zero(config.embedding_dim)) {}

BatchResult ForwardBackward(const Network& network,
                            std::span<const int32_t> ids,
                            std::span<const float> labels,
                            const DropoutMasks& masks, Gradients* gradients) {
  const NetworkConfig& config = network.config();
  const NetworkParameters& parameters = network.parameters();
  const int length = config.sequence_length;
  const int dim = config.embedding_dim;
  const size_t batch = labels.size();
  assert(ids.size() == batch * static_cast<size_t>(length));
  const float inverse_length = 1.0f / static_cast<float>(length);

  if (gradients != nullptr) {
    gradients->embedding.setZero();
    gradients->dense_kernel.setZero();
    gradients->dense_bias = 0.0f;
  }

  BatchResult result;
  Eigen::RowVectorXf pooled(dim);
  Eigen::RowVectorXf hidden(dim);
  Eigen::RowVectorXf pooled_gradient(dim);
  for (size_t e = 0; e < batch; ++e) {
    const int32_t* example_ids = ids.data() + e * length;
    const Eigen::Index first_row = static_cast<Eigen::Index>(e) * length;

    // Forward: dropout on every embedded position, mean over positions,
    // dropout on the pooled vector, Dense(1).
    pooled.setZero();
    for (int t = 0; t < length; ++t) {
      pooled += parameters.embedding.row(example_ids[t])
                    .cwiseProduct(masks.embedding.row(first_row + t));
    }
    pooled *= inverse_length;
    hidden = pooled.cwiseProduct(masks.pooled.row(e));
    const float logit =
        hidden.dot(parameters.dense_kernel.transpose()) + parameters.dense_bias;

    const float label = labels[e];
    result.loss_sum += BinaryCrossEntropyFromLogit(logit, label);
    if ((logit > 0.0f) == (label > 0.5f)) ++result.correct;
    if (gradients == nullptr) continue;

    // Backward, for the mean loss over the batch.
    const float logit_gradient = BinaryCrossEntropyGradient(logit, label) /
                                 static_cast<float>(batch);
    gradients->dense_kernel += logit_gradient * hidden.transpose();
    gradients->dense_bias += logit_gradient;
    pooled_gradient = (logit_gradient * inverse_length) *
                      parameters.dense_kernel.transpose().cwiseProduct(
                          masks.pooled.row(e));
    for (int t = 0; t < length; ++t) {
      gradients->embedding.row(example_ids[t]) +=
          pooled_gradient.cwiseProduct(masks.embedding.row(first_row + t));
    }
  }
  return result;
}

}  // namespace sentiment
