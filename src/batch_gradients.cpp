#include "batch_gradients.h"

#include <algorithm>

#include "sentiment/activation.h"

namespace sentiment {

BatchGradients::BatchGradients(const NetworkConfig& config, ThreadPool& pool)
    : config_(config), pool_(pool) {
  workers_.reserve(pool.size());
  for (int i = 0; i < pool.size(); ++i) workers_.emplace_back(config);
}

BatchTotals BatchGradients::Accumulate(const Network& network,
                                       const VectorizedSet& data,
                                       std::span<const size_t> batch,
                                       const DropoutSampler& sampler,
                                       uint32_t seed, uint64_t first_visit,
                                       std::span<const float> class_weights) {
  const size_t length = config_.sequence_length;
  const float inverse_batch = 1.0f / static_cast<float>(batch.size());
  pool_.ForRanges(batch.size(), [&](size_t begin, size_t end, int thread) {
    Worker& worker = workers_[thread];
    worker.totals = {};
    for (size_t k = begin; k < end; ++k) {
      const size_t example = batch[k];
      const int label = data.labels[example];
      const float weight = class_weights.empty() ? 1.0f : class_weights[label];
      sampler.Draw(DropoutKey(seed, first_visit + k), worker.buffers.masks);
      const float loss =
          ExampleStep(network, data.ids.data() + example * length, label,
                      weight * inverse_batch, worker.buffers, &worker.gradients);
      worker.totals.loss_sum += static_cast<double>(weight) * loss;
      worker.totals.weight_sum += weight;
      if (PredictedClass(worker.buffers.logits) == label) {
        worker.totals.correct_weight += weight;
      }
    }
  });
  BatchTotals totals;
  for (const Worker& worker : workers_) {
    totals.loss_sum += worker.totals.loss_sum;
    totals.weight_sum += worker.totals.weight_sum;
    totals.correct_weight += worker.totals.correct_weight;
  }
  return totals;
}

void BatchGradients::ConsumeEmbedding(
    const std::function<void(size_t, std::span<const float>)>& apply) {
  const size_t dim = config_.embedding_dim;
  const size_t rows = config_.vocabulary_size;
  // The first worker's buffer holds the sum: the others' rows are added
  // into it in worker order (what a sum from zero would give: adding x to
  // zero is exact), so one worker's gradient is applied without a copy.
  Gradients& sum = workers_[0].gradients;
  pool_.ForRanges(rows, [&](size_t begin, size_t end, int) {
    constexpr size_t kRowsPerBlock = 256;
    for (size_t block = begin; block < end; block += kRowsPerBlock) {
      const size_t block_end = std::min(end, block + kRowsPerBlock);
      for (size_t w = 1; w < workers_.size(); ++w) {
        Gradients& g = workers_[w].gradients;
        for (size_t row = block; row < block_end; ++row) {
          if (!g.row_touched[row]) continue;
          float* source = g.embedding.row(row).data();
          float* target = sum.embedding.row(row).data();
          for (size_t d = 0; d < dim; ++d) {
            target[d] += source[d];
            source[d] = 0.0f;
          }
          g.row_touched[row] = 0;
          sum.row_touched[row] = 1;
        }
      }
      apply(block, {sum.embedding.data() + block * dim, (block_end - block) * dim});
      for (size_t row = block; row < block_end; ++row) {
        if (!sum.row_touched[row]) continue;
        std::fill_n(sum.embedding.row(row).data(), dim, 0.0f);
        sum.row_touched[row] = 0;
      }
    }
  });
}

void BatchGradients::ConsumeDense(std::span<float> kernel,
                                  std::span<float> bias) {
  std::fill(kernel.begin(), kernel.end(), 0.0f);
  std::fill(bias.begin(), bias.end(), 0.0f);
  for (Worker& worker : workers_) {
    Gradients& g = worker.gradients;
    for (size_t i = 0; i < kernel.size(); ++i) kernel[i] += g.dense_kernel.data()[i];
    for (size_t k = 0; k < bias.size(); ++k) bias[k] += g.dense_bias[k];
    g.dense_kernel.setZero();
    g.dense_bias.setZero();
  }
}

}  // namespace sentiment
