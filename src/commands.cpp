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
#include "sentiment/evaluation_report.h"
#include "sentiment/history_plot.h"
#include "sentiment/line_reader.h"
#include "sentiment/labeled_input.h"
#include "sentiment/memory_budget.h"
#include "sentiment/model_file.h"
#include "sentiment/pipeline.h"
#include "sentiment/temperature_scaling.h"
#include "sentiment/progress.h"
#include "sentiment/trainer.h"
#include "output_path.h"
#include "train_steps.h"
#include "thread_pool.h"

namespace sentiment {
namespace fs = std::filesystem;
namespace {

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

std::string WithThousands(int64_t n) {
  std::string digits = std::to_string(n);
  for (int i = static_cast<int>(digits.size()) - 3; i > 0; i -= 3) {
    digits.insert(static_cast<size_t>(i), ",");
  }
  return digits;
}

}  // namespace

void RunTrain(const fs::path& data, const fs::path& output,
              const TrainOptions& requested, std::ostream& log,
              const InputOptions& input_options, bool terminal) {
  ValidateTrainOptions(requested);
  TrainOptions options = requested;
  CheckOutputPath(output);
  Progress progress(log, terminal);
  SplitTexts texts =
      ReadSplitTexts(data, options, options, progress, input_options);
  const int classes = static_cast<int>(texts.class_names.size());
  if (texts.validation.texts.empty() && options.fit.patience > 0 &&
      options.patience_optional) {
    options.fit.patience = 0;
    log << "warning: no validation " << texts.noun
        << " to stop early on: training all " << options.fit.epochs
        << " epochs (set --epochs, or a --validation-split that holds some "
        << texts.noun << ")\n";
  }

  Stopwatch stopwatch;
  const bool length_from_data =
      options.vectorizer.output_sequence_length == kSequenceLengthFromData;
  VectorizedTexts vectorized =
      VectorizeTexts(texts, options.vectorizer, options.fit.threads, progress);
  // The length chosen from the data is the model's from here on.
  options.vectorizer.output_sequence_length = vectorized.vectorizer.sequence_length();
  progress.End("Adapted a vocabulary of " +
               std::to_string(vectorized.vectorizer.vocabulary().size()) +
               " tokens" +
               (length_from_data
                    ? " and a sequence length of " +
                          std::to_string(options.vectorizer.output_sequence_length) +
                          " (the 99th percentile of the training texts' terms),"
                    : std::string()) +
               " and vectorized the texts in " + stopwatch.Lap() + ".");

  Network network = InitialNetwork(options, vectorized.vectorizer, classes);
  const int epochs = options.fit.epochs;
  const FitOptions fit = FitOptionsFor(options, vectorized.training, classes);
  FitCallbacks callbacks;
  const int64_t batch_size = fit.batch_size;
  const int64_t examples = static_cast<int64_t>(vectorized.training.size());
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
  std::vector<EpochMetrics> history = Fit(
      network, vectorized.training, vectorized.validation, fit, callbacks);
  // The weights kept are the best epoch's under early stopping.
  const int kept = KeptEpoch(fit, history);
  if (const auto warning = MajorityClassWarning(
          kept < 0 ? 0.0 : history[kept].val_accuracy,
          vectorized.validation.labels, texts.class_names, texts.noun)) {
    log << *warning << "\n";
  }

  // The file records the threads the training steps used, not those asked
  // for: only the former shape the weights.
  TrainOptions recorded = options;
  recorded.fit.threads = fit.threads;
  SaveTrainedModel(
      TrainedModel{std::move(texts.class_names), std::move(vectorized.vectorizer),
                   std::move(network), recorded, std::move(history)},
      output, log);
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
  const std::vector<float> token_scores =
      network.TokenScoresFor(static_cast<int64_t>(data.size() * length));
  ThreadPool pool(std::max(1, threads));
  pool.ForRanges(data.size(), [&](size_t begin, size_t end, int) {
    std::vector<double> sums(outputs);
    for (size_t i = begin; i < end; ++i) {
      network.LogitsFromTokenScores(
          token_scores,
          std::span<const int32_t>(data.ids.data() + i * length, length), sums,
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
      TakeExamples(input, AllPositions(input.examples.size()), {},
                   options.threads),
      options.threads);
  const EvaluationReport report = MakeEvaluationReport(
      data_set.labels, AllLogits(model.network, data_set, options.threads),
      model.class_names, file.temperature);
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

void RunCalibrate(const fs::path& bundle_path, const fs::path& data,
                  const fs::path& output, std::ostream& log, int threads,
                  const InputOptions& input_options) {
  const ExportPipeline bundle = ReadBundle(bundle_path, "calibrate");
  CheckOutputPath(output);
  LabeledInput input =
      ReadLabeledInput(data, input_options, InputPurpose::kEvaluation);
  RelabelAsModelClasses(input, bundle.model().class_names, data);
  const Dataset examples =
      TakeExamples(input, AllPositions(input.examples.size()), {},
                   std::max(1, threads));
  // The raw logits, as `predict --logits` prints them: a bundle calibrated
  // before is refitted from scratch, its old temperature replaced.
  const size_t outputs = static_cast<size_t>(bundle.outputs());
  std::vector<float> logits(examples.texts.size() * outputs);
  ThreadPool pool(std::max(1, threads));
  pool.ForRanges(examples.texts.size(), [&](size_t begin, size_t end, int) {
    ExportPipeline::Scratch scratch;
    for (size_t i = begin; i < end; ++i) {
      bundle.Logits(examples.texts[i], scratch,
                    std::span<float>(logits.data() + i * outputs, outputs));
    }
  });
  size_t correct = 0;
  for (size_t i = 0; i < examples.labels.size(); ++i) {
    const std::span<const float> z(logits.data() + i * outputs, outputs);
    if (PredictedClass(z) == examples.labels[i]) ++correct;
  }
  const TemperatureFit fit =
      FitTemperature(logits, bundle.outputs(), examples.labels);
  ModelFile calibrated{bundle.model(), bundle.activation()};
  calibrated.temperature = fit.temperature;
  WriteModelFile(calibrated, output);
  log << "Fitted on " << examples.labels.size() << " " << input.noun()
      << Format(": temperature %.6g", static_cast<double>(fit.temperature));
  if (bundle.temperature() != 1.0f) {
    log << Format(" (replaces %.6g; fitted from the raw logits)",
                  static_cast<double>(bundle.temperature()));
  }
  log << ".\n"
      << Format("log-loss: %.4f at T = 1, %.4f at T = %.6g - accuracy: %.4f "
                "(no temperature changes it)\n",
                fit.loss_before, fit.loss_after,
                static_cast<double>(fit.temperature),
                static_cast<double>(correct) /
                    static_cast<double>(examples.labels.size()))
      << "Saved the calibrated bundle to " << output.string() << ".\n";
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
  out << "Configuration:\n";
  if (file.is_bundle()) {
    out << "  activation: " << ActivationName(*file.activation)
        << Format(" (temperature %.6g%s)",
                  static_cast<double>(file.temperature),
                  file.temperature == 1.0f ? ", not calibrated" : ", calibrated")
        << "\n";
  }
  out
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
