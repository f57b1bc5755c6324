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
  largest.fit.patience = std::max(largest.fit.patience, 3);  // as TrialOptions
  return largest;
}

// Predicts the seconds of a trial's parts from those measured so far.
// Dense Adam updates the whole embedding every step, so an epoch costs
// about dim x (batch x length + vocabulary) per step; adapting and
// vectorizing cost about ngrams passes over the texts. Each rate is the
// largest seen, so predictions err long.
class CostModel {
 public:
  explicit CostModel(const TrainOptions& options)
      : batch_positions_(static_cast<double>(options.fit.batch_size) *
                         SequenceLengthBound(options.vectorizer)) {}

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


using Deadline = std::optional<Clock::time_point>;

Clock::duration Seconds(double seconds) {
  return std::chrono::duration_cast<Clock::duration>(
      std::chrono::duration<double>(seconds));
}

// The trials of one search: each vectorizes (once per (ngrams, max_tokens))
// and fits, stopped at the deadline, and their costs predict the next.
class Search {
 public:
  // `deadline` is the end of the budget less the 5% margin; nothing for no
  // time limit. `progress` must outlive this.
  Search(const SplitTexts& texts, const TrainOptions& options, Deadline deadline,
         Progress& progress)
      : texts_(texts),
        options_(options),
        progress_(progress),
        classes_(static_cast<int>(texts.class_names.size())),
        budget_end_(deadline),
        deadline_(deadline),
        costs_(options) {}

  bool PastDeadline() const { return deadline_ && Clock::now() >= *deadline_; }

  // False when the measured costs predict that the vectorizing (if not
  // cached) and two epochs of `settings` will not fit before the deadline.
  bool WorthStarting(const AutotuneSettings& settings) const {
    if (!deadline_ || !costs_.measured()) return true;
    const std::pair<int, int> key{settings.ngrams, settings.max_tokens};
    const double predicted =
        (vectorized_.contains(key) ? 0.0 : costs_.Vectorizing(settings.ngrams)) +
        2.0 * costs_.Epoch(settings.embedding_dim,
                           ExpectedVocabulary(vectorized_, key));
    return SecondsBetween(Clock::now(), *deadline_) >= predicted;
  }

  // Trains trial `number` with `settings` until early stopping, the epoch
  // cap or the deadline. Throws as VectorizeTexts and Fit, except that Fit's
  // refusal (a diverging loss) is the trial's failure.
  Candidate Run(const AutotuneSettings& settings, int number) {
    Candidate trial;
    trial.result.number = number;
    trial.result.settings = settings;
    trial.options = TrialOptions(options_, settings);
    const Clock::time_point start = Clock::now();
    const VectorizedTexts& sets = Vectorized(trial.options.vectorizer);
    trial.vectorizer = &sets.vectorizer;
    // A length chosen from the data is now known; it shapes the threads.
    trial.options.vectorizer.output_sequence_length =
        sets.vectorizer.sequence_length();
    Network network = InitialNetwork(trial.options, sets.vectorizer, classes_);
    ReserveForWriting(network);
    const FitOptions fit = FitOptionsFor(trial.options, sets.training, classes_);
    trial.options.fit.threads = fit.threads;  // as RunTrain records it

    int64_t batches = 0;
    FitCallbacks callbacks;
    callbacks.on_batch = [&](int64_t, double) { ++batches; };
    callbacks.should_stop = [&] {
      trial.result.stopped_at_deadline = PastDeadline();
      return trial.result.stopped_at_deadline;
    };
    const Clock::time_point fit_start = Clock::now();
    try {
      trial.result.history =
          Fit(network, sets.training, sets.validation, fit, callbacks);
      trial.result.kept_epoch = KeptEpoch(fit, trial.result.history);
    } catch (const Error& error) {
      if (error.kind() != ErrorKind::kInvalidInput) throw;
      trial.result.failure = error.what();
    }
    const Clock::time_point end = Clock::now();
    trial.result.seconds = SecondsBetween(start, end);
    if (batches > 0) {
      const int64_t batches_per_epoch =
          (static_cast<int64_t>(sets.training.size()) + fit.batch_size - 1) /
          fit.batch_size;
      const double epoch_seconds = SecondsBetween(fit_start, end) *
                                   static_cast<double>(batches_per_epoch) /
                                   static_cast<double>(batches);
      costs_.RecordEpoch(epoch_seconds, settings.embedding_dim,
                         sets.vectorizer.vocabulary().size());
      if (first_epoch_seconds_ < 0.0) first_epoch_seconds_ = epoch_seconds;
    }
    if (trial.result.kept_epoch >= 0) trial.network = std::move(network);
    return trial;
  }

