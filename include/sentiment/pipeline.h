// The export pipeline: vectorizer -> network -> activation. This is what a
// bundle file holds and what `predict` runs.
#ifndef SENTIMENT_PIPELINE_H_
#define SENTIMENT_PIPELINE_H_

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "sentiment/activation.h"
#include "sentiment/model.h"

namespace sentiment {

class ExportPipeline {
 public:
  // Appends the activation stage to a trained model; the network itself is
  // unchanged. The stage divides the logits by `temperature` before the
  // activation (1 unless the bundle was calibrated, see
  // temperature_scaling.h). Throws Error(kInvalidInput) unless the
  // activation suits the network's outputs (sigmoid for one logit, softmax
  // for several) and the temperature is finite and above 0.
  ExportPipeline(TrainedModel model, Activation activation,
                 float temperature = 1.0f);

  // Reusable buffers so predicting many lines does not allocate per line.
  struct Scratch {
    TextVectorization::Scratch terms;
    std::vector<float> sums;
  };

  // The network's raw outputs for `text` into `logits` (outputs() values),
  // before the activation stage; bit for bit the network's Logits of the
  // vectorized text, computed from per-token scores without materializing
  // the ids.
  void Logits(std::string_view text, Scratch& scratch,
              std::span<float> logits) const;

  // The class probabilities for logits (classes() values, in class order):
  // the activation of logits / temperature() (ClassProbabilities).
  void Probabilities(std::span<const float> logits,
                     std::span<float> probabilities) const {
    ClassProbabilities(logits, probabilities, temperature_);
  }

  // The predicted class's name (see PredictedClass). It reads the logits, so
  // the temperature never changes it.
  const std::string& ClassForLogits(std::span<const float> logits) const {
    return model_.class_names[PredictedClass(logits)];
  }

  int outputs() const { return model_.network.config().outputs; }
  int classes() const { return static_cast<int>(model_.class_names.size()); }
  const TrainedModel& model() const { return model_; }
  Activation activation() const { return activation_; }
  // The activation stage's temperature T: probabilities are of logits / T.
  float temperature() const { return temperature_; }

 private:
  TrainedModel model_;
  Activation activation_;
  float temperature_;
  std::vector<float> token_scores_;  // Network::TokenScores()
};

}  // namespace sentiment

#endif  // SENTIMENT_PIPELINE_H_
