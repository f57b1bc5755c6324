#include "sentiment/pipeline.h"

#include <algorithm>
#include <cassert>
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
    double sum = 0.0;
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
  scratch.sums.assign(outputs, 0.0);
  double* sums = scratch.sums.data();
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

void ExportPipeline::Explain(std::string_view text, int output,
                             Scratch& scratch,
                             LogitExplanation& explanation) const {
  assert(output >= 0 && output < outputs());
  const TextVectorization& vectorizer = model_.vectorizer;
  const int length = vectorizer.sequence_length();
  const Vocabulary& vocabulary = vectorizer.vocabulary();
  const Network& network = model_.network;
  explanation.output = output;
  explanation.ids.clear();
  explanation.contributions.clear();
  explanation.term_bytes.clear();
  explanation.term_ends.clear();
  vectorizer.terms().ForEachTerm(
      text, scratch.terms, static_cast<size_t>(length),
      [&](std::string_view term, uint64_t hash) {
        explanation.ids.push_back(vocabulary.LookupPadded(term, hash));
        explanation.term_bytes += term;
        explanation.term_ends.push_back(explanation.term_bytes.size());
        return true;
      });
  const int count = static_cast<int>(explanation.ids.size());
  const int pooled = network.PooledPositions(count);

  // The logits as Logits computes them, bit for bit: the same additions in
  // the same order (terms, then padding unless masked).
  const size_t outputs_count = static_cast<size_t>(outputs());
  scratch.sums.assign(outputs_count, 0.0);
  const auto add = [&](int32_t id) {
    const float* row =
        token_scores_.data() + static_cast<size_t>(id) * outputs_count;
    for (size_t k = 0; k < outputs_count; ++k) scratch.sums[k] += row[k];
  };
  for (const int32_t id : explanation.ids) add(id);
  const int padding_positions =
      network.config().mask_padding ? 0 : length - count;
  for (int t = 0; t < padding_positions; ++t) add(Vocabulary::kPaddingIndex);
  std::vector<float> logits(outputs_count);
  network.LogitsFromScoreSums(scratch.sums, pooled, logits);
  explanation.logit = logits[static_cast<size_t>(output)];

  explanation.bias =
      network.parameters().dense_bias(static_cast<Eigen::Index>(output));
  // Each part is a per-token score / L, in double, from the scores the
  // logit sums.
  const auto score = [&](int32_t id) -> double {
    return token_scores_[static_cast<size_t>(id) * outputs_count +
                         static_cast<size_t>(output)];
  };
  explanation.padding =
      pooled == 0 ? 0.0
                  : score(Vocabulary::kPaddingIndex) * padding_positions / pooled;
  for (const int32_t id : explanation.ids) {
    explanation.contributions.push_back(score(id) / pooled);
  }
}

}  // namespace sentiment
