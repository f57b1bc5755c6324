// `sentiment predict`: classifying lines of text, or whole files, with an
// exported bundle. Output is one line per input, in input order, whatever
// the thread count, and memory stays flat in the input's length: inputs are
// read in blocks of lines (or files), each block classified in parallel and
// written before the next is read.
#ifndef SENTIMENT_PREDICT_H_
#define SENTIMENT_PREDICT_H_

#include <filesystem>
#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

namespace sentiment {

struct PredictOptions {
  bool logits = false;      // print the raw logits, skipping the activation
  bool all = false;         // print every class's probability
  bool show_class = true;   // add the predicted class as the last field
  // Binary models only: the predicted class is the second one when its
  // probability, as printed (7 significant digits), is at least this, else
  // the first.
  // Without it the class is the logit's sign (PredictedClass).
  std::optional<float> threshold;
  int threads = 1;  // only changes the speed, never a byte of the output
};

// The fields of one result line, tab-separated: by default the probability
// of the second class (binary) or of the predicted class (K > 2); with
// `all` the K probabilities in class order; with `logits` the network's raw
// logits instead (one for binary, K otherwise); then the predicted class.

// Reads raw strings from `in`, one per line, and writes exactly one result
// line per input line, in order. A trailing "\r" is dropped from each line.
// Output is flushed whenever the next read might wait, so an interactive
// producer sees each answer at once. `name` names `in` in read errors.
void RunPredict(const std::filesystem::path& bundle, std::istream& in,
                std::ostream& out, const PredictOptions& options,
                const std::string& name = "standard input");

// RunPredict over `inputs` in order, as if they were one stream of lines
// (a file without a final newline still ends its last line): each is a
// file path, or "-" for `standard_input`. Every path is checked before any
// output, so a missing file (Error(kInvalidInput), naming it) prints
// nothing; a directory is refused the same way.
void RunPredictOnFiles(const std::filesystem::path& bundle,
                       const std::vector<std::string>& inputs,
                       std::istream& standard_input, std::ostream& out,
                       const PredictOptions& options);

// Classifies whole documents: each path that is a file, or every .txt file
// under a path that is a folder (listed as training lists a class folder:
// dataset.h), is one text. Each result line is the document's path (with
// tab, newline, carriage return, backslash, control characters and invalid
// UTF-8 escaped as EscapeForMessage does, so a line stays one line), a tab,
// then the fields RunPredict prints. Missing paths are refused before any
// output; a file that cannot be read stops the run after the results of the
// documents before it.
void RunPredictDocuments(const std::filesystem::path& bundle,
                         const std::vector<std::filesystem::path>& paths,
                         std::ostream& out, const PredictOptions& options);

}  // namespace sentiment

#endif  // SENTIMENT_PREDICT_H_
