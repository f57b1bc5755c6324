// The `sentiment` command: parses flags, calls the library, maps errors to
// exit codes (0 ok, 1 unexpected, 2 bad input, 3 bad model file, 4 I/O).
// Unknown commands and flags are explained in cli/usage_errors.h.
#include <fcntl.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <limits>
#include <sstream>
#include <string>
#include <thread>
#include <type_traits>
#include <vector>

#include "cli/usage_errors.h"
#include "sentiment/autotune.h"
#include "sentiment/commands.h"
#include "flag_text.h"
#include "sentiment/error.h"
#include "sentiment/line_reader.h"
#include "sentiment/signal_cleanup.h"
#include "sentiment/train_presets.h"

namespace {

using sentiment::TrainOptions;

// The whole of `text` as a T, or Error(kInvalidInput) naming the flag: no
// trailing characters, no value out of T's range, no NaN or infinity.
template <typename T>
T ParseNumber(const std::string& flag, const std::string& text) {
  const char* begin = text.data();
  const char* end = begin + text.size();
  if constexpr (std::is_integral_v<T>) {
    int64_t value = 0;
    auto [stop, error] = std::from_chars(begin, end, value);
    if (stop != end && error == std::errc()) {
      // Whole numbers may be written like 1e4 or 100.0.
      double real = 0.0;
      const auto parsed = std::from_chars(begin, end, real);
      if (parsed.ptr == end && parsed.ec == std::errc() && std::isfinite(real) &&
          real == std::floor(real)) {
        stop = end;
        if (std::fabs(real) < 9.2e18) {
          value = static_cast<int64_t>(real);
        } else {
          error = std::errc::result_out_of_range;
        }
      }
    }
    if (stop != end || error == std::errc::invalid_argument) {
      throw sentiment::InvalidInput(flag + " must be a whole number, got '" +
                                    text + "'");
    }
    if (error == std::errc::result_out_of_range ||
        value < static_cast<int64_t>(std::numeric_limits<T>::min()) ||
        value > static_cast<int64_t>(std::numeric_limits<T>::max())) {
      throw sentiment::InvalidInput(
          flag + " must be a whole number from " +
          std::to_string(std::numeric_limits<T>::min()) + " to " +
          std::to_string(std::numeric_limits<T>::max()) + ", got '" + text + "'");
    }
    return static_cast<T>(value);
  } else {
    double value = 0.0;
    const auto [stop, error] = std::from_chars(begin, end, value);
    const T converted = static_cast<T>(value);
    if (stop != end || error != std::errc() || !std::isfinite(converted)) {
      throw sentiment::InvalidInput(flag + " must be a finite number, got '" +
                                    text + "'");
    }
    return converted;
  }
}

// A numeric flag parsed by ParseNumber, so a bad value gets a message that
// names the flag; the help shows the current value as the default.
template <typename T>
CLI::Option* AddNumberFlag(CLI::App& app, const std::string& flag, T& value,
                           const std::string& help) {
  std::ostringstream default_value;
  default_value << value;
  return app
      .add_option_function<std::string>(
          flag,
          [flag, &value](const std::string& text) {
            sentiment::RecordFlagText(flag, text);
            value = ParseNumber<T>(flag, text);
          },
          help)
      ->type_name(std::is_integral_v<T> ? "INT" : "FLOAT")
      ->default_str(default_value.str());
}

// Values of --autotune and --autotune-trials, used only when given.
struct AutotuneFlags {
  double seconds = 60.0;
  int trials = 20;
};

void AddTrainFlags(CLI::App& train, TrainOptions& options,
                   AutotuneFlags& autotune) {
  // Defined first: CLI11 runs option callbacks in definition order, so the
  // flags given explicitly override the preset wherever they stand.
  train.add_option_function<std::string>(
          "--preset",
          [&options](const std::string& name) {
            sentiment::ApplyPreset(name, options);
          },
          "Start from a named set of values instead of the defaults: "
          "tutorial (the Keras tutorial's: 10 epochs, learning rate 0.001, "
          "validation split 0.2, "
          "no early stopping); flags given explicitly still apply")
      ->type_name("NAME");
  auto& v = options.vectorizer;
  AddNumberFlag(train, "--max-tokens", v.max_tokens,
                "Vocabulary size, padding and [UNK] included");
  train
      .add_option_function<std::string>(
          "--sequence-length",
          [&v](const std::string& text) {
            sentiment::RecordFlagText("--sequence-length", text);
            if (text == "auto") {
              v.output_sequence_length = sentiment::kSequenceLengthFromData;
              return;
            }
            v.output_sequence_length = ParseNumber<int>("--sequence-length", text);
            // 0 is how the library spells auto; on the command line it is
            // a mistake.
            if (v.output_sequence_length == sentiment::kSequenceLengthFromData) {
              throw sentiment::InvalidInput(
                  "--sequence-length must be between 1 and 100000, or auto, "
                  "got " + text);
            }
          },
          "Token ids per text: longer texts are truncated, shorter ones "
          "padded with 0 (Keras output_sequence_length); auto: the number "
          "of terms 99% of the training texts fit in, at most 250")
      ->type_name("INT|auto")
      ->default_str(v.output_sequence_length == sentiment::kSequenceLengthFromData
                        ? "auto"
                        : std::to_string(v.output_sequence_length));
  train.add_option_function<std::string>(
          "--standardize",
          [&v](const std::string& name) {
            v.standardize = sentiment::ParseStandardizeMode(name);
          },
          "tutorial (lowercase, <br /> to space, strip punctuation), "
          "lower_and_strip_punctuation, lower, strip_punctuation, none, or "
          "unicode (NFKC and case folding, <br /> to space, strip Unicode "
          "punctuation, split on Unicode whitespace)")
      ->type_name("MODE")
      ->default_str("tutorial");
  AddNumberFlag(train, "--ngrams", v.ngrams,
                "Terms are the 1-grams, then the 2-grams, ... up to N-grams "
                "of each text's tokens (Keras ngrams)");
  AddNumberFlag(train, "--embedding-dim", options.embedding_dim,
                "Width of the embedding");
  train.add_flag("--mask-padding", options.mask_padding,
                 "Average only the non-padding positions (Keras "
                 "Embedding(mask_zero=True)); a text with no token pools to "
                 "zero");
  train.add_option_function<std::string>(
          "--class-weight",
          [&options](const std::string& name) {
            options.class_weight = sentiment::ParseClassWeight(name);
          },
          "none (default) or balanced: weigh each example's loss by "
          "n / (K * n_class), as scikit-learn's 'balanced'")
      ->type_name("MODE");
  AddNumberFlag(train, "--dropout", options.dropout,
                "Rate of both Dropout layers");
  AddNumberFlag(train, "--epochs", options.fit.epochs,
                "Passes over the training set");
  AddNumberFlag(train, "--patience", options.fit.patience,
                "Early stopping: stop after N epochs without a lower "
                "val_loss and keep the best epoch's weights (Keras "
                "EarlyStopping(restore_best_weights=True)); 0: off");
  AddNumberFlag(train, "--batch-size", options.fit.batch_size,
                "Examples per Adam step");
  AddNumberFlag(train, "--learning-rate", options.fit.learning_rate,
                "Adam learning rate");
  AddNumberFlag(train, "--validation-split", options.validation_split,
                "Fraction of files held out for validation, in [0, 1)");
  AddNumberFlag(train, "--seed", options.fit.seed,
                "Seed of the validation split, initial weights, shuffles "
                "and dropout");
  AddNumberFlag(train, "--threads", options.fit.threads,
                "Threads for counting, vectorizing and training. Results "
                "are deterministic for a given seed and thread count; other "
                "counts sum gradients in another order")
      ->default_str("all cores");
  AddNumberFlag(train, "--autotune", autotune.seconds,
                "Search learning rate, embedding dim, n-grams, padding mask "
                "and max tokens on the validation split for SECONDS of wall "
                "clock in all (reading to writing), and write the best model")
      ->type_name("SECONDS")
      ->default_str("");
  AddNumberFlag(train, "--autotune-trials", autotune.trials,
                "Autotune with exactly N trials (fewer if --autotune's time "
                "runs out); the first is the other flags' settings. "
                "Deterministic for a given --seed and --threads")
      ->type_name("N")
      ->default_str("");
}

// --input-format, --text-column and --label-column, shared by train and
// evaluate.
void AddInputFlags(CLI::App& command, sentiment::InputOptions& input) {
  command
      .add_option_function<std::string>(
          "--input-format",
          [&input](const std::string& name) {
            input.format = sentiment::ParseInputFormat(name);
          },
          "Read DATA, a file, as csv, tsv, jsonl or fasttext instead of by "
          "its extension (.csv, .tsv, .jsonl/.ndjson, .ft/.fasttext)")
      ->type_name("FORMAT");
  command.add_option("--text-column", input.text_column,
                     "CSV/TSV column or JSON Lines key of the text")
      ->default_str(input.text_column);
  command.add_option("--label-column", input.label_column,
                     "CSV/TSV column or JSON Lines key of the label")
      ->default_str(input.label_column);
}

// All cores, the default for --threads.
int AllCores() {
  // At most the 1024 that --threads accepts, so a default never fails the
  // check on a machine with more hardware threads.
  return static_cast<int>(
      std::clamp(std::thread::hardware_concurrency(), 1u, 1024u));
}

// Standard streams the parent closed are reopened on /dev/null for reading
// only: input is then empty and output fails (exit 4) instead of landing in
// whatever file the process opens next under that descriptor.
void OccupyClosedStandardStreams() {
  for (int fd = 0; fd <= 2; ++fd) {
    if (::fcntl(fd, F_GETFD) == -1 && errno == EBADF) {
      const int opened = ::open("/dev/null", O_RDONLY);
      if (opened >= 0 && opened != fd) ::close(opened);
    }
  }
}

}  // namespace

