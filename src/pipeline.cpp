#include "sentiment/pipeline.h"

#include <algorithm>
#include <cmath>
#include <utility>

#include "sentiment/error.h"

namespace sentiment {

ExportPipeline::ExportPipeline(TrainedModel model, Activation activation,
                               float temperature)
    : model_(std::move(model)),
      activation_(activation),
      temperature_(temperature),
      token_scores_(model_.network.TokenScores()) {
  if (!(std::isfinite(temperature_) && temperature_ > 0.0f)) {
    throw InvalidInput("the temperature must be a finite number above 0, got " +
                       std::to_string(temperature_));
  }
  const int outputs = model_.network.config().outputs;
  if (activation_ != ActivationForOutputs(outputs)) {
    throw InvalidInput("a " + std::string(ActivationName(activation_)) +
                       " stage does not fit a network with " +
                       std::to_string(outputs) + " output(s)");
  }
  if (OutputsForClasses(classes()) != outputs) {
    throw InvalidInput("the model has " + std::to_string(classes()) +
                       " classes but " + std::to_string(outputs) +
                       " output(s)");
  }
}

void ExportPipeline::Logits(std::string_view text, Scratch& scratch,
                            std::span<float> logits) const {
  const TextVectorization& vectorizer = model_.vectorizer;
  const int length = vectorizer.sequence_length();
  const Vocabulary& vocabulary = vectorizer.vocabulary();
  const Network& network = model_.network;
  const float* scores = token_scores_.data();
  // Same additions in the same order as Network::Logits: terms, then
  // padding (unless the network masks it).
  int count = 0;
  if (logits.size() == 1) {  // the common binary case, kept tight
    float sum = 0.0f;
    vectorizer.terms().ForEachTerm(
        text, scratch.terms, length, [&](std::string_view term, uint64_t hash) {
          sum += scores[vocabulary.LookupPadded(term, hash)];
          ++count;
          return true;
        });
    if (!network.config().mask_padding) {
      for (int t = count; t < length; ++t) sum += scores[Vocabulary::kPaddingIndex];
    }
    network.LogitsFromScoreSums({&sum, 1}, network.PooledPositions(count), logits);
    return;
  }
  const size_t outputs = logits.size();
  scratch.sums.assign(outputs, 0.0f);
  float* sums = scratch.sums.data();
  const auto add = [&](int32_t id) {
    const float* row = scores + static_cast<size_t>(id) * outputs;
    for (size_t k = 0; k < outputs; ++k) sums[k] += row[k];
  };
  vectorizer.terms().ForEachTerm(
      text, scratch.terms, length, [&](std::string_view term, uint64_t hash) {
        add(vocabulary.LookupPadded(term, hash));
        ++count;
        return true;
      });
  if (!network.config().mask_padding) {
    for (int t = count; t < length; ++t) add(Vocabulary::kPaddingIndex);
  }
  network.LogitsFromScoreSums(scratch.sums, network.PooledPositions(count), logits);
}

}  // namespace sentiment
