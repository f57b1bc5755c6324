// The `sentiment` command: parses flags, calls the library, maps errors to
// exit codes (0 ok, 1 unexpected, 2 bad input, 3 bad model file, 4 I/O).
#include <CLI/CLI.hpp>
#include <cstdio>
#include <iostream>
#include <string>

#include "sentiment/commands.h"
#include "sentiment/error.h"

namespace {

using sentiment::TrainOptions;

void AddTrainFlags(CLI::App& train, TrainOptions& options) {
  auto& v = options.vectorizer;
  train.add_option("--max-tokens", v.max_tokens,
                   "Vocabulary size, padding and [UNK] included")
      ->capture_default_str();
  train.add_option("--sequence-length", v.output_sequence_length,
                   "Token ids per text: longer texts are truncated, shorter "
                   "ones padded with 0 (Keras output_sequence_length)")
      ->capture_default_str();
  train.add_option_function<std::string>(
          "--standardize",
          [&v](const std::string& name) {
            v.standardize = sentiment::ParseStandardizeMode(name);
          },
          "tutorial (lowercase, <br /> to space, strip punctuation; default), "
          "lower_and_strip_punctuation, lower, strip_punctuation or none");
  train.add_option("--embedding-dim", options.embedding_dim,
                   "Width of the embedding")
      ->capture_default_str();
  train.add_option("--dropout", options.dropout,
                   "Rate of both Dropout layers")
      ->capture_default_str();
  train.add_option("--epochs", options.fit.epochs, "Passes over the training set")
      ->capture_default_str();
  train.add_option("--batch-size", options.fit.batch_size,
                   "Examples per Adam step")
      ->capture_default_str();
  train.add_option("--learning-rate", options.fit.learning_rate,
                   "Adam learning rate")
      ->capture_default_str();
  train.add_option("--validation-split", options.validation_split,
                   "Fraction of files held out for validation, in [0, 1)")
      ->capture_default_str();
  train.add_option("--seed", options.fit.seed,
                   "Seed of the validation split, initial weights, shuffles "
                   "and dropout")
      ->capture_default_str();
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{
      "sentiment: train, export and run text classifiers that reproduce the "
      "Keras basic text classification model.\n\n"
      "Typical use:\n"
      "  sentiment train data/train -o model.sentiment\n"
      "  sentiment export model.sentiment -o bundle.sentiment\n"
      "  echo 'The movie was great!' | sentiment predict bundle.sentiment\n\n"
      "Exit codes: 0 success, 2 bad arguments or input data, 3 bad model "
      "file, 4 I/O failure."};
  app.set_version_flag("--version", std::string(SENTIMENT_VERSION));
  app.require_subcommand(1);

  TrainOptions train_options;
  std::string train_dir, train_output;
  CLI::App* train = app.add_subcommand(
      "train",
      "Train a model on DIR (one subfolder of .txt files per class); writes "
      "the vectorizer and network, without the output activation");
  train->add_option("DIR", train_dir, "Labelled training directory")
      ->required();
  train->add_option("-o,--output", train_output, "Trained model file to write")
      ->required();
  AddTrainFlags(*train, train_options);

  std::string evaluate_model, evaluate_dir;
  CLI::App* evaluate = app.add_subcommand(
      "evaluate", "Loss and accuracy of a model or bundle on every file of a "
                  "labelled directory");
  evaluate->add_option("MODEL", evaluate_model, "Trained model or bundle")
      ->required();
  evaluate->add_option("DIR", evaluate_dir, "Labelled directory")->required();

  std::string export_model, export_output;
  CLI::App* export_command = app.add_subcommand(
      "export",
      "Assemble vectorizer -> network -> sigmoid into one bundle file for "
      "predict");
  export_command->add_option("MODEL", export_model, "Trained model")
      ->required();
  export_command->add_option("-o,--output", export_output, "Bundle to write")
      ->required();

  std::string predict_bundle;
  sentiment::PredictOptions predict_options;
  bool no_class = false;
  CLI::App* predict = app.add_subcommand(
      "predict",
      "Read raw texts from stdin, one per line; print one line per input: "
      "the probability of the second class and the predicted class");
  predict->add_option("BUNDLE", predict_bundle, "Exported bundle")->required();
  predict->add_flag("--logits", predict_options.logits,
                    "Print the raw logit instead (skip the sigmoid stage)");
  predict->add_flag("--no-class", no_class,
                    "Print only the number, without the class name");

  std::string inspect_file;
  bool inspect_vocabulary = false;
  CLI::App* inspect = app.add_subcommand(
      "inspect",
      "Summarize a model or bundle: stages, shapes, parameters, settings, "
      "training history");
  inspect->add_option("FILE", inspect_file, "Trained model or bundle")
      ->required();
  inspect->add_flag("--vocabulary", inspect_vocabulary,
                    "Print the vocabulary in index order, one token per line "
                    "(index 0, the padding token, is an empty line)");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    const int code = app.exit(error);
    return code == 0 ? 0 : 2;
  } catch (const sentiment::Error& error) {
    std::cerr << "sentiment: " << error.what() << "\n";
    return sentiment::ExitCode(error.kind());
  }

  try {
    std::ios::sync_with_stdio(false);
    if (*train) {
      sentiment::RunTrain(train_dir, train_output, train_options, std::cerr);
    } else if (*evaluate) {
      sentiment::RunEvaluate(evaluate_model, evaluate_dir, std::cout);
    } else if (*export_command) {
      sentiment::RunExport(export_model, export_output, std::cerr);
    } else if (*predict) {
      predict_options.show_class = !no_class;
      sentiment::RunPredict(predict_bundle, std::cin, std::cout,
                            predict_options);
    } else if (*inspect) {
      sentiment::RunInspect(inspect_file, inspect_vocabulary, std::cout);
    }
  } catch (const sentiment::Error& error) {
    std::cerr << "sentiment: " << error.what() << "\n";
    return sentiment::ExitCode(error.kind());
  } catch (const std::bad_alloc&) {
    std::cerr << "sentiment: out of memory\n";
    return 1;
  } catch (const std::exception& error) {
    std::cerr << "sentiment: unexpected error: " << error.what() << "\n";
    return 1;
  }
  std::cout.flush();
  return 0;
}