int main(int argc, char** argv) {
  OccupyClosedStandardStreams();
  sentiment::InstallSignalCleanup();
  // A closed output pipe (`sentiment predict B | head -n 1`) ends the process
  // quietly, as for cat or grep, even when the parent ignored or blocked
  // SIGPIPE.
  std::signal(SIGPIPE, SIG_DFL);
  sigset_t pipe_signal;
  sigemptyset(&pipe_signal);
  sigaddset(&pipe_signal, SIGPIPE);
  sigprocmask(SIG_UNBLOCK, &pipe_signal, nullptr);

  CLI::App app{
      "sentiment: train, export and run text classifiers that reproduce the "
      "Keras basic text classification model.\n\n"
      "Examples:\n"
      "  $ sentiment train data/train -o model.sentiment\n"
      "  $ sentiment train reviews.csv -o model.sentiment\n"
      "  $ sentiment export model.sentiment -o bundle.sentiment\n"
      "  $ echo 'The movie was great!' | sentiment predict bundle.sentiment\n",
      "sentiment"};
  // Room for the longest flag and its default before the descriptions.
  app.get_formatter()->column_width(32);
  app.set_version_flag("-V,--version", std::string(SENTIMENT_VERSION));
  app.require_subcommand(1);

  TrainOptions train_options = sentiment::DefaultTrainOptions();
  train_options.fit.threads = AllCores();
  std::string train_dir, train_output;
  sentiment::InputOptions train_input;
  CLI::App* train = app.add_subcommand(
      "train",
      "Train a model on DATA (a folder with one subfolder of .txt files per "
      "class, or a CSV, TSV, JSON Lines or fastText file); writes the "
      "vectorizer and network, without the output activation");
  train->add_option("DATA", train_dir,
                    "Labelled training data: a folder of class folders or a "
                    "data file")
      ->required();
  train->add_option("-o,--output", train_output, "Trained model file to write")
      ->required();
  AutotuneFlags autotune_flags;
  AddTrainFlags(*train, train_options, autotune_flags);
  AddInputFlags(*train, train_input);

  std::string evaluate_model, evaluate_dir;
  sentiment::InputOptions evaluate_input;
  CLI::App* evaluate = app.add_subcommand(
      "evaluate",
      "Loss, accuracy and a report (per-class precision, recall, F1, the "
      "confusion matrix, log-loss, Brier score, calibration error, ROC-AUC) "
      "of a model or bundle on every file of a labelled directory, or every "
      "row of a data file");
  evaluate->add_option("MODEL", evaluate_model, "Trained model or bundle")
      ->required();
  evaluate->add_option("DATA", evaluate_dir,
                       "Labelled data: a folder of class folders or a data "
                       "file")
      ->required();
  AddInputFlags(*evaluate, evaluate_input);
  sentiment::EvaluateOptions evaluate_options;
  evaluate_options.threads = AllCores();
  AddNumberFlag(*evaluate, "--threads", evaluate_options.threads,
                "Threads for vectorizing and evaluating")
      ->default_str("all cores");
  evaluate->add_flag("--json", evaluate_options.json,
                     "Print the report as one JSON object (keys: examples, "
                     "accuracy, loss, brier, ece, roc_auc, confusion, "
                     "classes, macro, weighted) instead of text");

  std::string export_model, export_output;
  CLI::App* export_command = app.add_subcommand(
      "export",
      "Assemble vectorizer -> network -> activation (sigmoid for two "
      "classes, softmax for more) into one bundle file for predict");
  export_command->add_option("MODEL", export_model, "Trained model")
      ->required();
  export_command->add_option("-o,--output", export_output, "Bundle to write")
      ->required();

  std::string calibrate_bundle, calibrate_data, calibrate_output;
  sentiment::InputOptions calibrate_input;
  CLI::App* calibrate = app.add_subcommand(
      "calibrate",
      "Fit the temperature T of a bundle's activation stage on labelled "
      "held-out DATA (minimum log-loss of sigmoid or softmax of logits / T; "
      "Guo et al. 2017) and write the bundle with it: calibrated "
      "probabilities, the same logits and classes. A calibrated bundle is "
      "refitted from its raw logits, its old T replaced. Use it for data "
      "from a new domain or with a different class balance");
  calibrate->add_option("BUNDLE", calibrate_bundle, "Exported bundle")
      ->required();
  calibrate->add_option("DATA", calibrate_data,
                        "Labelled held-out data (not the training data): a "
                        "folder of class folders or a data file")
      ->required();
  calibrate->add_option("-o,--output", calibrate_output,
                        "Calibrated bundle to write")
      ->required();
  AddInputFlags(*calibrate, calibrate_input);
  int calibrate_threads = AllCores();
  AddNumberFlag(*calibrate, "--threads", calibrate_threads,
                "Threads for computing the logits")
      ->default_str("all cores");

  std::string predict_bundle;
  std::vector<std::string> predict_inputs;
  sentiment::PredictOptions predict_options;
  predict_options.threads = AllCores();
  bool no_class = false;
  bool predict_documents = false;
  CLI::App* predict = app.add_subcommand(
      "predict",
      "Classify raw texts, one per line, from each FILE in order (- or no "
      "FILE: standard input); print one line per input, in order, "
      "tab-separated: the probability (of the second class in a binary "
      "model, of the top class otherwise), then the predicted class name, "
      "last. With --files, each FILE (or each .txt file under a FILE that "
      "is a folder) is one text, and its line starts with its path and a "
      "tab");
  predict->add_option("BUNDLE", predict_bundle, "Exported bundle")->required();
  predict->add_option("FILE", predict_inputs,
                      "Files of texts, one per line; - is standard input");
  predict->add_flag("--files", predict_documents,
                    "Each FILE is one whole text (a folder: each .txt file "
                    "under it, sorted as train lists them); the line starts "
                    "with the path (tab, newline and backslash written as "
                    "\\t, \\n and \\\\)");
  predict->add_flag("--logits", predict_options.logits,
                    "Print the raw logits instead (skip the activation "
                    "stage): one for a binary model, K otherwise");
  predict->add_flag("--all", predict_options.all,
                    "Print every class's probability, in class order");
  predict->add_flag("--no-class", no_class,
                    "Print only the number, without the class name");
  float threshold = 0.5f;
  AddNumberFlag(*predict, "--threshold", threshold,
                "Binary models: predict the second class when its "
                "probability is at least P (default: when the logit is "
                "above 0, i.e. the probability above 0.5)")
      ->type_name("P")
      ->default_str("");
  AddNumberFlag(*predict, "--threads", predict_options.threads,
                "Threads classifying in parallel; the output is the same "
                "bytes for any count")
      ->default_str("all cores");
  std::string predict_format = "tsv";
  predict
      ->add_option("--format", predict_format,
                   "Output: tsv (tab-separated fields, as above) or jsonl "
                   "(one JSON object per input: class, probabilities, "
                   "logits; --logits, --all and --no-class are for tsv)")
      ->type_name("FORMAT")
      ->default_str("tsv");
  predict->add_flag("--explain", predict_options.explain,
                    "Also split the logit (the second class's in a binary "
                    "model, the predicted class's otherwise) exactly into "
                    "the bias, the padding's share and each term's "
                    "contribution: tsv adds tab-separated 'NAME VALUE' "
                    "pairs, strongest terms first; jsonl an \"explanation\" "
                    "object, terms in sequence order");

  std::string inspect_file;
  bool inspect_vocabulary = false;
  CLI::App* inspect = app.add_subcommand(
      "inspect",
      "Summarize a model or bundle: stages, shapes, parameters, settings, "
      "training history with the validation logits by class; or draw the "
      "history with --plot");
  inspect->add_option("FILE", inspect_file, "Trained model or bundle")
      ->required();
  inspect->add_flag("--vocabulary", inspect_vocabulary,
                    "Print the vocabulary in index order, one token per line "
                    "(index 0, the padding token, is an empty line)");
  std::string inspect_plot;
  inspect->add_option("--plot", inspect_plot,
                      "Draw the history instead of printing the summary: "
                      "loss and accuracy by epoch and, per true class, the "
                      "validation logits' histogram by epoch; FIGURE ends in "
                      ".png or .svg")
      ->type_name("FIGURE");

  // Every subcommand takes --quiet.
  bool quiet = false;
  for (CLI::App* command : {train, evaluate, export_command, predict, inspect}) {
    command->add_flag("-q,--quiet", quiet,
                      "Print nothing on standard error but errors: no "
                      "progress, information or warnings (the results on "
                      "standard output stay)");
  }

  // Set once the subcommands exist, which would otherwise inherit it.
  app.footer(
      "Run 'sentiment help COMMAND' or 'sentiment COMMAND --help' for a "
      "command's arguments and flags.\n\n"
      "Exit codes: 0 success, 1 unexpected internal error, 2 bad arguments "
      "or input data, 3 bad model file, 4 I/O failure.");
  if (argc >= 2 && std::string(argv[1]) == sentiment::cli::kHelpCommand) {
    return sentiment::cli::RunHelpCommand(
        app, std::vector<std::string>(argv + 2, argv + argc), std::cout,
        std::cerr);
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    // --help and --version print and succeed; a real parse error is one line.
    if (error.get_exit_code() == 0) return app.exit(error);
    std::cerr << sentiment::OneLine(sentiment::cli::DescribeParseError(app, error))
              << "\n";
    return 2;
  } catch (const sentiment::Error& error) {
    // An unknown flag explains a bad value better than the value's own error.
    const auto unknown = sentiment::cli::DescribeUnknownName(app);
    std::cerr << sentiment::OneLine(
                     unknown ? *unknown
                             : "sentiment: " + sentiment::WithFlagTextAsGiven(
                                                   error.what()))
              << "\n";
    return unknown ? 2 : sentiment::ExitCode(error.kind());
  }

  try {
    std::ios::sync_with_stdio(false);
    // Untied, reading a line does not flush the output; predict flushes
    // itself whenever its input runs dry.
    std::cin.tie(nullptr);
    // The log: progress, information and warnings, all silenced by --quiet.
    std::ostream null_stream(nullptr);
    std::ostream& log = quiet ? null_stream : std::cerr;
    const bool log_is_terminal = !quiet && ::isatty(STDERR_FILENO) == 1;
    // Early stopping asked for is required; the default one is not.
    if (*train && train->count("--patience") > 0) {
      train_options.patience_optional = false;
    }
    if (*train && (train->count("--autotune") > 0 ||
                   train->count("--autotune-trials") > 0)) {
      sentiment::AutotuneOptions autotune;
      if (train->count("--autotune") > 0) autotune.seconds = autotune_flags.seconds;
      if (train->count("--autotune-trials") > 0) {
        autotune.trials = autotune_flags.trials;
      }
      sentiment::RunAutotune(train_dir, train_output, train_options, autotune,
                             log, train_input);
    } else if (*train) {
      sentiment::RunTrain(train_dir, train_output, train_options, log,
                          train_input, log_is_terminal);
    } else if (*evaluate) {
      sentiment::RunEvaluate(evaluate_model, evaluate_dir, std::cout,
                             evaluate_options, evaluate_input);
    } else if (*export_command) {
      sentiment::RunExport(export_model, export_output, log);
    } else if (*calibrate) {
      sentiment::RunCalibrate(calibrate_bundle, calibrate_data,
                              calibrate_output, log, calibrate_threads,
                              calibrate_input);
    } else if (*predict) {
      predict_options.show_class = !no_class;
      predict_options.format = sentiment::ParsePredictFormat(predict_format);
      if (predict->count("--threshold") > 0) predict_options.threshold = threshold;
      if (predict_documents) {
        if (predict_inputs.empty()) {
          throw sentiment::InvalidInput(
              "--files needs at least one FILE (a file or a folder)");
        }
        const std::vector<std::filesystem::path> paths(predict_inputs.begin(),
                                                       predict_inputs.end());
        sentiment::RunPredictDocuments(predict_bundle, paths, std::cout,
                                       predict_options);
      } else {
        if (predict_inputs.empty()) predict_inputs.push_back("-");
        sentiment::DescriptorInputBuffer stdin_buffer(STDIN_FILENO,
                                                      "standard input");
        std::istream input(&stdin_buffer);
        sentiment::RunPredictOnFiles(predict_bundle, predict_inputs, input,
                                     std::cout, predict_options);
      }
    } else if (*inspect) {
      if (!inspect_plot.empty()) {
        sentiment::RunPlot(inspect_file, inspect_plot, log);
      } else {
        sentiment::RunInspect(inspect_file, inspect_vocabulary, std::cout);
      }
    }
  } catch (const sentiment::Error& error) {
    std::cerr << "sentiment: "
              << sentiment::OneLine(sentiment::WithFlagTextAsGiven(error.what()))
              << "\n";
    return sentiment::ExitCode(error.kind());
  } catch (const std::bad_alloc&) {
    std::cerr << "sentiment: out of memory\n";
    return 1;
  } catch (const std::exception& error) {
    std::cerr << "sentiment: unexpected error: "
              << sentiment::OneLine(error.what()) << "\n";
    return 1;
  }
  // Output that never reached its destination (a full disk, a closed file
  // descriptor) is a failure, not a success.
  errno = 0;
  if (!std::cout.flush()) {
    const int error = errno;
    std::cerr << "sentiment: cannot write to standard output"
              << (error != 0 ? std::string(": ") + std::strerror(error) : "")
              << "\n";
    return 4;
  }
  return 0;
}
