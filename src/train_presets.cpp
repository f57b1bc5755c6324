#include "sentiment/train_presets.h"

#include <string>

#include "sentiment/error.h"

namespace sentiment {

TrainOptions DefaultTrainOptions() {
  TrainOptions options;
  // Adam at 0.001 for 10 epochs barely moves the weights on a few thousand
  // texts; ten times the rate with early stopping learns on every corpus
  // measured and stops once validation loss stops falling.
  options.fit.learning_rate = 0.01f;
  options.fit.epochs = 50;
  options.fit.patience = 3;
  options.patience_optional = true;
  // Sentences padded to 250 positions pool mostly padding and cost ten
  // times the work of their terms; a length from the data trains short
  // texts two to five times faster at the same accuracy, and leaves long
  // texts at the tutorial's 250.
  options.vectorizer.output_sequence_length = kSequenceLengthFromData;
  return options;
}

TrainOptions TutorialTrainOptions() { return TrainOptions{}; }

void ApplyPreset(std::string_view name, TrainOptions& options) {
  if (name != "tutorial") {
    throw InvalidInput("unknown preset '" + std::string(name) +
                       "' (known: tutorial)");
  }
  const int threads = options.fit.threads;
  options = TutorialTrainOptions();
  options.fit.threads = threads;
}

}  // namespace sentiment