  // The first measured epoch's seconds (extrapolated from its batches when
  // cut); negative before any batch.
  double first_epoch_seconds() const { return first_epoch_seconds_; }

 private:
  const VectorizedTexts& Vectorized(const VectorizerOptions& options) {
    const std::pair<int, int> key{options.ngrams, options.max_tokens};
    auto found = vectorized_.find(key);
    if (found == vectorized_.end()) {
      const Clock::time_point start = Clock::now();
      found = vectorized_
                  .emplace(key, VectorizeTexts(texts_, options, options_.fit.threads, progress_))
                  .first;
      costs_.RecordVectorizing(SecondsBetween(start, Clock::now()), options.ngrams);
    }
    return found->second;
  }

  // Moves the deadline earlier by the time to write `network`'s model:
  // weights and about 16 bytes a token at a pessimistic 100 MB/s (the
  // write ends with fsync).
  void ReserveForWriting(const Network& network) {
    if (!deadline_) return;
    const double bytes = 4.0 * static_cast<double>(network.parameter_count()) +
                         16.0 * network.config().vocabulary_size;
    deadline_ = std::min(*deadline_, *budget_end_ - Seconds(bytes / 100e6));
  }

  const SplitTexts& texts_;
  const TrainOptions& options_;
  Progress& progress_;
  const int classes_;
  const Deadline budget_end_;
  Deadline deadline_;
  VectorizedCache vectorized_;
  CostModel costs_;
  double first_epoch_seconds_ = -1.0;
};

// The error when no trial kept an epoch.
Error NoTrialCompleted(const AutotuneOptions& autotune, bool past_deadline,
                       double reading_seconds, double first_epoch_seconds,
                       const AutotuneReport& report) {
  if (past_deadline) {
    return InvalidInput(
        Format("--autotune %g: the budget ran out before any trial completed an "
               "epoch (reading took %.2fs",
               *autotune.seconds, reading_seconds) +
        (first_epoch_seconds >= 0.0
             ? Format(", one epoch of trial 1 takes about %.2fs",
                      first_epoch_seconds)
             : std::string()) +
        "); give it more seconds or a smaller data set");
  }
  return InvalidInput("autotune: every trial failed; the first: " +
                      (report.trials.empty() ? std::string("none ran")
                                             : report.trials.front().failure));
}

std::string DescribeSearch(const AutotuneOptions& autotune) {
  if (!autotune.trials) {
    return Format("as many trials as fit in %gs", *autotune.seconds);
  }
  return std::to_string(*autotune.trials) + " trials" +
         (autotune.seconds ? Format(" within %gs", *autotune.seconds) : "");
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
  // Trials stop 5% before the end of the budget (and earlier by the time to
  // write the largest model so far): the margin covers the batch in flight
  // when the deadline passes, restoring the best weights and the write.
  Deadline deadline;
  if (autotune.seconds) deadline = start + Seconds(0.95 * *autotune.seconds);

  // Trials are one line each; no bars, whatever the log is.
  Progress lines_only(log, /*terminal=*/false);
  SplitTexts texts = ReadSplitTexts(data, options, LargestOptions(options),
                                    lines_only, input_options);
  const double reading_seconds = SecondsBetween(start, Clock::now());
  log << "Autotune: " << DescribeSearch(autotune)
      << ", scored on the validation split.\n";

  Search search(texts, options, deadline, lines_only);
  AutotuneReport report;
  std::optional<Candidate> best;
  for (const AutotuneSettings& settings :
       AutotuneSequence(SettingsOf(options), options.fit.seed)) {
    const int done = static_cast<int>(report.trials.size());
    if ((autotune.trials && done >= *autotune.trials) || search.PastDeadline()) {
      break;
    }
    if (!search.WorthStarting(settings)) {
      ++report.skipped;
      continue;
    }
    Candidate trial = search.Run(settings, done + 1);
    log << DescribeTrial(trial.result) << "\n" << std::flush;
    report.trials.push_back(trial.result);
    if (trial.network && (!best || BetterTrial(trial.result, best->result))) {
      best = std::move(trial);
      report.chosen = done;
    }
  }
  if (!best) {
    throw NoTrialCompleted(autotune, search.PastDeadline(), reading_seconds,
                           search.first_epoch_seconds(), report);
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
                                std::move(best->result.history)},
                   output, log);
  return report;
}

}  // namespace sentiment
