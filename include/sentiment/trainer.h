// Fits the network the way Keras's model.fit does in the tutorial: Adam,
// binary cross-entropy on logits, mini-batches reshuffled every epoch,
// metrics per epoch.
#ifndef SENTIMENT_TRAINER_H_
#define SENTIMENT_TRAINER_H_

#include <cstdint>
#include <functional>
#include <span>
#include <vector>

#include "sentiment/network.h"

namespace sentiment {

struct FitOptions {
  int epochs = 10;              // passes over the training set
  int batch_size = 32;          // examples per Adam step (last batch may be smaller)
  float learning_rate = 1e-3f;  // Adam step size
  uint32_t seed = 42;           // drives the epoch shuffles and dropout
  int threads = 1;              // worker threads for the batch and the update
};

// Keras's fit history for one epoch. Validation values are NaN when there is
// no validation set.
struct EpochMetrics {
  double loss = 0.0;          // mean training loss, dropout active
  double accuracy = 0.0;      // training accuracy, dropout active
  double val_loss = 0.0;      // mean loss on the validation set
  double val_accuracy = 0.0;  // accuracy on the validation set
};

// Token ids (rows of sequence_length) with their 0/1 labels.
struct VectorizedSet {
  std::vector<int32_t> ids;
  std::vector<float> labels;
  size_t size() const { return labels.size(); }
};

struct Evaluation {
  double loss = 0.0;      // mean binary cross-entropy
  double accuracy = 0.0;  // fraction with (logit > 0) == label
};

// Loss and accuracy of the network with dropout off, on `threads` threads.
Evaluation Evaluate(const Network& network, const VectorizedSet& data,
                    int threads = 1);

// Trains `network` in place and returns one EpochMetrics per epoch. The
// result is deterministic for a given seed and thread count; the thread count
// changes only the order in which per-example gradients are summed.
// `on_epoch(epoch_index, metrics)` is called after each epoch (for progress).
// Throws Error(kInvalidInput) on bad options or an empty training set.
std::vector<EpochMetrics> Fit(
    Network& network, const VectorizedSet& training,
    const VectorizedSet& validation, const FitOptions& options,
    const std::function<void(int, const EpochMetrics&)>& on_epoch = {});

}  // namespace sentiment

#endif  // SENTIMENT_TRAINER_H_
