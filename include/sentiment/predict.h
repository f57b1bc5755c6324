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
#include <string_view>
#include <vector>

namespace sentiment {

// How each result line is written.
enum class PredictFormat {
  kTsv,    // tab-separated fields (the default; see below)
  kJsonl,  // one JSON object per line (JSON Lines; see below)
};

// Parses "tsv" or "jsonl". Throws Error(kInvalidInput) naming --format.
PredictFormat ParsePredictFormat(std::string_view name);

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
  PredictFormat format = PredictFormat::kTsv;
  // Also split the explained logit into the bias, the padding's share and
  // each term's contribution (ExportPipeline::Explain): the second class's
  // logit for a binary model, the predicted class's otherwise.
  bool explain = false;
};

// The fields of one result line, tab-separated: by default the probability
// of the second class (binary) or of the predicted class (K > 2); with
// `all` the K probabilities in class order; with `logits` the network's raw
// logits instead (one for binary, K otherwise); then the predicted class.
// With `explain`, then a tab and tab-separated "NAME VALUE" pairs (VALUE
// after the last space, written %+.4g): "bias B", "padding P", then one per
// term, the strongest (largest |contribution|) first, ties in sequence order.
// A term holds no tab (tokens split on whitespace; n-grams are joined by one
// space); control characters, backslash and invalid UTF-8 in it are escaped
// as EscapeForMessage does.
//
// kJsonl writes one JSON object per input, on one line, numbers in the
// shortest form that reads back as the same float:
//   {"class": NAME, "probabilities": [K numbers in class order],
//    "logits": [1 number for binary, K otherwise]}
// `class` follows `threshold` as in kTsv. With `explain` it gains
//   "explanation": {"class": NAME, "bias": B, "padding": P,
//                   "tokens": [[TERM, ID, CONTRIBUTION], ...]}
// with the explained logit's class and the terms in sequence order. Strings
// are JSON-escaped, invalid UTF-8 replaced by U+FFFD. `logits`, `all` and
// !show_class choose kTsv fields: with kJsonl they are refused
// (Error(kInvalidInput)).

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
// then the fields RunPredict prints; with kJsonl, the object RunPredict
// prints with a first key "path" (a JSON string, invalid UTF-8 replaced by
// U+FFFD). Missing paths are refused before any output; a file that cannot be
// read stops the run after the results of the documents before it.
void RunPredictDocuments(const std::filesystem::path& bundle,
                         const std::vector<std::filesystem::path>& paths,
                         std::ostream& out, const PredictOptions& options);

}  // namespace sentiment

#endif  // SENTIMENT_PREDICT_H_
