#include "sentiment/pipeline.h"

#include <utility>

#include "sentiment/error.h"

namespace sentiment {

ExportPipeline::ExportPipeline(TrainedModel model, Activation activation)
    : model_(std::move(model)),
      activation_(activation),
      token_scores_(model_.network.TokenScores()) {
  if (model_.class_names.size() != 2) {
    throw InvalidInput("a sigmoid pipeline needs exactly 2 classes, the model has " +
                       std::to_string(model_.class_names.size()));
  }
}

float ExportPipeline::Logit(std::string_view text, Scratch& scratch) const {
  const int length = model_.vectorizer.sequence_length();
  const Vocabulary& vocabulary = model_.vectorizer.vocabulary();
  const float* scores = token_scores_.data();
  // Same additions in the same order as Network::Logit: tokens, then padding.
  float sum = 0.0f;
  int count = 0;
  model_.vectorizer.tokenizer().ForEachToken(
      text, scratch.token, [&](std::string_view token, uint64_t hash) {
        sum += scores[vocabulary.LookupPadded(token, hash)];
        return ++count < length;
      });
  for (; count < length; ++count) sum += scores[Vocabulary::kPaddingIndex];
  return model_.network.LogitFromScoreSum(sum);
}

}  // namespace sentiment
