#include "sentiment/pipeline.h"

#include <gtest/gtest.h>

#include "sentiment/error.h"

namespace sentiment {
namespace {

TrainedModel ModelWithLength(int length) {
  VectorizerOptions options{.max_tokens = 8, .output_sequence_length = length};
  TextVectorization vectorizer = TextVectorization::Adapt(
      {"good good film", "bad film", "good plot, bad acting"}, options);
  NetworkConfig config{.vocabulary_size = vectorizer.vocabulary().size(),
                       .sequence_length = length,
                       .embedding_dim = 5};
  return TrainedModel{{"neg", "pos"}, std::move(vectorizer),
                      Network::Initialize(config, 17), TrainOptions{}, {}};
}

TEST(PipelineTest, LogitEqualsTheNetworkOnVectorizedIdsBitForBit) {
  for (int length : {1, 3, 12}) {
    const ExportPipeline pipeline(ModelWithLength(length), Activation::kSigmoid);
    const TrainedModel& model = pipeline.model();
    ExportPipeline::Scratch scratch;
    for (const char* text : {"", "good", "GOOD film!", "bad bad bad bad bad",
                             "unknown words<br />good", "  film  "}) {
      const float expected =
          model.network.Logit(model.vectorizer.Vectorize(text));
      EXPECT_EQ(pipeline.Logit(text, scratch), expected) << text;
      EXPECT_EQ(pipeline.Predict(text, scratch), Sigmoid(expected)) << text;
    }
  }
}

TEST(PipelineTest, LogitIsTheMeanOfTokenScoresPlusBias) {
  const ExportPipeline pipeline(ModelWithLength(4), Activation::kSigmoid);
  const Network& network = pipeline.model().network;
  const Vocabulary& vocabulary = pipeline.model().vectorizer.vocabulary();
  // "good film": two tokens and two padding positions.
  const double expected =
      (network.TokenScore(vocabulary.Lookup("good")) +
       network.TokenScore(vocabulary.Lookup("film")) +
       2.0 * network.TokenScore(Vocabulary::kPaddingIndex)) / 4.0 +
      network.parameters().dense_bias;
  ExportPipeline::Scratch scratch;
  EXPECT_NEAR(pipeline.Logit("good film", scratch), expected, 1e-6);
  // The same through the layers as Keras computes them: mean, then Dense.
  const auto& p = network.parameters();
  const Eigen::VectorXf pooled =
      (p.embedding.row(vocabulary.Lookup("good")) +
       p.embedding.row(vocabulary.Lookup("film")) + 2.0f * p.embedding.row(0))
          .transpose() / 4.0f;
  EXPECT_NEAR(pipeline.Logit("good film", scratch),
              pooled.dot(p.dense_kernel) + p.dense_bias, 1e-6);
}

TEST(PipelineTest, NeedsTwoClasses) {
  TrainedModel model = ModelWithLength(3);
  model.class_names.push_back("neutral");
  EXPECT_THROW(ExportPipeline(std::move(model), Activation::kSigmoid), Error);
}

}  // namespace
}  // namespace sentiment
