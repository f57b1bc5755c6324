// A trained model: everything `train` produces. It predicts logits only;
// the output activation is added when it is exported (see pipeline.h).
#ifndef SENTIMENT_MODEL_H_
#define SENTIMENT_MODEL_H_

#include <string>
#include <string_view>
#include <vector>

#include "sentiment/network.h"
#include "sentiment/text_vectorization.h"
#include "sentiment/trainer.h"

namespace sentiment {

// How examples' losses are weighed by class.
enum class ClassWeight {
  kNone,      // every example weighs 1
  kBalanced,  // n / (K * n_class), scikit-learn's "balanced"
};

// "none" or "balanced"; ParseClassWeight throws Error(kInvalidInput) on
// another name.
std::string_view ClassWeightName(ClassWeight weight);
ClassWeight ParseClassWeight(std::string_view name);

// Every setting of `sentiment train`, with the tutorial's defaults.
struct TrainOptions {
  VectorizerOptions vectorizer;   // max_tokens, length, standardize, ngrams
  int embedding_dim = 16;         // Embedding output width
  bool mask_padding = false;      // Embedding(mask_zero=True) pooling
  float dropout = 0.2f;           // rate of both Dropout layers
  ClassWeight class_weight = ClassWeight::kNone;
  FitOptions fit;                 // epochs, batch size, learning rate, seed
  double validation_split = 0.2;  // fraction of files held out, in [0, 1)
  // For a default patience rather than one asked for: with no validation
  // example to watch, early stopping is dropped (with a warning) instead
  // of refused. Not part of the model file.
  bool patience_optional = false;
};

// Throws Error(kInvalidInput) naming the first out-of-range option.
void ValidateTrainOptions(const TrainOptions& options);

struct TrainedModel {
  std::vector<std::string> class_names;  // label i is class_names[i]
  TextVectorization vectorizer;
  Network network;
  TrainOptions options;                  // how it was trained (for inspect)
  std::vector<EpochMetrics> history;     // one entry per epoch
};

}  // namespace sentiment

#endif  // SENTIMENT_MODEL_H_
