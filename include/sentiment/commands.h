// The subcommands of the `sentiment` tool as library functions on streams,
// so tests drive them without spawning a process.
#ifndef SENTIMENT_COMMANDS_H_
#define SENTIMENT_COMMANDS_H_

#include <filesystem>
#include <iosfwd>

#include "sentiment/data_file.h"
#include "sentiment/model.h"
#include "sentiment/predict.h"  // RunPredict, with the other commands

namespace sentiment {

// Lists `data` (a folder of class folders, or a data file read as `input`
// says: labeled_input.h), splits off the validation examples, adapts the
// vectorizer on the training texts, fits the network and writes the trained
// model (no activation) to `output`. Progress, Keras-style epoch lines and
// one-line warnings (class folders named like a split, a final validation
// accuracy no better than the majority class's share) go to `log`. When
// `terminal` (log is one), reading, vectorizing and each epoch also show a
// bar redrawn in place (progress.h); otherwise the lines are the same
// without any bar. options.fit.threads threads count, vectorize and train.
void RunTrain(const std::filesystem::path& data,
              const std::filesystem::path& output, const TrainOptions& options,
              std::ostream& log, const InputOptions& input = {},
              bool terminal = false);

struct EvaluateOptions {
  int threads = 1;    // only changes the speed, never a byte of the output
  bool json = false;  // print the report as one JSON object instead of text
};

// Evaluates a model or bundle on every file of a labelled directory, or
// every row of a data file read as `input` says, and prints to `out` the
// line "loss: L - accuracy: A - files: N" (the model's own loss: binary or
// sparse categorical cross-entropy, of a bundle's probabilities, so of
// logits / T for a calibrated one; "rows" for a data file) followed by
// the evaluation report (evaluation_report.h) for the model's K classes,
// or with options.json that report alone as one JSON object. The data's
// classes are matched to the model's by name; the data may lack some, but
// a class the model does not know is Error(kInvalidInput).
void RunEvaluate(const std::filesystem::path& model,
                 const std::filesystem::path& data, std::ostream& out,
                 const EvaluateOptions& options,
                 const InputOptions& input = {});

// RunEvaluate printing text on `threads` threads.
void RunEvaluate(const std::filesystem::path& model,
                 const std::filesystem::path& data, std::ostream& out,
                 int threads = 1, const InputOptions& input = {});

// Assembles vectorizer -> network -> activation (sigmoid for two classes,
// softmax for more) from a trained model and writes it as one bundle file.
void RunExport(const std::filesystem::path& model,
               const std::filesystem::path& bundle, std::ostream& log);

// Fits the temperature of `bundle`'s activation stage on labelled held-out
// `data` (read as RunEvaluate reads it; it may lack some of the model's
// classes) and writes the bundle with that temperature to `output`
// atomically; the vectorizer and network, so the logits and every class
// decision, are unchanged. The fit (FitTemperature) starts from the raw
// logits, so a calibrated bundle is refitted and its temperature replaced.
// Logs the temperature and the log-loss before and after to `log`. Throws
// Error(kBadModelFile) for a trained model that was never exported,
// Error(kInvalidInput) for data with no examples or classes the model lacks
// and for a fit without a minimum; nothing is written then. `threads` only
// changes the speed.
void RunCalibrate(const std::filesystem::path& bundle,
                  const std::filesystem::path& data,
                  const std::filesystem::path& output, std::ostream& log,
                  int threads = 1, const InputOptions& input = {});

// Prints a summary like Keras's model.summary(), the configuration and the
// training history; with `vocabulary`, the vocabulary in index order instead,
// one token per line. The summary ends with the validation margins of each
// epoch by true class (mean, share on the correct side of 0) when the
// history has them.
void RunInspect(const std::filesystem::path& file, bool vocabulary,
                std::ostream& out);

// Draws the training history of a model or bundle (history_plot.h) to
// `figure`, a .png or .svg file written atomically, and says so on `log`.
// Throws Error(kInvalidInput) for another extension or an empty history.
void RunPlot(const std::filesystem::path& file,
             const std::filesystem::path& figure, std::ostream& log);

}  // namespace sentiment

#endif  // SENTIMENT_COMMANDS_H_
