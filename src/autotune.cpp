#include "sentiment/autotune.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <map>
#include <numeric>
#include <optional>
#include <ostream>
#include <utility>

#include "sentiment/error.h"
#include "sentiment/numpy_random.h"
#include "output_path.h"
#include "train_steps.h"

namespace sentiment {
namespace fs = std::filesystem;
namespace {

using Clock = std::chrono::steady_clock;

double SecondsBetween(Clock::time_point from, Clock::time_point to) {
  return std::chrono::duration<double>(to - from).count();
}

void ValidateAutotuneOptions(const AutotuneOptions& autotune,
                             const TrainOptions& options) {
  if (!autotune.seconds && !autotune.trials) {
    throw InvalidInput("autotune needs --autotune SECONDS or --autotune-trials N");
  }
  if (autotune.seconds &&
      !(*autotune.seconds > 0.0 && *autotune.seconds <= 1e9)) {
    throw InvalidInput("--autotune must be a positive number of seconds, got " +
                       Format("%g", *autotune.seconds));
  }
  if (autotune.trials && (*autotune.trials < 1 || *autotune.trials > 1'000'000)) {
    throw InvalidInput("--autotune-trials must be between 1 and 1000000, got " +
                       std::to_string(*autotune.trials));
  }
  if (options.validation_split <= 0.0) {
    throw InvalidInput(
        "--autotune needs a validation set to score the trials on; set "
        "--validation-split above 0");
  }
}

// The options of the largest model the search may build, for the memory
// check before reading.
TrainOptions LargestOptions(const TrainOptions& options) {
  TrainOptions largest = options;
  largest.vectorizer.max_tokens = std::max(largest.vectorizer.max_tokens, 50000);
  largest.embedding_dim = std::max(largest.embedding_dim, 64);
  return largest;
}

// Predicts the seconds of a trial's parts from those measured so far.
// Dense Adam updates the whole embedding every step, so an epoch costs
// about dim x (batch x length + vocabulary) per step; adapting and
// vectorizing cost about ngrams passes over the texts. Each rate is the
// largest seen, so predictions err long.
class CostModel {
 public:
  CostModel(const TrainOptions& options)
      : batch_positions_(static_cast<double>(options.fit.batch_size) *
                         options.vectorizer.output_sequence_length) {}

  void RecordEpoch(double seconds, int dim, size_t vocabulary) {
    epoch_rate_ = std::max(epoch_rate_, seconds / EpochUnits(dim, vocabulary));
  }
  void RecordVectorizing(double seconds, int ngrams) {
    vectorize_rate_ = std::max(vectorize_rate_, seconds / ngrams);
  }
  bool measured() const { return epoch_rate_ > 0.0; }
  double Epoch(int dim, size_t vocabulary) const {
    return epoch_rate_ * EpochUnits(dim, vocabulary);
  }
  double Vectorizing(int ngrams) const { return vectorize_rate_ * ngrams; }

 private:
  double EpochUnits(int dim, size_t vocabulary) const {
    return dim * (batch_positions_ + static_cast<double>(vocabulary));
  }

