// Fits the network the way Keras's model.fit does in the tutorial: Adam,
// cross-entropy on logits (binary for one logit, sparse categorical for K),
// optional class weights, mini-batches reshuffled every epoch, metrics per
// epoch.
#ifndef SENTIMENT_TRAINER_H_
#define SENTIMENT_TRAINER_H_

#include <cstdint>
#include <functional>
#include <span>
#include <vector>

#include "sentiment/logit_histogram.h"
#include "sentiment/network.h"
#include "sentiment/numpy_random.h"

namespace sentiment {

struct FitOptions {
  int epochs = 10;              // passes over the training set
  int batch_size = 32;          // examples per Adam step (last batch may be smaller)
  float learning_rate = 1e-3f;  // Adam step size
  uint32_t seed = 42;           // drives the epoch shuffles and dropout
  int threads = 1;              // worker threads for the batch and the update
  // Each class's loss weight, as Keras's fit(class_weight=...); empty: all 1.
  std::vector<float> class_weights = {};
  // Early stopping, 0 for none: Keras EarlyStopping(monitor="val_loss",
  // patience=N, restore_best_weights=True, min_delta=0). See Fit.
  int patience = 0;
};

// Keras's fit history for one epoch. Validation values are NaN when there is
// no validation set.
struct EpochMetrics {
  double loss = 0.0;          // mean training loss (class-weighted), dropout active
  double accuracy = 0.0;      // training accuracy (class-weighted), dropout active
  double val_loss = 0.0;      // mean loss on the validation set
  double val_accuracy = 0.0;  // accuracy on the validation set
  // The validation margins (LogitMargin) by true class, from the same pass
  // as val_loss (dropout off); empty without a validation set or in files
  // written before it was recorded.
  LogitHistogram val_logits = {};
};

// Token ids (rows of sequence_length) with their class labels.
struct VectorizedSet {
  std::vector<int32_t> ids;
  std::vector<int32_t> labels;  // class index: 0 or 1 for a binary model
  size_t size() const { return labels.size(); }
};

struct Evaluation {
  double loss = 0.0;      // mean cross-entropy (the model's own loss)
  double accuracy = 0.0;  // fraction whose PredictedClass is the label
};

// Loss and accuracy of the network with dropout off, on `threads` threads.
// NaN for an empty set. The loss is of logits / `temperature` (a calibrated
// bundle's activation stage, see temperature_scaling.h; 1 leaves the logits
// as they are); the accuracy does not depend on it.
Evaluation Evaluate(const Network& network, const VectorizedSet& data,
                    int threads = 1, float temperature = 1.0f);

// scikit-learn's class_weight="balanced": n / (K * n_k) for class k, where
// n_k counts the labels of class k among `labels`; 0 for a class absent
// from them (it has no example to weigh).
std::vector<float> BalancedClassWeights(std::span<const int32_t> labels,
                                        int classes);

// The example order of each epoch, a documented function of the seed:
// RandomState(DeriveSeed(seed, kEpochShuffles)) shuffles 0..n-1 in place
// (numpy's shuffle) at the start of every epoch, each epoch continuing from
// the previous epoch's order. Batches are consecutive slices of it.
class EpochOrder {
 public:
  EpochOrder(size_t n, uint32_t seed);
  // Shuffles and returns the next epoch's order.
  const std::vector<size_t>& Next();

 private:
  RandomState random_;
  std::vector<size_t> order_;
};

// The epoch early stopping keeps: the first with the lowest validation loss
// (Keras's comparison: a later epoch must be strictly lower). -1 when no
// epoch has a validation loss.
int BestEpoch(const std::vector<EpochMetrics>& history);

struct FitCallbacks {
  // After each epoch, with its index from 0 (for progress).
  std::function<void(int, const EpochMetrics&)> on_epoch;
  // After each Adam step, with its index from 0 and the batch loss computed
  // before the step (for tests and progress).
  std::function<void(int64_t, double)> on_batch;
  // Asked after each Adam step (after on_batch); true stops training at once,
  // for a time budget (autotune.h). The unfinished epoch is left out of the
  // history; see Fit for the weights kept.
  std::function<bool()> should_stop;
};

// Trains `network` in place and returns one EpochMetrics per epoch run. The
// result is deterministic for a given seed and thread count; the thread count
// changes only the order in which per-example gradients are summed.
// Arithmetic flushes denormal floats to zero, as TensorFlow's CPU kernels do;
// the caller's floating-point modes are restored on return.
// With options.patience = N > 0, training stops once N epochs in a row have
// not lowered the best validation loss (strictly), and the network is left
// holding the weights of the best epoch (BestEpoch of the history), also
// when the epoch cap comes first (where Keras would keep the last epoch's).
// When callbacks.should_stop returns true, Fit returns at once with the
// epochs completed so far; with patience > 0 the network then holds the best
// completed epoch's weights (those of the stop point if none completed),
// without patience the weights of the stop point, mid-epoch.
// Throws Error(kInvalidInput) on bad options, an empty training set,
// patience without a validation set, or a diverging loss.
std::vector<EpochMetrics> Fit(Network& network, const VectorizedSet& training,
                              const VectorizedSet& validation,
                              const FitOptions& options,
                              const FitCallbacks& callbacks = {});

}  // namespace sentiment

#endif  // SENTIMENT_TRAINER_H_
