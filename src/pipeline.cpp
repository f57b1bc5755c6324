#include "sentiment/pipeline.h"

#include <utility>

#include "sentiment/error.h"

namespace sentiment {

ExportPipeline::ExportPipeline(TrainedModel model, Activation activation)
    : model_(std::move(model)), activation_(activation) {
  if (model_.class_names.size() != 2) {
    throw InvalidInput("a sigmoid pipeline needs exactly 2 classes, the model has " +
                       std::to_string(model_.class_names.size()));
  }
}

float ExportPipeline::Logit(std::string_view text, Scratch& scratch) const {
  scratch.ids.resize(model_.vectorizer.sequence_length());
  model_.vectorizer.Vectorize(text, scratch.ids, scratch.standardized);
  return model_.network.Logit(scratch.ids);
}

}  // namespace sentiment
