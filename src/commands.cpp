#include "sentiment/commands.h"

#include <algorithm>
#include <chrono>
#include <cerrno>
#include <cinttypes>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <istream>
#include <iterator>
#include <ostream>
#include <string>
#include <utility>

#include "sentiment/dataset.h"
#include "sentiment/error.h"
#include "sentiment/history_plot.h"
#include "sentiment/line_reader.h"
#include "sentiment/labeled_input.h"
#include "sentiment/memory_budget.h"
#include "sentiment/model_file.h"
#include "sentiment/pipeline.h"
#include "sentiment/progress.h"
#include "sentiment/trainer.h"
#include "output_path.h"
#include "thread_pool.h"

namespace sentiment {
namespace fs = std::filesystem;
namespace {

std::string Format(const char* format, auto... values) {
  char buffer[256];
  std::snprintf(buffer, sizeof buffer, format, values...);
  return buffer;
}

std::string JoinNames(const std::vector<std::string>& names) {
  std::string joined;
  for (const std::string& name : names) {
    if (!joined.empty()) joined += ", ";
    joined += name;
  }
  return joined;
}

// Examples taken and vectorized per progress update.
constexpr size_t kProgressChunk = 1024;

// Vectorizes `dataset`; with `progress`, in chunks, reporting `done_before`
// plus the texts done after each.
VectorizedSet VectorizeAll(const TextVectorization& vectorizer,
                           const Dataset& dataset, int threads,
                           Progress* progress = nullptr,
                           size_t done_before = 0) {
  const size_t length = vectorizer.sequence_length();
  VectorizedSet set;
  set.ids.resize(dataset.texts.size() * length);
  set.labels = dataset.labels;
  ThreadPool pool(threads);
  const size_t chunk = progress != nullptr ? kProgressChunk * pool.size()
                                           : dataset.texts.size();
  for (size_t first = 0; first < dataset.texts.size(); first += chunk) {
    const size_t count = std::min(chunk, dataset.texts.size() - first);
    pool.ForRanges(count, [&](size_t begin, size_t end, int) {
      TextVectorization::Scratch scratch;
      for (size_t i = first + begin; i < first + end; ++i) {
        vectorizer.Vectorize(
            dataset.texts[i],
            std::span<int32_t>(set.ids.data() + i * length, length), scratch);
      }
    });
    if (progress != nullptr) {
      progress->Update(static_cast<int64_t>(done_before + first + count));
    }
  }
  return set;
}

// TakeExamples in chunks, reporting `done_before` plus the examples read
// after each.
Dataset TakeExamplesShowingProgress(LabeledInput& input,
                                    const std::vector<size_t>& positions,
                                    size_t done_before, Progress& progress) {
  if (!progress.terminal()) return TakeExamples(input, positions);
  Dataset dataset;
  dataset.texts.reserve(positions.size());
  dataset.labels.reserve(positions.size());
  for (size_t first = 0; first < positions.size(); first += kProgressChunk) {
    const size_t count = std::min(kProgressChunk, positions.size() - first);
    Dataset part = TakeExamples(
        input, std::vector<size_t>(positions.begin() + first,
                                   positions.begin() + first + count));
    std::move(part.texts.begin(), part.texts.end(),
              std::back_inserter(dataset.texts));
    dataset.labels.insert(dataset.labels.end(), part.labels.begin(),
                          part.labels.end());
    progress.Update(static_cast<int64_t>(done_before + first + count));
  }
  return dataset;
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

// Seconds since the last call (or construction), for progress lines.
class Stopwatch {
 public:
  std::string Lap() {
    const auto now = std::chrono::steady_clock::now();
    const double seconds = std::chrono::duration<double>(now - last_).count();
    last_ = now;
    return Format("%.2fs", seconds);
  }

 private:
  std::chrono::steady_clock::time_point last_ = std::chrono::steady_clock::now();
};

size_t TotalBytes(const Dataset& dataset) {
  size_t bytes = 0;
  for (const std::string& text : dataset.texts) bytes += text.size();
  return bytes;
}

std::string WithThousands(int64_t n) {
  std::string digits = std::to_string(n);
  for (int i = static_cast<int>(digits.size()) - 3; i > 0; i -= 3) {
    digits.insert(static_cast<size_t>(i), ",");
  }
  return digits;
}

// Threads for the training steps. Each batch is a fork and a join, and
// every dense Adam step dirties the whole embedding in the caches of the
// cores that updated it, so a thread must get enough work per batch to pay
// for that: about a million embedding values (batch x length x dim). The
// tutorial's batches hold 128,000, so they train on one thread, and their
// result does not depend on --threads at all.
int TrainingThreads(const TrainOptions& options) {
  constexpr int64_t kValuesPerThread = 1 << 20;
  const int64_t values = static_cast<int64_t>(options.fit.batch_size) *
                         options.vectorizer.output_sequence_length *
                         options.embedding_dim;
  return static_cast<int>(std::clamp<int64_t>(values / kValuesPerThread, 1,
                                              options.fit.threads));
}

// The sizes training will allocate for, from the listing alone: the text
// bytes are the class folders' file sizes or the data file's size.
TrainingShape ShapeOf(const LabeledInput& input, const TrainOptions& options,
                      int training_threads) {
  TrainingShape shape;
  shape.files = input.examples.size();
  shape.text_bytes = input.text_bytes;
  shape.sequence_length = options.vectorizer.output_sequence_length;
  shape.max_tokens = options.vectorizer.max_tokens;
  shape.embedding_dim = options.embedding_dim;
  shape.training_threads = training_threads;
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

void RunTrain(const fs::path& data, const fs::path& output,
              const TrainOptions& requested, std::ostream& log,
              const InputOptions& input_options, bool terminal) {
  ValidateTrainOptions(requested);
  TrainOptions options = requested;
  CheckOutputPath(output);
  LabeledInput input = ReadLabeledInput(data, input_options);
  const int classes = static_cast<int>(input.class_names.size());
  log << "Found " << input.examples.size() << " " << input.noun()
      << " belonging to " << classes << " classes ("
      << JoinNames(input.class_names) << ").\n";
  if (const auto warning = SplitNamedClassesWarning(data, input)) {
    log << *warning << "\n";
  }
  const SplitPositions split = SplitPositionsForValidation(
      input.examples.size(), options.validation_split, options.fit.seed);
  log << "Using " << split.training.size() << " " << input.noun()
      << " for training.\n"
      << "Using " << split.validation.size() << " " << input.noun()
      << " for validation.\n";
  if (split.training.empty()) {
    throw InvalidInput(data.string() + ": no " + input.noun() +
                       " left for training");
  }
  if (split.validation.empty() && options.fit.patience > 0 &&
      options.patience_optional) {
    options.fit.patience = 0;
    log << "warning: no validation " << input.noun()
        << " to stop early on: training all " << options.fit.epochs
        << " epochs (set --epochs, or a --validation-split that holds some "
        << input.noun() << ")\n";
  }
  const int training_threads = TrainingThreads(options);
  const TrainingShape shape = ShapeOf(input, options, training_threads);
  const AvailableMemory available = ReadAvailableMemory();
  CheckTrainingFits(shape, EstimateTrainingMemory(shape), available);

  Progress progress(log, terminal);
  Stopwatch stopwatch;
  progress.Begin("Reading", static_cast<int64_t>(split.training.size() +
                                                 split.validation.size()));
  const Dataset training_texts = TakeExamplesShowingProgress(
      input, split.training, 0, progress);
  const Dataset validation_texts = TakeExamplesShowingProgress(
      input, split.validation, split.training.size(), progress);
  progress.End("Read " + Format("%.1f", (TotalBytes(training_texts) +
                                         TotalBytes(validation_texts)) / 1e6) +
               " MB in " + stopwatch.Lap() + ".");
  const int threads = options.fit.threads;
  progress.Status("Adapting the vocabulary on " +
                  WithThousands(static_cast<int64_t>(training_texts.texts.size())) +
                  " texts...");
  TextVectorization vectorizer =
      TextVectorization::Adapt(training_texts.texts, options.vectorizer, threads,
                               CountingLimitLeft(available, shape.text_bytes));
  progress.Begin("Vectorizing", static_cast<int64_t>(training_texts.texts.size() +
                                                     validation_texts.texts.size()));
  // In one piece unless there is a bar to move.
  Progress* const bar = progress.terminal() ? &progress : nullptr;
  const VectorizedSet training =
      VectorizeAll(vectorizer, training_texts, threads, bar, 0);
  const VectorizedSet validation = VectorizeAll(
      vectorizer, validation_texts, threads, bar, training.size());
  progress.End("Adapted a vocabulary of " +
               std::to_string(vectorizer.vocabulary().size()) +
               " tokens and vectorized the texts in " + stopwatch.Lap() + ".");

  NetworkConfig config;
  config.vocabulary_size = vectorizer.vocabulary().size();
  config.sequence_length = vectorizer.sequence_length();
  config.embedding_dim = options.embedding_dim;
  config.outputs = OutputsForClasses(classes);
  config.mask_padding = options.mask_padding;
  config.dropout = options.dropout;
  Network network = Network::Initialize(config, options.fit.seed);
  const int epochs = options.fit.epochs;
  FitOptions fit = options.fit;
  fit.threads = training_threads;
  if (options.class_weight == ClassWeight::kBalanced) {
    fit.class_weights = BalancedClassWeights(training.labels, classes);
  }
  FitCallbacks callbacks;
  const int64_t batch_size = fit.batch_size;
  const int64_t examples = static_cast<int64_t>(training.size());
  const int64_t steps_per_epoch = (examples + batch_size - 1) / batch_size;
  double running_loss = 0.0;  // the epoch's loss so far, summed over examples
  callbacks.on_batch = [&](int64_t step, double batch_loss) {
    const int64_t in_epoch = step % steps_per_epoch;
    if (in_epoch == 0) {
      progress.Begin("Epoch " + std::to_string(step / steps_per_epoch + 1) +
                         "/" + std::to_string(epochs),
                     steps_per_epoch);
      running_loss = 0.0;
    }
    const int64_t seen = std::min(examples, (in_epoch + 1) * batch_size);
    running_loss += batch_loss * static_cast<double>(seen - in_epoch * batch_size);
    progress.Update(in_epoch + 1,
                    Format("loss: %.4f", running_loss / static_cast<double>(seen)));
  };
  callbacks.on_epoch = [&](int epoch, const EpochMetrics& metrics) {
    progress.End("Epoch " + std::to_string(epoch + 1) + "/" +
                 std::to_string(epochs) + " - " + stopwatch.Lap() + " - " +
                 DescribeMetrics(metrics));
  };
  std::vector<EpochMetrics> history =
      Fit(network, training, validation, fit, callbacks);
  // The weights kept are the best epoch's under early stopping.
  const int kept = fit.patience > 0 ? BestEpoch(history)
                                    : static_cast<int>(history.size()) - 1;
  if (const auto warning = MajorityClassWarning(
          kept < 0 ? 0.0 : history[kept].val_accuracy,
          validation.labels, input.class_names, input.noun())) {
    log << *warning << "\n";
  }

  // The file records the threads the training steps used, not those asked
  // for: only the former shape the weights.
  TrainOptions recorded = options;
  recorded.fit.threads = training_threads;
  TrainedModel model{std::move(input.class_names), std::move(vectorizer),
                     std::move(network), recorded, std::move(history)};
  WriteModelFile(ModelFile{std::move(model), std::nullopt}, output);
  log << "Saved the trained model to " << output.string()
      << " (export it with 'sentiment export " << output.string()
      << " -o BUNDLE').\n";
}

namespace {

// Renumbers the examples' labels from the data's classes to the model's,
// matched by name: the data may lack some of the model's classes, but a
// class the model does not know cannot be scored.
void RelabelAsModelClasses(LabeledInput& input,
                           const std::vector<std::string>& model_classes,
                           const fs::path& data) {
  std::vector<int> model_label;
  for (const std::string& name : input.class_names) {
    const auto found =
        std::find(model_classes.begin(), model_classes.end(), name);
    if (found == model_classes.end()) {
      throw InvalidInput(data.string() + ": class '" + EscapeForMessage(name) +
                         "' is not one of the model's (" +
                         JoinNames(model_classes) + ")");
    }
    model_label.push_back(static_cast<int>(found - model_classes.begin()));
  }
  for (LabeledExample& example : input.examples) {
    example.label = model_label[static_cast<size_t>(example.label)];
  }
  input.class_names = model_classes;
}

}  // namespace

void RunEvaluate(const fs::path& model_path, const fs::path& data,
                 std::ostream& out, int threads,
                 const InputOptions& input_options) {
  const ModelFile file = ReadModelFile(model_path);
  const TrainedModel& model = file.model;
  LabeledInput input =
      ReadLabeledInput(data, input_options, InputPurpose::kEvaluation);
  RelabelAsModelClasses(input, model.class_names, data);
  const VectorizedSet data_set = VectorizeAll(
      model.vectorizer,
      TakeExamples(input, AllPositions(input.examples.size())), threads);
  const Evaluation evaluation = Evaluate(model.network, data_set, threads);
  out << Format("loss: %.4f - accuracy: %.4f - %s: %zu\n", evaluation.loss,
                evaluation.accuracy, input.noun(), data_set.size());
}

void RunExport(const fs::path& model_path, const fs::path& bundle,
               std::ostream& log) {
  ModelFile file = ReadModelFile(model_path);
  if (file.is_bundle()) {
    throw BadModelFile(model_path.string() +
                       ": is already an exported bundle");
  }
  const Activation activation =
      ActivationForOutputs(file.model.network.config().outputs);
  const ExportPipeline pipeline(std::move(file.model), activation);
  WriteModelFile(ModelFile{pipeline.model(), pipeline.activation()}, bundle);
  log << "Exported text_vectorization -> network -> "
      << ActivationName(pipeline.activation()) << " to " << bundle.string()
      << ".\n";
}

namespace {

// Per epoch and true class: the mean validation margin and the share on the
// correct side of 0 (README "inspect").
void PrintMarginSummary(const TrainedModel& model, std::ostream& out) {
  if (model.history.empty() || model.history.front().val_logits.empty()) return;
  const int classes = static_cast<int>(model.class_names.size());
  const HistogramBins& bins = model.history.front().val_logits.bins;
  out << "\nValidation margins by true class ("
      << (classes == 2 ? "the logit" : "true logit minus the largest other")
      << "; " << bins.bins << " bins over [" << bins.low << ", " << bins.high
      << "]): mean, share on the correct side of 0\n";
  const bool pooled = classes > kMaxClassesShown;
  if (pooled) {
    out << "  (" << classes << " classes, more than " << kMaxClassesShown
        << ": all classes pooled)\n";
  }
  for (size_t i = 0; i < model.history.size(); ++i) {
    const LogitHistogram& histogram = model.history[i].val_logits;
    out << "  Epoch " << i + 1 << "/" << model.history.size();
    const auto show = [&](const std::string& name, int64_t total, double mean,
                          int64_t correct) {
      out << " - " << name << ": ";
      if (total == 0) {
        out << "none";
      } else {
        out << Format("%+.2f, %.1f%%", mean,
                      100.0 * static_cast<double>(correct) /
                          static_cast<double>(total));
      }
    };
    if (pooled) {
      int64_t correct = 0;
      for (int k = 0; k < classes; ++k) correct += histogram.Correct(k, classes);
      const LogitHistogram all = histogram.Pooled();
      show("all classes", all.Total(0), all.means[0], correct);
    } else {
      for (int k = 0; k < classes; ++k) {
        show(model.class_names[static_cast<size_t>(k)], histogram.Total(k),
             histogram.means[static_cast<size_t>(k)], histogram.Correct(k, classes));
      }
    }
    out << "\n";
  }
}

}  // namespace

void RunInspect(const fs::path& path, bool vocabulary, std::ostream& out) {
  const ModelFile file = ReadModelFile(path);
  const TrainedModel& model = file.model;
  if (vocabulary) {
    for (const std::string& token : model.vectorizer.vocabulary().tokens()) {
      out << token << '\n';
    }
    return;
  }
  const VectorizerOptions& v = model.vectorizer.options();
  const NetworkConfig& c = model.network.config();
  const std::string length = std::to_string(c.sequence_length);
  const std::string dim = std::to_string(c.embedding_dim);

  out << "File: " << path.string() << " ("
      << (file.is_bundle() ? "export bundle" : "trained model, no activation")
      << ", format version " << file.format_version << ")\n"
      << "Classes:";
  for (size_t k = 0; k < model.class_names.size(); ++k) {
    out << (k == 0 ? " " : ", ") << k << " = " << model.class_names[k];
  }
  out << "\n\n";
  const std::string outputs = std::to_string(c.outputs);

  const auto row = [&](const std::string& stage, const std::string& shape,
                       int64_t parameters) {
    out << Format("%-50s %-18s %s\n", stage.c_str(), shape.c_str(),
                  WithThousands(parameters).c_str());
  };
  out << Format("%-50s %-18s %s\n", "Stage (type)", "Output Shape", "Param #");
  out << std::string(80, '=') << '\n';
  row("text_vectorization (TextVectorization)", "(None, " + length + ")", 0);
  row(c.mask_padding ? "embedding (Embedding, mask_zero=True)"
                     : "embedding (Embedding)",
      "(None, " + length + ", " + dim + ")",
      static_cast<int64_t>(c.vocabulary_size) * c.embedding_dim);
  row("dropout (Dropout)", "(None, " + length + ", " + dim + ")", 0);
  row("global_average_pooling1d (GlobalAveragePooling1D)", "(None, " + dim + ")", 0);
  row("dropout_1 (Dropout)", "(None, " + dim + ")", 0);
  row("dense (Dense)", "(None, " + outputs + ")",
      static_cast<int64_t>(c.embedding_dim + 1) * c.outputs);
  if (file.is_bundle()) {
    row("activation (Activation: " +
            std::string(ActivationName(*file.activation)) + ")",
        "(None, " + outputs + ")", 0);
  }
  out << std::string(80, '=') << '\n'
      << "Total params: " << WithThousands(model.network.parameter_count())
      << "\n\n";

  const TrainOptions& o = model.options;
  out << "Configuration:\n"
      << "  standardize: " << StandardizeModeName(v.standardize) << "\n"
      << "  split: whitespace\n"
      << "  max_tokens: " << v.max_tokens << " (vocabulary holds "
      << model.vectorizer.vocabulary().size() << ")\n"
      << "  output_sequence_length: " << v.output_sequence_length << "\n"
      << "  ngrams: " << v.ngrams << "\n"
      << "  embedding_dim: " << c.embedding_dim << "\n"
      << "  mask_padding: " << (c.mask_padding ? "true" : "false") << "\n"
      << "  class_weight: " << ClassWeightName(o.class_weight) << "\n"
      << "  dropout: " << c.dropout << "\n"
      << "  epochs: " << o.fit.epochs << "\n"
      << "  batch_size: " << o.fit.batch_size << "\n"
      << "  learning_rate: " << o.fit.learning_rate << "\n"
      << "  validation_split: " << o.validation_split << "\n"
      << "  patience: " << o.fit.patience
      << (o.fit.patience > 0 ? " (early stopping on val_loss)" : " (none)") << "\n"
      << "  seed: " << o.fit.seed << "\n";
  if (o.fit.threads > 0) {
    out << "  threads: " << o.fit.threads << " (of the training steps)\n";
  }
  out << "\n";

  out << "Training history:\n";
  if (model.history.empty()) out << "  (none)\n";
  // With early stopping the weights are the best epoch's.
  const int best = o.fit.patience > 0 ? BestEpoch(model.history) : -1;
  for (size_t i = 0; i < model.history.size(); ++i) {
    out << "  Epoch " << i + 1 << "/" << model.history.size() << " - "
        << DescribeMetrics(model.history[i])
        << (static_cast<int>(i) == best ? " (best: the weights kept)" : "")
        << "\n";
  }
  PrintMarginSummary(model, out);
}

void RunPlot(const fs::path& path, const fs::path& figure, std::ostream& log) {
  PlotFormatOf(figure);  // a bad name fails before the model is read
  const ModelFile file = ReadModelFile(path);
  WriteHistoryPlot(file.model, figure);
  log << "Drew the training history of " << path.string() << " ("
      << file.model.history.size() << " epochs) to " << figure.string()
      << ".\n";
}

}  // namespace sentiment
