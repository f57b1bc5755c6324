// The gradients of the path that trains: BatchGradients runs ExampleStep on
// the batch's examples across threads and merges the threads' buffers, and
// Fit applies exactly what it hands out.
#include "sentiment/training_step.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <vector>

#include "batch_gradients.h"
#include "sentiment/loss.h"
#include "sentiment/numpy_random.h"
#include "thread_pool.h"

namespace sentiment {
namespace {

constexpr int kVocabulary = 6;
constexpr int kLength = 3;
constexpr int kDim = 4;

struct Case {
  int outputs;
  bool mask_padding;
  float dropout;
  bool class_weights;
  int threads;
};

std::string Describe(const Case& c) {
  return "outputs " + std::to_string(c.outputs) + " mask " +
         std::to_string(c.mask_padding) + " dropout " + std::to_string(c.dropout) +
         " weights " + std::to_string(c.class_weights) + " threads " +
         std::to_string(c.threads);
}

// A network with weights of order 1, so every path carries gradient.
Network MakeNetwork(const Case& c) {
  NetworkConfig config{.vocabulary_size = kVocabulary,
                       .sequence_length = kLength,
                       .embedding_dim = kDim,
                       .outputs = c.outputs,
                       .mask_padding = c.mask_padding,
                       .dropout = c.dropout};
  RandomState random(7);
  NetworkParameters p;
  p.embedding.resize(kVocabulary, kDim);
  for (Eigen::Index i = 0; i < p.embedding.size(); ++i) {
    p.embedding.data()[i] = 2.0f * random.UniformFloat() - 1.0f;
  }
  p.dense_kernel.resize(kDim, c.outputs);
  for (Eigen::Index i = 0; i < p.dense_kernel.size(); ++i) {
    p.dense_kernel.data()[i] = 2.0f * random.UniformFloat() - 1.0f;
  }
  p.dense_bias.resize(c.outputs);
  for (int k = 0; k < c.outputs; ++k) p.dense_bias[k] = 0.3f - 0.2f * k;
  return Network(config, p);
}

// Four examples; id 5 never occurs, id 0 (padding) does, and the last is
// padding only.
VectorizedSet Data(const Case& c) {
  VectorizedSet set;
  set.ids = {2, 3, 0,  4, 4, 1,  2, 0, 0,  0, 0, 0};
  set.labels = c.outputs == 1 ? std::vector<int32_t>{1, 0, 1, 0}
                              : std::vector<int32_t>{2, 0, 1, 2};
  return set;
}

std::vector<float> Weights(const Case& c) {
  if (!c.class_weights) return {};
  return c.outputs == 1 ? std::vector<float>{0.5f, 2.0f}
                        : std::vector<float>{1.5f, 0.25f, 0.75f};
}

// The batch of every example, in a shuffled order.
const std::vector<size_t> kBatch = {2, 0, 3, 1};

// Runs the training path's batch gradient; returns the batch loss and, when
// `gradient` is given, the full gradient (embedding, kernel, bias).
double BatchLoss(BatchGradients& batch, const Network& network,
                 const VectorizedSet& data, const Case& c,
                 std::vector<float>* gradient = nullptr) {
  const DropoutSampler sampler(c.dropout);
  const std::vector<float> weights = Weights(c);
  const BatchTotals totals =
      batch.Accumulate(network, data, kBatch, sampler, /*seed=*/3,
                       /*first_visit=*/10, weights);
  std::vector<float> embedding(kVocabulary * kDim, -1.0f);
  batch.ConsumeEmbedding([&](size_t first_row, std::span<const float> rows) {
    std::copy(rows.begin(), rows.end(), embedding.begin() + first_row * kDim);
  });
  std::vector<float> kernel(kDim * c.outputs), bias(c.outputs);
  batch.ConsumeDense(kernel, bias);
  if (gradient != nullptr) {
    *gradient = embedding;
    gradient->insert(gradient->end(), kernel.begin(), kernel.end());
    gradient->insert(gradient->end(), bias.begin(), bias.end());
  }
  return totals.loss_sum / kBatch.size();
}

std::vector<float*> Parameters(Network& network) {
  NetworkParameters& p = network.mutable_parameters();
  std::vector<float*> parameters;
  for (Eigen::Index i = 0; i < p.embedding.size(); ++i) parameters.push_back(p.embedding.data() + i);
  for (Eigen::Index i = 0; i < p.dense_kernel.size(); ++i) parameters.push_back(p.dense_kernel.data() + i);
  for (Eigen::Index i = 0; i < p.dense_bias.size(); ++i) parameters.push_back(p.dense_bias.data() + i);
  return parameters;
}

std::vector<Case> AllCases() {
  std::vector<Case> cases;
  for (int outputs : {1, 3}) {
    for (bool mask : {false, true}) {
      for (float dropout : {0.0f, 0.5f}) {
        for (bool weights : {false, true}) {
          for (int threads : {1, 2}) {
            cases.push_back({outputs, mask, dropout, weights, threads});
          }
        }
      }
    }
  }
  return cases;
}

// Central differences of the batch loss, parameter by parameter, with the
// dropout masks held fixed (the same keys), against the merged gradient
// that training applies.
TEST(BatchGradientsTest, MatchFiniteDifferences) {
  for (const Case& c : AllCases()) {
    SCOPED_TRACE(Describe(c));
    Network network = MakeNetwork(c);
    const VectorizedSet data = Data(c);
    ThreadPool pool(c.threads);
    BatchGradients batch(network.config(), pool);
    std::vector<float> gradient;
    BatchLoss(batch, network, data, c, &gradient);
    const std::vector<float*> parameters = Parameters(network);
    ASSERT_EQ(parameters.size(), gradient.size());
    const float h = 1e-2f;
    for (size_t i = 0; i < parameters.size(); ++i) {
      float& parameter = *parameters[i];
      const float saved = parameter;
      parameter = saved + h;
      const double plus = BatchLoss(batch, network, data, c);
      parameter = saved - h;
      const double minus = BatchLoss(batch, network, data, c);
      parameter = saved;
      EXPECT_NEAR(gradient[i], (plus - minus) / (2.0 * h), 3e-4) << "parameter " << i;
    }
  }
}

TEST(BatchGradientsTest, ReadingZeroesSoTheNextBatchStartsClean) {
  for (int threads : {1, 2}) {
    const Case c{3, false, 0.5f, true, threads};
    const Network network = MakeNetwork(c);
    const VectorizedSet data = Data(c);
    ThreadPool pool(threads);
    BatchGradients batch(network.config(), pool);
    std::vector<float> first, second;
    BatchLoss(batch, network, data, c, &first);
    BatchLoss(batch, network, data, c, &second);
    EXPECT_EQ(first, second);
  }
}

TEST(BatchGradientsTest, RowsOnlyPaddingTouchesGetNoGradientWhenMasked) {
  for (bool mask : {false, true}) {
    const Case c{1, mask, 0.0f, false, 1};
    const Network network = MakeNetwork(c);
    ThreadPool pool(1);
    BatchGradients batch(network.config(), pool);
    std::vector<float> gradient;
    BatchLoss(batch, network, Data(c), c, &gradient);
    const auto row_norm = [&](int row) {
      double sum = 0;
      for (int d = 0; d < kDim; ++d) sum += std::abs(gradient[row * kDim + d]);
      return sum;
    };
    EXPECT_EQ(row_norm(5), 0.0);  // never occurs
    if (mask) {
      EXPECT_EQ(row_norm(0), 0.0);
    } else {
      EXPECT_GT(row_norm(0), 0.0);
    }
  }
}

TEST(TrainingStepTest, DropoutMasksAreZeroOrInverseKeepRate) {
  const DropoutSampler sampler(0.2f);
  std::vector<float> masks(1600);
  sampler.Draw(11, masks);
  int dropped = 0;
  for (float value : masks) {
    ASSERT_TRUE(value == 0.0f || value == 1.25f) << value;
    dropped += value == 0.0f;
  }
  // 1600 draws at rate 0.2: expect 320 dropped, give or take a few sigma.
  EXPECT_GT(dropped, 250);
  EXPECT_LT(dropped, 390);
}

// The masks as specified, one scalar generator at a time: lane j of eight
// xoshiro128+ generators (Blackman & Vigna's reference next(): result
// s0 + s3, t = s1 << 9, then the xors and rotl(s3, 11)) gives elements j,
// j + 8, j + 16, ...; the lanes take their four 32-bit words, in pairs (low
// half, then high half with its lowest bit set), from successive SplitMix64
// outputs of the key. An element is kept when its draw is at least
// rate * 2^32.
std::vector<float> ScalarMasks(uint64_t key, float rate, size_t n) {
  const auto split_mix = [&key] {
    uint64_t z = (key += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  };
  uint32_t state[8][4];
  for (auto& lane : state) {
    for (int word = 0; word < 4; word += 2) {
      const uint64_t bits = split_mix();
      lane[word] = static_cast<uint32_t>(bits);
      lane[word + 1] = static_cast<uint32_t>(bits >> 32) | 1u;
    }
  }
  const double threshold = std::ldexp(static_cast<double>(rate), 32);
  std::vector<float> masks(n);
  for (size_t i = 0; i < n; ++i) {
    uint32_t* s = state[i % 8];
    const uint32_t draw = s[0] + s[3];
    const uint32_t t = s[1] << 9;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = (s[3] << 11) | (s[3] >> 21);
    masks[i] = draw >= threshold ? 1.0f / (1.0f - rate) : 0.0f;
  }
  return masks;
}

TEST(TrainingStepTest, DropoutMasksFollowTheSpecifiedGenerators) {
  for (const float rate : {0.2f, 0.5f}) {
    const DropoutSampler sampler(rate);
    for (const uint64_t key : {uint64_t{0}, uint64_t{11}, DropoutKey(42, 123456)}) {
      for (const size_t n : {size_t{1}, size_t{7}, size_t{8}, size_t{13}, size_t{1600}}) {
        std::vector<float> masks(n);
        sampler.Draw(key, masks);
        const std::vector<float> expected = ScalarMasks(key, rate, n);
        for (size_t i = 0; i < n; ++i) {
          ASSERT_EQ(masks[i], expected[i])
              << "rate " << rate << " key " << key << " n " << n << " element " << i;
        }
      }
    }
  }
}

// With dropout off, the training forward pass gives the inference logits,
// padding and all, masked or not.
TEST(TrainingStepTest, NoDropoutForwardEqualsInferenceLogits) {
  for (int outputs : {1, 3}) {
    for (bool mask : {false, true}) {
      const Case c{outputs, mask, 0.0f, false, 1};
      const Network network = MakeNetwork(c);
      ExampleBuffers buffers(network.config());
      std::fill(buffers.masks.begin(), buffers.masks.end(), 1.0f);
      for (const std::vector<int32_t>& ids :
           {std::vector<int32_t>{4, 4, 1}, std::vector<int32_t>{2, 0, 0},
            std::vector<int32_t>{0, 0, 0}}) {
        const float loss = ExampleStep(network, ids.data(), 0, 1.0f, buffers, nullptr);
        const std::vector<float> logits = network.Logits(ids);
        for (int k = 0; k < outputs; ++k) {
          EXPECT_NEAR(buffers.logits[k], logits[k], 1e-6)
              << "outputs " << outputs << " mask " << mask << " ids " << ids[0]
              << ids[1] << ids[2];
        }
        EXPECT_NEAR(loss, LossFromLogits(logits, 0), 1e-6);
      }
    }
  }
}

}  // namespace
}  // namespace sentiment
