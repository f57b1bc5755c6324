// libFuzzer target: `sentiment predict` (RunPredict) on arbitrary stdin.
//
// A small bundle is written to a temporary file once; every input is fed to
// RunPredict through an istringstream, with probabilities and classes and
// with raw logits only.
//
// Properties checked: no exception; exactly one output line per input line
// (a final line without '\n' counts); each output line is a number, then a
// tab and a class name unless --no-class.
#include <unistd.h>

#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <sstream>
#include <string>

#include "sentiment/commands.h"
#include "sentiment/model_file.h"
#include "sentiment/network.h"
#include "sentiment/text_vectorization.h"

namespace {

using namespace sentiment;

std::string bundle_path;

void RemoveBundle() { ::unlink(bundle_path.c_str()); }

void WriteBundle() {
  const std::filesystem::path folder = std::filesystem::temp_directory_path();
  std::string name = (folder / "sentiment-predict-fuzzer-XXXXXX").string();
  const int fd = ::mkstemp(name.data());
  if (fd < 0) std::abort();
  ::close(fd);
  bundle_path = name;
  std::atexit(RemoveBundle);

  VectorizerOptions options;
  options.max_tokens = 12;
  options.output_sequence_length = 8;
  TextVectorization vectorizer = TextVectorization::Adapt(
      {"a great fun film", "a dull boring film", "great acting, loved it"},
      options);
  NetworkConfig config;
  config.vocabulary_size = vectorizer.vocabulary().size();
  config.sequence_length = 8;
  config.embedding_dim = 4;
  TrainOptions train_options;
  train_options.vectorizer = options;
  train_options.embedding_dim = 4;
  TrainedModel model{{"neg", "pos"}, std::move(vectorizer),
                     Network::Initialize(config, 7), train_options, {}};
  WriteModelFile(ModelFile{std::move(model), Activation::kSigmoid}, bundle_path);
}

size_t CountLines(const std::string& text) {
  size_t lines = 0;
  for (const char c : text) lines += c == '\n';
  if (!text.empty() && text.back() != '\n') ++lines;
  return lines;
}

void CheckPredict(const std::string& input, const PredictOptions& options) {
  std::istringstream in(input);
  std::ostringstream out;
  RunPredict(bundle_path, in, out, options);
  const std::string output = out.str();
  if (CountLines(output) != CountLines(input)) std::abort();
  if (!output.empty() && output.back() != '\n') std::abort();
  std::istringstream lines(output);
  for (std::string line; std::getline(lines, line);) {
    // One number, or with --all one per class (2), tab-separated.
    const char* at = line.c_str();
    for (int field = 0; field < (options.all ? 2 : 1); ++field) {
      if (field > 0 && *at++ != '\t') std::abort();
      char* end = nullptr;
      const double value = std::strtod(at, &end);
      if (end == at || !std::isfinite(value)) std::abort();
      at = end;
    }
    const std::string rest(at);
    if (options.show_class ? rest != "\tneg" && rest != "\tpos" : !rest.empty()) {
      std::abort();
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  WriteBundle();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string input(reinterpret_cast<const char*>(data), size);
  CheckPredict(input, PredictOptions{});
  CheckPredict(input, PredictOptions{.logits = true, .show_class = false});
  CheckPredict(input, PredictOptions{.all = true});
  return 0;
}