  double batch_positions_;
  double epoch_rate_ = 0.0;
  double vectorize_rate_ = 0.0;
};

using VectorizedCache = std::map<std::pair<int, int>, VectorizedTexts>;

// The vocabulary size of (ngrams, max_tokens): known when cached; else a
// cached vocabulary of the same n-grams that its cap did not cut holds every
// term, so the size is that capped; else the cap, an upper bound.
size_t ExpectedVocabulary(const VectorizedCache& cache,
                          std::pair<int, int> key) {
  if (const auto found = cache.find(key); found != cache.end()) {
    return found->second.vectorizer.vocabulary().size();
  }
  const size_t cap = static_cast<size_t>(key.second);
  for (const auto& [other, texts] : cache) {
    const size_t size = texts.vectorizer.vocabulary().size();
    if (other.first == key.first && size < static_cast<size_t>(other.second)) {
      return std::min(size, cap);
    }
  }
  return cap;
}

// One trial's network and vectorizer, kept while it is the best.
struct Candidate {
  TrialResult result;
  TrainOptions options;  // as recorded in the file
  std::optional<Network> network;
  const TextVectorization* vectorizer = nullptr;
};

std::string DescribeTrial(const TrialResult& trial) {
  std::string line = "Trial " + std::to_string(trial.number) + ": " +
                     DescribeSettings(trial.settings) + " -> ";
  if (!trial.failure.empty()) {
    line += "failed: " + trial.failure;
  } else if (trial.kept_epoch < 0) {
    line += "no epoch completed";
  } else {
    const EpochMetrics& kept = trial.history[trial.kept_epoch];
    line += Format("best epoch %d of %zu, val_loss %.4f, val_accuracy %.4f",
                   trial.kept_epoch + 1, trial.history.size(), kept.val_loss,
                   kept.val_accuracy);
  }
  line += Format(", %.1fs", trial.seconds);
  if (trial.stopped_at_deadline) line += " (stopped at the deadline)";
  return line;
}

}  // namespace

std::vector<AutotuneSettings> AutotuneSpace() {
  std::vector<AutotuneSettings> space;
  for (float learning_rate : {0.001f, 0.003f, 0.01f, 0.03f, 0.1f}) {
    for (int dim : {16, 32, 64}) {
      for (int ngrams : {1, 2}) {
        for (bool mask : {false, true}) {
          for (int max_tokens : {10000, 20000, 50000}) {
            space.push_back({learning_rate, dim, ngrams, mask, max_tokens});
          }
        }
      }
    }
  }
  return space;
}

std::vector<AutotuneSettings> AutotuneSequence(const AutotuneSettings& first,
                                               uint32_t seed) {
  const std::vector<AutotuneSettings> space = AutotuneSpace();
  std::vector<size_t> order(space.size());
  std::iota(order.begin(), order.end(), size_t{0});
  RandomState(DeriveSeed(seed, SeedStream::kAutotune)).Shuffle(order);
  std::vector<AutotuneSettings> sequence{first};
  for (size_t index : order) {
    if (!(space[index] == first)) sequence.push_back(space[index]);
  }
  return sequence;
}

AutotuneSettings SettingsOf(const TrainOptions& options) {
  return {options.fit.learning_rate, options.embedding_dim,
          options.vectorizer.ngrams, options.mask_padding,
          options.vectorizer.max_tokens};
}

TrainOptions TrialOptions(const TrainOptions& user,
                          const AutotuneSettings& settings) {
  TrainOptions options = user;
  options.fit.learning_rate = settings.learning_rate;
  options.embedding_dim = settings.embedding_dim;
  options.vectorizer.ngrams = settings.ngrams;
  options.mask_padding = settings.mask_padding;
  options.vectorizer.max_tokens = settings.max_tokens;
  options.fit.epochs = std::max(user.fit.epochs, 50);
  options.fit.patience = std::max(user.fit.patience, 3);
  return options;
}

std::string DescribeSettings(const AutotuneSettings& s) {
  return Format("learning_rate %g, embedding_dim %d, ngrams %d, mask_padding %s, "
                "max_tokens %d",
                static_cast<double>(s.learning_rate), s.embedding_dim, s.ngrams,
                s.mask_padding ? "on" : "off", s.max_tokens);
}

bool BetterTrial(const TrialResult& a, const TrialResult& b) {
  const EpochMetrics& x = a.history[a.kept_epoch];
  const EpochMetrics& y = b.history[b.kept_epoch];
  if (x.val_accuracy != y.val_accuracy) return x.val_accuracy > y.val_accuracy;
  return x.val_loss < y.val_loss;
}

AutotuneReport RunAutotune(const fs::path& data, const fs::path& output,
                           const TrainOptions& options,
                           const AutotuneOptions& autotune, std::ostream& log,
                           const InputOptions& input_options) {
  const Clock::time_point start = Clock::now();
  ValidateAutotuneOptions(autotune, options);
  ValidateTrainOptions(options);
  CheckOutputPath(output);
  // Trials stop 5% before the end of the budget, less the time to write the
  // largest model trained so far: the margin covers the batch in flight when
  // the deadline passes, restoring the best weights and writing the model.
  std::optional<Clock::time_point> deadline;
  if (autotune.seconds) {
    deadline = start + std::chrono::duration_cast<Clock::duration>(
                           std::chrono::duration<double>(0.95 * *autotune.seconds));
  }
  const Clock::time_point budget_end = deadline.value_or(start);
  const auto reserve_for_writing = [&](const Network& network) {
    if (!deadline) return;
    // Weights and about 16 bytes a token, at a pessimistic 100 MB/s
    // (the write ends with fsync).
    const double bytes = 4.0 * static_cast<double>(network.parameter_count()) +
                         16.0 * network.config().vocabulary_size;
    deadline = std::min(*deadline,
                        budget_end - std::chrono::duration_cast<Clock::duration>(
                                         std::chrono::duration<double>(bytes / 100e6)));
  };
  const auto past_deadline = [&] { return deadline && Clock::now() >= *deadline; };

  SplitTexts texts = ReadSplitTexts(data, options, LargestOptions(options), log,
                                    input_options);
  const int classes = static_cast<int>(texts.class_names.size());
  const double reading_seconds = SecondsBetween(start, Clock::now());
  log << "Autotune: "
      << (autotune.trials ? std::to_string(*autotune.trials) + " trials" +
                                (autotune.seconds ? Format(" within %gs",
                                                           *autotune.seconds)
                                                  : "")
                          : Format("as many trials as fit in %gs",
                                   *autotune.seconds))
      << ", scored on the validation split.\n";

  VectorizedCache vectorized;  // by (ngrams, max_tokens)
  CostModel costs(options);
  AutotuneReport report;
  std::optional<Candidate> best;
  double first_epoch_estimate = -1.0;  // seconds, from the first trial's batches
  for (const AutotuneSettings& settings :
       AutotuneSequence(SettingsOf(options), options.fit.seed)) {
    if (autotune.trials &&
        static_cast<int>(report.trials.size()) >= *autotune.trials) {
      break;
    }
    if (past_deadline()) break;
    const std::pair<int, int> key{settings.ngrams, settings.max_tokens};
    const auto cached = vectorized.find(key);
    if (deadline && costs.measured()) {
      // Not started when two epochs (and the vectorizing) would not fit.
      const size_t vocabulary = ExpectedVocabulary(vectorized, key);
      const double predicted =
          (cached != vectorized.end() ? 0.0 : costs.Vectorizing(settings.ngrams)) +
          2.0 * costs.Epoch(settings.embedding_dim, vocabulary);
      if (SecondsBetween(Clock::now(), *deadline) < predicted) {
        ++report.skipped;
        continue;
      }
    }

    TrialResult trial;
    trial.number = static_cast<int>(report.trials.size()) + 1;
    trial.settings = settings;
    const Clock::time_point trial_start = Clock::now();
    const TrainOptions trial_options = TrialOptions(options, settings);
    auto found = vectorized.find(key);
    if (found == vectorized.end()) {
      found = vectorized
                  .emplace(key, VectorizeTexts(texts, trial_options.vectorizer,
                                               options.fit.threads))
                  .first;
      costs.RecordVectorizing(SecondsBetween(trial_start, Clock::now()),
                              settings.ngrams);
    }
    const VectorizedTexts& sets = found->second;

    Network network = InitialNetwork(trial_options, sets.vectorizer, classes);
    reserve_for_writing(network);
    const FitOptions fit = FitOptionsFor(trial_options, sets.training, classes);
    const int64_t batches_per_epoch =
        (static_cast<int64_t>(sets.training.size()) + fit.batch_size - 1) /
        fit.batch_size;
    int64_t batches = 0;
    FitCallbacks callbacks;
    callbacks.on_batch = [&](int64_t, double) { ++batches; };
    callbacks.should_stop = [&] {
      trial.stopped_at_deadline = past_deadline();
      return trial.stopped_at_deadline;
    };
    const Clock::time_point fit_start = Clock::now();
    try {
      trial.history = Fit(network, sets.training, sets.validation, fit, callbacks);
    } catch (const Error& error) {
      if (error.kind() != ErrorKind::kInvalidInput) throw;
      trial.failure = error.what();  // a diverging learning rate, say
      trial.history.clear();
    }
    const Clock::time_point fit_end = Clock::now();
    trial.seconds = SecondsBetween(trial_start, fit_end);
    if (batches > 0) {
      const double epoch_seconds = SecondsBetween(fit_start, fit_end) *
                                   static_cast<double>(batches_per_epoch) /
                                   static_cast<double>(batches);
      costs.RecordEpoch(epoch_seconds, settings.embedding_dim,
                        sets.vectorizer.vocabulary().size());
      if (first_epoch_estimate < 0.0) first_epoch_estimate = epoch_seconds;
    }
    if (trial.failure.empty()) trial.kept_epoch = KeptEpoch(fit, trial.history);
    log << DescribeTrial(trial) << "\n" << std::flush;

    if (trial.kept_epoch >= 0 && (!best || BetterTrial(trial, best->result))) {
      TrainOptions recorded = trial_options;
      recorded.fit.threads = fit.threads;
      best = Candidate{trial, recorded, std::move(network), &sets.vectorizer};
      report.chosen = static_cast<int>(report.trials.size());
    }
    report.trials.push_back(std::move(trial));
  }

  if (!best) {
    if (deadline && past_deadline()) {
      throw InvalidInput(
          Format("--autotune %g: the budget ran out before any trial completed an "
                 "epoch (reading took %.2fs",
                 *autotune.seconds, reading_seconds) +
          (first_epoch_estimate >= 0.0
               ? Format(", one epoch of trial 1 takes about %.2fs",
                        first_epoch_estimate)
               : std::string()) +
          "); give it more seconds or a smaller data set");
    }
    throw InvalidInput("autotune: every trial failed; the first: " +
                       (report.trials.empty() ? std::string("none ran")
                                              : report.trials.front().failure));
  }

  const EpochMetrics& kept = best->result.history[best->result.kept_epoch];
  log << "Chose trial " << best->result.number << " of " << report.trials.size()
      << Format(" (val_accuracy %.4f, val_loss %.4f): ", kept.val_accuracy,
                kept.val_loss)
      << DescribeSettings(best->result.settings);
  if (report.skipped > 0) {
    log << "; " << report.skipped
        << " settings not started, too slow for the time left";
  }
  log << ".\n";
  if (const auto warning =
          MajorityClassWarning(kept.val_accuracy, texts.validation.labels,
                               texts.class_names, texts.noun)) {
    log << *warning << "\n";
  }
  SaveTrainedModel(TrainedModel{std::move(texts.class_names), *best->vectorizer,
                                std::move(*best->network), best->options,
                                best->result.history},
                   output, log);
  return report;
}

}  // namespace sentiment
