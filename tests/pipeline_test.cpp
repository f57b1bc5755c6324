#include "sentiment/pipeline.h"

#include <gtest/gtest.h>

#include <cmath>

#include "sentiment/error.h"

namespace sentiment {
namespace {

TrainedModel Model(int length, int classes = 2, bool mask_padding = false,
                   int ngrams = 1) {
  VectorizerOptions options{.max_tokens = 20,
                            .output_sequence_length = length,
                            .ngrams = ngrams};
  TextVectorization vectorizer = TextVectorization::Adapt(
      {"good good film", "bad film", "good plot, bad acting"}, options);
  NetworkConfig config{.vocabulary_size = vectorizer.vocabulary().size(),
                       .sequence_length = length,
                       .embedding_dim = 5,
                       .outputs = OutputsForClasses(classes),
                       .mask_padding = mask_padding};
  std::vector<std::string> names;
  for (int k = 0; k < classes; ++k) names.push_back("class" + std::to_string(k));
  return TrainedModel{names, std::move(vectorizer),
                      Network::Initialize(config, 17), TrainOptions{}, {}};
}

constexpr const char* kTexts[] = {"", "good", "GOOD film!", "bad bad bad bad bad",
                                  "unknown words<br />good", "  film  "};

TEST(PipelineTest, LogitsEqualTheNetworkOnVectorizedIdsBitForBit) {
  for (int classes : {2, 3, 5}) {
    for (bool mask : {false, true}) {
      for (int ngrams : {1, 2}) {
        for (int length : {1, 3, 12}) {
          const TrainedModel source = Model(length, classes, mask, ngrams);
          const ExportPipeline pipeline(
              source, ActivationForOutputs(source.network.config().outputs));
          const TrainedModel& model = pipeline.model();
          ExportPipeline::Scratch scratch;
          std::vector<float> logits(pipeline.outputs());
          for (const char* text : kTexts) {
            const std::vector<float> expected =
                model.network.Logits(model.vectorizer.Vectorize(text));
            pipeline.Logits(text, scratch, logits);
            EXPECT_EQ(logits, expected)
                << text << " classes " << classes << " mask " << mask
                << " ngrams " << ngrams << " length " << length;
          }
        }
      }
    }
  }
}

TEST(PipelineTest, LogitIsTheMeanOfTokenScoresPlusBias) {
  const ExportPipeline pipeline(Model(4), Activation::kSigmoid);
  const Network& network = pipeline.model().network;
  const Vocabulary& vocabulary = pipeline.model().vectorizer.vocabulary();
  // "good film": two tokens and two padding positions.
  const double expected =
      (network.TokenScore(vocabulary.Lookup("good")) +
       network.TokenScore(vocabulary.Lookup("film")) +
       2.0 * network.TokenScore(Vocabulary::kPaddingIndex)) / 4.0 +
      network.parameters().dense_bias[0];
  ExportPipeline::Scratch scratch;
  float logit;
  pipeline.Logits("good film", scratch, {&logit, 1});
  EXPECT_NEAR(logit, expected, 1e-6);
  // The same through the layers as Keras computes them: mean, then Dense.
  const auto& p = network.parameters();
  const Eigen::VectorXf pooled =
      (p.embedding.row(vocabulary.Lookup("good")) +
       p.embedding.row(vocabulary.Lookup("film")) + 2.0f * p.embedding.row(0))
          .transpose() / 4.0f;
  EXPECT_NEAR(logit, pooled.dot(p.dense_kernel.col(0)) + p.dense_bias[0], 1e-6);
}

TEST(PipelineTest, MaskedPoolingAveragesTokensOnlyForEveryClass) {
  const ExportPipeline pipeline(Model(6, 3, /*mask_padding=*/true),
                                Activation::kSoftmax);
  const auto& p = pipeline.model().network.parameters();
  const Vocabulary& vocabulary = pipeline.model().vectorizer.vocabulary();
  // Keras: sum of the unmasked rows over their count, then Dense(3).
  const Eigen::VectorXf pooled =
      (p.embedding.row(vocabulary.Lookup("good")) +
       p.embedding.row(vocabulary.Lookup("film")))
          .transpose() / 2.0f;
  ExportPipeline::Scratch scratch;
  std::vector<float> logits(3);
  pipeline.Logits("good film", scratch, logits);
  for (int k = 0; k < 3; ++k) {
    EXPECT_NEAR(logits[k], pooled.dot(p.dense_kernel.col(k)) + p.dense_bias[k], 1e-6);
  }
  // A text of padding only pools to zero: the logits are the bias.
  pipeline.Logits("", scratch, logits);
  for (int k = 0; k < 3; ++k) EXPECT_EQ(logits[k], p.dense_bias[k]);
}

TEST(PipelineTest, MaskedPoolingGivesATextAndItsRepetitionTheSameLogit) {
  const ExportPipeline pipeline(Model(12, 2, /*mask_padding=*/true),
                                Activation::kSigmoid);
  ExportPipeline::Scratch scratch;
  float once, twice, unmasked_once, unmasked_twice;
  pipeline.Logits("good film", scratch, {&once, 1});
  pipeline.Logits("good film good film", scratch, {&twice, 1});
  EXPECT_NEAR(once, twice, 1e-6);
  // Without the mask, the padding share differs, so the logits do too.
  const ExportPipeline unmasked(Model(12), Activation::kSigmoid);
  unmasked.Logits("good film", scratch, {&unmasked_once, 1});
  unmasked.Logits("good film good film", scratch, {&unmasked_twice, 1});
  EXPECT_GT(std::abs(unmasked_once - unmasked_twice), 1e-4);
}

TEST(PipelineTest, ProbabilitiesAreTheActivationOfTheLogits) {
  const ExportPipeline binary(Model(4), Activation::kSigmoid);
  ExportPipeline::Scratch scratch;
  float logit;
  binary.Logits("good film", scratch, {&logit, 1});
  std::vector<float> probabilities(2);
  binary.Probabilities({&logit, 1}, probabilities);
  EXPECT_EQ(probabilities[1], Sigmoid(logit));
  EXPECT_FLOAT_EQ(probabilities[0] + probabilities[1], 1.0f);

  const ExportPipeline three(Model(4, 3), Activation::kSoftmax);
  std::vector<float> logits(3);
  three.Logits("bad acting", scratch, logits);
  probabilities.resize(3);
  three.Probabilities(logits, probabilities);
  double normalizer = 0;
  for (float z : logits) normalizer += std::exp(static_cast<double>(z));
  for (int k = 0; k < 3; ++k) {
    EXPECT_NEAR(probabilities[k], std::exp(static_cast<double>(logits[k])) / normalizer,
                1e-6);
  }
}

TEST(PipelineTest, ActivationMustFitTheOutputs) {
  EXPECT_THROW(ExportPipeline(Model(3), Activation::kSoftmax), Error);
  EXPECT_THROW(ExportPipeline(Model(3, 3), Activation::kSigmoid), Error);
  TrainedModel model = Model(3);
  model.class_names.push_back("neutral");  // 3 names for a 1-logit network
  EXPECT_THROW(ExportPipeline(std::move(model), Activation::kSigmoid), Error);
}


// A model whose logits are its bias for every text: the embedding is zero.
TrainedModel BiasOnlyModel(int classes, std::vector<float> bias) {
  TrainedModel model = Model(4, classes);
  NetworkParameters& p = model.network.mutable_parameters();
  p.embedding.setZero();
  p.dense_bias.resize(static_cast<Eigen::Index>(bias.size()));
  for (size_t k = 0; k < bias.size(); ++k) p.dense_bias[k] = bias[k];
  return model;
}

TEST(PipelineTest, LogitZeroIsTheFirstClass) {
  const ExportPipeline pipeline(BiasOnlyModel(2, {0.0f}), Activation::kSigmoid);
  ExportPipeline::Scratch scratch;
  float logit = 1.0f;
  for (const char* text : kTexts) {
    pipeline.Logits(text, scratch, {&logit, 1});
    ASSERT_EQ(logit, 0.0f) << text;
    EXPECT_EQ(pipeline.ClassForLogits({&logit, 1}), "class0") << text;
  }
  const float tiny = 1e-30f;
  EXPECT_EQ(pipeline.ClassForLogits({&tiny, 1}), "class1");
}

TEST(PipelineTest, TiedLogitsGoToTheLowestClass) {
  ExportPipeline::Scratch scratch;
  std::vector<float> logits(3);
  const ExportPipeline all_tied(BiasOnlyModel(3, {0.0f, 0.0f, 0.0f}),
                                Activation::kSoftmax);
  all_tied.Logits("good film", scratch, logits);
  EXPECT_EQ(all_tied.ClassForLogits(logits), "class0");
  const ExportPipeline last_two_tied(BiasOnlyModel(3, {-1.0f, 2.0f, 2.0f}),
                                     Activation::kSoftmax);
  last_two_tied.Logits("good film", scratch, logits);
  EXPECT_EQ(last_two_tied.ClassForLogits(logits), "class1");
}

}  // namespace
}  // namespace sentiment
