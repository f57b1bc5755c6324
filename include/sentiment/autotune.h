// `sentiment train --autotune SECONDS / --autotune-trials N`: searches
// training settings on the validation split and writes the best model, like
// fastText's -autotune-duration but within a hard wall-clock budget.
#ifndef SENTIMENT_AUTOTUNE_H_
#define SENTIMENT_AUTOTUNE_H_

#include <cstdint>
#include <filesystem>
#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

#include "sentiment/data_file.h"
#include "sentiment/model.h"

namespace sentiment {

// How long and how far to search; at least one must be set.
struct AutotuneOptions {
  // Wall-clock seconds for the whole run, from reading the data to writing
  // the model; nothing: no time limit.
  std::optional<double> seconds;
  // Trials to run (fewer if the space or the time runs out); nothing: until
  // the time budget or the space runs out.
  std::optional<int> trials;
};

// The settings autotune varies: one point of the search space.
struct AutotuneSettings {
  float learning_rate = 1e-3f;
  int embedding_dim = 16;
  int ngrams = 1;
  bool mask_padding = false;
  int max_tokens = 10000;
  bool operator==(const AutotuneSettings&) const = default;
};

// The search space, 180 points: learning_rate {0.001, 0.003, 0.01, 0.03,
// 0.1} x embedding_dim {16, 32, 64} x ngrams {1, 2} x mask_padding {off, on}
// x max_tokens {10000, 20000, 50000}, in that nesting order (max_tokens
// varies fastest).
std::vector<AutotuneSettings> AutotuneSpace();

// The settings of trials 1, 2, ...: `first` (the user's), then the space
// in the order numpy's RandomState(DeriveSeed(seed, kAutotune)).shuffle
// leaves its indices, without `first`. A function of the seed alone.
std::vector<AutotuneSettings> AutotuneSequence(const AutotuneSettings& first,
                                               uint32_t seed);

// The varied settings of `options`.
AutotuneSettings SettingsOf(const TrainOptions& options);

// The options a trial trains with: `user` with `settings`, an epoch cap of
// max(user's epochs, 50) and patience max(user's patience, 3), so that every
// trial stops through early stopping and keeps its best epoch, whatever
// epoch count suits its learning rate.
TrainOptions TrialOptions(const TrainOptions& user,
                          const AutotuneSettings& settings);

// "learning_rate 0.01, embedding_dim 32, ngrams 2, mask_padding on,
// max_tokens 20000".
std::string DescribeSettings(const AutotuneSettings& settings);

struct TrialResult {
  int number = 0;                     // from 1, in the order run
  AutotuneSettings settings;
  std::vector<EpochMetrics> history;  // completed epochs; empty: dropped
  int kept_epoch = -1;                // BestEpoch(history), the weights kept
  double seconds = 0.0;               // vectorizing (if not cached) and fit
  bool stopped_at_deadline = false;
  std::string failure;                // why Fit refused, e.g. it diverged
};

// True when `a` beats `b`: a higher val_accuracy of the kept epoch, or an
// equal one with a lower val_loss. (Earlier trials win remaining ties: a
// later trial must beat the best so far.)
bool BetterTrial(const TrialResult& a, const TrialResult& b);

struct AutotuneReport {
  std::vector<TrialResult> trials;  // in the order run
  int chosen = -1;                  // index into trials of the model written
  int skipped = 0;  // settings not started: predicted not to fit the time left
};

// Reads and splits `data` once (as RunTrain), then trains one trial per
// settings of AutotuneSequence, each on the same split, adapting and
// vectorizing once per distinct (ngrams, max_tokens). Logs one line per
// trial and the choice to `log` (no epoch lines), and writes the chosen
// trial's model as trained: its vectorizer, network (best epoch), history,
// and TrialOptions as its options.
// With a time budget, the deadline is fixed on entry: trials are stopped at
// it (keeping their best completed epoch), a trial predicted (from the
// measured cost of earlier trials) not to fit two epochs before it is not
// started, and a margin is left for writing the model. Without one, the
// result is deterministic for a given seed and thread count.
// Throws Error(kInvalidInput) on bad options, a validation split of 0, a
// budget that ends before any trial completes an epoch (no file written),
// or when every trial failed; otherwise as RunTrain.
AutotuneReport RunAutotune(const std::filesystem::path& data,
                           const std::filesystem::path& output,
                           const TrainOptions& options,
                           const AutotuneOptions& autotune, std::ostream& log,
                           const InputOptions& input = {});

}  // namespace sentiment

#endif  // SENTIMENT_AUTOTUNE_H_
