// The steps of `sentiment train`, shared by RunTrain (commands.h) and
// RunAutotune (autotune.h): read and split the texts once, vectorize them,
// build and fit a network, save the result.
#ifndef SENTIMENT_SRC_TRAIN_STEPS_H_
#define SENTIMENT_SRC_TRAIN_STEPS_H_

#include <cstdio>
#include <filesystem>
#include <iosfwd>
#include <string>
#include <vector>

#include "sentiment/dataset.h"
#include "sentiment/labeled_input.h"
#include "sentiment/memory_budget.h"
#include "sentiment/model.h"
#include "sentiment/progress.h"

namespace sentiment {

std::string Format(const char* format, auto... values) {
  char buffer[256];
  std::snprintf(buffer, sizeof buffer, format, values...);
  return buffer;
}

// The labelled texts, split into training and validation.
struct SplitTexts {
  std::vector<std::string> class_names;
  const char* noun = "files";  // "files" or "rows", for messages
  Dataset training;
  Dataset validation;
  uint64_t text_bytes = 0;     // as LabeledInput::text_bytes
  AvailableMemory available;   // when the texts were read
};

// Lists and splits `data` as options say, logging Keras's "Found ... / Using
// ..." lines and warnings, checks that training with `largest` (the largest
// vocabulary and embedding that will be tried) fits in memory, then reads
// the texts, with a bar counting class folders' files. Throws as
// ReadLabeledInput, CheckTrainingFits, and Error(kInvalidInput) when no
// example is left for training.
SplitTexts ReadSplitTexts(const std::filesystem::path& data,
                          const TrainOptions& options,
                          const TrainOptions& largest, Progress& progress,
                          const InputOptions& input_options);

// A vectorizer adapted on the training texts and both sets vectorized by it.
struct VectorizedTexts {
  TextVectorization vectorizer;
  VectorizedSet training;
  VectorizedSet validation;
};

// Shows bars counting the texts adapted, then those vectorized; the caller
// ends the last.
VectorizedTexts VectorizeTexts(const SplitTexts& texts,
                               const VectorizerOptions& options, int threads,
                               Progress& progress);

// Every example's ids, on `threads` threads; `on_vectorized`, if given, is
// told how many are done, from those threads, one call at a time.
VectorizedSet VectorizeAll(const TextVectorization& vectorizer,
                           const Dataset& dataset, int threads,
                           const StepsDone& on_vectorized = {});

// The sequence length, or for one chosen from the data the most it can be.
int SequenceLengthBound(const VectorizerOptions& options);

// The threads the training steps use for these options (at most
// options.fit.threads; see the definition for why often fewer).
int TrainingThreads(const TrainOptions& options);

// The untrained network of `options` for `vectorizer` and `classes`.
Network InitialNetwork(const TrainOptions& options,
                       const TextVectorization& vectorizer, int classes);

// Fit's options for `options`: the training threads, class weights.
FitOptions FitOptionsFor(const TrainOptions& options,
                         const VectorizedSet& training, int classes);

// The epoch whose weights the network holds after Fit: the best under early
// stopping, else the last; -1 for an empty history.
int KeptEpoch(const FitOptions& fit, const std::vector<EpochMetrics>& history);

// Writes `model` to `output` (atomically, as WriteModelFile) and logs where.
void SaveTrainedModel(TrainedModel model, const std::filesystem::path& output,
                      std::ostream& log);

// "loss: ... - accuracy: ..." and the validation pair when there is one.
std::string DescribeMetrics(const EpochMetrics& metrics);

}  // namespace sentiment

#endif  // SENTIMENT_SRC_TRAIN_STEPS_H_
