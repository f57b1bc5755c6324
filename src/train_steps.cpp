#include "train_steps.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <ostream>
#include <span>
#include <string>

#include "concurrent_steps.h"
#include "sentiment/error.h"
#include "sentiment/memory_budget.h"
#include "sentiment/model_file.h"
#include "thread_pool.h"

namespace sentiment {
namespace fs = std::filesystem;
namespace {

size_t TotalBytes(const Dataset& dataset) {
  size_t bytes = 0;
  for (const std::string& text : dataset.texts) bytes += text.size();
  return bytes;
}

// The sizes training will allocate for, from the listing alone: the text
// bytes are the class folders' file sizes or the data file's size.
TrainingShape ShapeOf(const LabeledInput& input, const TrainOptions& options,
                      int training_threads) {
  TrainingShape shape;
  shape.files = input.examples.size();
  shape.text_bytes = input.text_bytes;
  shape.sequence_length = SequenceLengthBound(options.vectorizer);
  shape.max_tokens = options.vectorizer.max_tokens;
  shape.embedding_dim = options.embedding_dim;
  shape.training_threads = training_threads;
  shape.keeps_best_weights = options.fit.patience > 0;
  return shape;
}

// What adapt's term counts may hold: the memory available less the texts,
// which are all in memory while counting, and an allowance for the
// process's own code, stacks and allocator.
CountingLimit CountingLimitLeft(const AvailableMemory& available,
                                uint64_t text_bytes) {
  constexpr uint64_t kProcessAllowance = uint64_t{64} << 20;
  const uint64_t taken = text_bytes + kProcessAllowance;
  return {available.bytes > taken ? available.bytes - taken : 0,
          available.limited_by + ", less the texts"};
}

}  // namespace

SplitTexts ReadSplitTexts(const fs::path& data, const TrainOptions& options,
                          const TrainOptions& largest, Progress& progress,
                          const InputOptions& input_options) {
  const auto start = std::chrono::steady_clock::now();
  // Listing class folders shows a status; a data file is read and parsed
  // here, its bar counting megabytes parsed.
  progress.Status("Reading " + data.string() + "...");
  std::error_code error;
  const uintmax_t data_bytes =
      fs::is_regular_file(data, error) ? fs::file_size(data, error) : 0;
  const int64_t data_megabytes =
      static_cast<int64_t>((data_bytes + 999'999) / 1'000'000);
  bool parsing = false;
  LabeledInput input = ReadLabeledInput(
      data, input_options, InputPurpose::kTraining, [&](int64_t parsed) {
        if (!parsing) {
          progress.Begin("Reading (MB)", data_megabytes);
          parsing = true;
        }
        // In proportion, so that all bytes parsed is all megabytes.
        progress.Update(data_bytes == 0
                            ? data_megabytes
                            : static_cast<int64_t>(
                                  static_cast<double>(parsed) / data_bytes *
                                  data_megabytes));
      });
  const int classes = static_cast<int>(input.class_names.size());
  const std::string noun = input.noun();
  progress.Line("Found " + std::to_string(input.examples.size()) + " " + noun +
                " belonging to " + std::to_string(classes) + " classes (" +
                JoinNames(input.class_names) + ").");
  if (const auto warning = SplitNamedClassesWarning(data, input)) {
    progress.Line(*warning);
  }
  const SplitPositions split = SplitPositionsForValidation(
      input.examples.size(), options.validation_split, options.fit.seed);
  progress.Line("Using " + std::to_string(split.training.size()) + " " + noun +
                " for training.");
  progress.Line("Using " + std::to_string(split.validation.size()) + " " +
                noun + " for validation.");
  if (split.training.empty()) {
    throw InvalidInput(data.string() + ": no " + input.noun() +
                       " left for training");
  }
  const TrainingShape shape = ShapeOf(input, largest, TrainingThreads(largest));
  SplitTexts texts;
  texts.available = ReadAvailableMemory();
  CheckTrainingFits(shape, EstimateTrainingMemory(shape), texts.available);

  texts.noun = input.noun();
  texts.text_bytes = input.text_bytes;
  // Class folders' files are read here: the slow part on disk.
  if (!input.is_data_file) {
    progress.Begin("Reading", static_cast<int64_t>(input.examples.size()));
  }
  const int64_t training_files = static_cast<int64_t>(split.training.size());
  texts.training = TakeExamples(
      input, split.training, [&](int64_t done) { progress.Update(done); },
      options.fit.threads);
  texts.validation = TakeExamples(
      input, split.validation,
      [&](int64_t done) { progress.Update(training_files + done); },
      options.fit.threads);
  texts.class_names = std::move(input.class_names);
  const double seconds = std::chrono::duration<double>(
                             std::chrono::steady_clock::now() - start)
                             .count();
  progress.End("Read " +
               Format("%.1f", (TotalBytes(texts.training) +
                               TotalBytes(texts.validation)) / 1e6) +
               " MB in " + Format("%.2fs", seconds) + ".");
  return texts;
}

int SequenceLengthBound(const VectorizerOptions& options) {
  return options.output_sequence_length == kSequenceLengthFromData
             ? TextVectorization::kMaxSequenceLengthFromData
             : options.output_sequence_length;
}

VectorizedSet VectorizeAll(const TextVectorization& vectorizer,
                           const Dataset& dataset, int threads,
                           const StepsDone& on_vectorized) {
  const size_t length = vectorizer.sequence_length();
  VectorizedSet set;
  set.ids.resize(dataset.texts.size() * length);
  set.labels = dataset.labels;
  ThreadPool pool(threads);
  ConcurrentSteps vectorized(on_vectorized);
  pool.ForRanges(dataset.texts.size(), [&](size_t begin, size_t end, int) {
    TextVectorization::Scratch scratch;
    ConcurrentSteps::Group done(vectorized);
    for (size_t i = begin; i < end; ++i) {
      vectorizer.Vectorize(
          dataset.texts[i],
          std::span<int32_t>(set.ids.data() + i * length, length), scratch);
      done.Step();
    }
  });
  vectorized.Finish();
  return set;
}

VectorizedTexts VectorizeTexts(const SplitTexts& texts,
                               const VectorizerOptions& options, int threads,
                               Progress& progress) {
  const int64_t training_texts = static_cast<int64_t>(texts.training.texts.size());
  progress.Begin("Adapting", training_texts);
  TextVectorization vectorizer = TextVectorization::Adapt(
      texts.training.texts, options, threads,
      CountingLimitLeft(texts.available, texts.text_bytes),
      [&](int64_t done) { progress.Update(done); });
  progress.Begin("Vectorizing",
                 training_texts + static_cast<int64_t>(texts.validation.texts.size()));
  VectorizedSet training =
      VectorizeAll(vectorizer, texts.training, threads,
                   [&](int64_t done) { progress.Update(done); });
  VectorizedSet validation =
      VectorizeAll(vectorizer, texts.validation, threads, [&](int64_t done) {
        progress.Update(training_texts + done);
      });
  return {std::move(vectorizer), std::move(training), std::move(validation)};
}

// Threads for the training steps. Each batch is a fork and a join, so a
// thread must get enough work per batch to pay for waking it: 16,384
// embedding values (batch x length x dim). Measured whole runs on 2 cores:
// sotu_parties' defaults (48,640 values) train about 12% faster on two
// threads than on one, the synthetic reviews (128,000) about as fast. Below
// that, as for the bundled corpora and the tests' small sets, training
// does not depend on --threads at all.
int TrainingThreads(const TrainOptions& options) {
  constexpr int64_t kValuesPerThread = 1 << 14;
  const int64_t values = static_cast<int64_t>(options.fit.batch_size) *
                         SequenceLengthBound(options.vectorizer) *
                         options.embedding_dim;
  return static_cast<int>(std::clamp<int64_t>(values / kValuesPerThread, 1,
                                              options.fit.threads));
}

Network InitialNetwork(const TrainOptions& options,
                       const TextVectorization& vectorizer, int classes) {
  NetworkConfig config;
  config.vocabulary_size = vectorizer.vocabulary().size();
  config.sequence_length = vectorizer.sequence_length();
  config.embedding_dim = options.embedding_dim;
  config.outputs = OutputsForClasses(classes);
  config.mask_padding = options.mask_padding;
  config.dropout = options.dropout;
  return Network::Initialize(config, options.fit.seed);
}

FitOptions FitOptionsFor(const TrainOptions& options,
                         const VectorizedSet& training, int classes) {
  FitOptions fit = options.fit;
  fit.threads = TrainingThreads(options);
  if (options.class_weight == ClassWeight::kBalanced) {
    fit.class_weights = BalancedClassWeights(training.labels, classes);
  }
  return fit;
}

int KeptEpoch(const FitOptions& fit, const std::vector<EpochMetrics>& history) {
  return fit.patience > 0 ? BestEpoch(history)
                          : static_cast<int>(history.size()) - 1;
}

void SaveTrainedModel(TrainedModel model, const fs::path& output,
                      std::ostream& log) {
  WriteModelFile(ModelFile{std::move(model), std::nullopt}, output);
  log << "Saved the trained model to " << output.string()
      << " (export it with 'sentiment export " << output.string()
      << " -o BUNDLE').\n";
}

std::string DescribeMetrics(const EpochMetrics& metrics) {
  std::string line = Format("loss: %.4f - accuracy: %.4f", metrics.loss,
                            metrics.accuracy);
  if (!std::isnan(metrics.val_loss)) {
    line += Format(" - val_loss: %.4f - val_accuracy: %.4f", metrics.val_loss,
                   metrics.val_accuracy);
  }
  return line;
}

}  // namespace sentiment
