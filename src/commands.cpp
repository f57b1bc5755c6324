#include "sentiment/commands.h"

#include <algorithm>
#include <chrono>
#include <cerrno>
#include <cinttypes>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <istream>
#include <ostream>
#include <string>
#include <utility>

#include "sentiment/dataset.h"
#include "sentiment/error.h"
#include "sentiment/evaluation_report.h"
#include "sentiment/line_reader.h"
#include "sentiment/labeled_input.h"
#include "sentiment/memory_budget.h"
#include "sentiment/model_file.h"
#include "sentiment/pipeline.h"
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

VectorizedSet VectorizeAll(const TextVectorization& vectorizer,
                           const Dataset& dataset, int threads) {
  const size_t length = vectorizer.sequence_length();
  VectorizedSet set;
  set.ids.resize(dataset.texts.size() * length);
  set.labels = dataset.labels;
  ThreadPool pool(threads);
  pool.ForRanges(dataset.texts.size(), [&](size_t begin, size_t end, int) {
    TextVectorization::Scratch scratch;
    for (size_t i = begin; i < end; ++i) {
      vectorizer.Vectorize(
          dataset.texts[i],
          std::span<int32_t>(set.ids.data() + i * length, length), scratch);
    }
  });
  return set;
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
              const InputOptions& input_options) {
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

  Stopwatch stopwatch;
  const Dataset training_texts = TakeExamples(input, split.training);
  const Dataset validation_texts = TakeExamples(input, split.validation);
  log << "Read " << Format("%.1f", (TotalBytes(training_texts) +
                                    TotalBytes(validation_texts)) / 1e6)
      << " MB in " << stopwatch.Lap() << ".\n";
  const int threads = options.fit.threads;
  TextVectorization vectorizer =
      TextVectorization::Adapt(training_texts.texts, options.vectorizer, threads,
                               CountingLimitLeft(available, shape.text_bytes));
  const VectorizedSet training =
      VectorizeAll(vectorizer, training_texts, threads);
  const VectorizedSet validation =
      VectorizeAll(vectorizer, validation_texts, threads);
  log << "Adapted a vocabulary of " << vectorizer.vocabulary().size()
      << " tokens and vectorized the texts in " << stopwatch.Lap() << ".\n";

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
  callbacks.on_epoch = [&](int epoch, const EpochMetrics& metrics) {
    log << "Epoch " << epoch + 1 << "/" << epochs << " - " << stopwatch.Lap()
        << " - " << DescribeMetrics(metrics) << "\n"
        << std::flush;
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

// The network's logits for every example of `data`, row-major (one row of
// outputs per example), computed on `threads` threads.
std::vector<float> AllLogits(const Network& network, const VectorizedSet& data,
                             int threads) {
  const size_t length = network.config().sequence_length;
  const size_t outputs = network.config().outputs;
  std::vector<float> logits(data.size() * outputs);
  ThreadPool pool(std::max(1, threads));
  pool.ForRanges(data.size(), [&](size_t begin, size_t end, int) {
    for (size_t i = begin; i < end; ++i) {
      network.Logits(
          std::span<const int32_t>(data.ids.data() + i * length, length),
          std::span<float>(logits.data() + i * outputs, outputs));
    }
  });
  return logits;
}

}  // namespace

void RunEvaluate(const fs::path& model_path, const fs::path& data,
                 std::ostream& out, const EvaluateOptions& options,
                 const InputOptions& input_options) {
  const ModelFile file = ReadModelFile(model_path);
  const TrainedModel& model = file.model;
  LabeledInput input =
      ReadLabeledInput(data, input_options, InputPurpose::kEvaluation);
  RelabelAsModelClasses(input, model.class_names, data);
  const VectorizedSet data_set = VectorizeAll(
      model.vectorizer,
      TakeExamples(input, AllPositions(input.examples.size())),
      options.threads);
  const EvaluationReport report = MakeEvaluationReport(
      data_set.labels, AllLogits(model.network, data_set, options.threads),
      model.class_names);
  if (options.json) {
    out << EvaluationReportJson(report) << "\n";
  } else {
    out << Format("loss: %.4f - accuracy: %.4f - %s: %zu\n", report.loss,
                  report.accuracy, input.noun(), data_set.size())
        << FormatEvaluationReport(report);
  }
}

void RunEvaluate(const fs::path& model_path, const fs::path& data,
                 std::ostream& out, int threads,
                 const InputOptions& input_options) {
  RunEvaluate(model_path, data, out, EvaluateOptions{.threads = threads},
              input_options);
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
}

}  // namespace sentiment
