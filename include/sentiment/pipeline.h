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

// One logit split exactly into its parts. Pooling and Dense are linear, so
// logit = bias + padding + the sum of the terms' contributions, where a
// term's contribution is TokenScore(id, output) / L, `padding` is
// TokenScore(0, output) * (padding positions) / L, and L is the pooling
// divisor (Network::PooledPositions: sequence_length, or with mask_padding
// the number of terms, padding then 0; no terms pools to zero, so the logit
// is the bias). The parts come from the per-token scores the logits sum,
// in double; the logit is their sum computed in double and rounded once to
// float, so the parts add up to it to about 1e-7 of the logit itself, even
// when large parts cancel to a logit near 0.
struct LogitExplanation {
  int output = 0;        // which of the network's logits
  float logit = 0.0f;    // that logit, bit for bit as ExportPipeline::Logits
  float bias = 0.0f;     // the Dense layer's bias for `output`
  double padding = 0.0;  // the padding positions' share (0 when masking)
  // The terms that fit in the sequence, in sequence order: each as it
  // appears after standardization and splitting (an n-gram's tokens joined
  // by one space), its vocabulary id (Vocabulary::kOutOfVocabularyIndex for
  // an unknown term) and its contribution.
  std::vector<int32_t> ids;
  std::vector<double> contributions;
  std::string term_bytes;         // the terms end to end
  std::vector<size_t> term_ends;  // where each term ends in term_bytes

  size_t size() const { return ids.size(); }
  std::string_view term(size_t i) const {
    const size_t begin = i == 0 ? 0 : term_ends[i - 1];
    return std::string_view(term_bytes).substr(begin, term_ends[i] - begin);
  }
};

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
    std::vector<double> sums;
  };

  // The network's raw outputs for `text` into `logits` (outputs() values),
  // before the activation stage; bit for bit the network's Logits of the
  // vectorized text, computed from per-token scores without materializing
  // the ids.
  void Logits(std::string_view text, Scratch& scratch,
              std::span<float> logits) const;

  // Splits logit `output` (in [0, outputs())) of `text` into its bias,
  // padding and per-term parts (see LogitExplanation); explanation.logit is
  // logits[output] of Logits(text). Reuses the explanation's buffers.
  void Explain(std::string_view text, int output, Scratch& scratch,
               LogitExplanation& explanation) const;

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
