// The export pipeline: vectorizer -> network -> activation. This is what a
// bundle file holds and what `predict` runs.
#ifndef SENTIMENT_PIPELINE_H_
#define SENTIMENT_PIPELINE_H_

#include <string>
#include <string_view>
#include <vector>

#include "sentiment/activation.h"
#include "sentiment/model.h"

namespace sentiment {

class ExportPipeline {
 public:
  // Appends the activation stage to a trained model; the network itself is
  // unchanged. Throws Error(kInvalidInput) unless the model has two classes.
  ExportPipeline(TrainedModel model, Activation activation);

  // Reusable buffer so predicting many lines does not allocate per line.
  struct Scratch {
    std::string token;
  };

  // The network's raw output for `text`, before the activation stage;
  // bit for bit the network's Logit of the vectorized text, computed from
  // per-token scores without materializing the ids.
  float Logit(std::string_view text, Scratch& scratch) const;

  // The activation applied to the logit: the probability of class_names()[1].
  float Predict(std::string_view text, Scratch& scratch) const {
    return Apply(activation_, Logit(text, scratch));
  }

  // The predicted class for a logit: the second class when logit > 0.
  const std::string& ClassForLogit(float logit) const {
    return model_.class_names[logit > 0 ? 1 : 0];
  }

  const TrainedModel& model() const { return model_; }
  Activation activation() const { return activation_; }

 private:
  TrainedModel model_;
  Activation activation_;
  std::vector<float> token_scores_;  // Network::TokenScores()
};

}  // namespace sentiment

#endif  // SENTIMENT_PIPELINE_H_
