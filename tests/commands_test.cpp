#include "sentiment/commands.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <streambuf>

#include <nlohmann/json.hpp>

#include "sentiment/activation.h"
#include "sentiment/dataset.h"
#include "sentiment/error.h"
#include "sentiment/model_file.h"

namespace sentiment {
namespace {

namespace fs = std::filesystem;

const fs::path kReviews = fs::path(SENTIMENT_TEST_DATA) / "reviews";

// Settings that fit the 16 fixture reviews in well under a second.
TrainOptions FastOptions() {
  TrainOptions options;
  options.vectorizer.output_sequence_length = 10;
  options.fit.epochs = 60;
  options.fit.batch_size = 4;
  options.fit.learning_rate = 0.05f;
  options.validation_split = 0.25;
  return options;
}

class CommandsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    folder_ = fs::path(::testing::TempDir()) /
              ("commands_test_" +
               std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()));
    fs::remove_all(folder_);
    fs::create_directories(folder_);
  }
  void TearDown() override { fs::remove_all(folder_); }

  // Trains and exports once per test; returns the bundle path.
  fs::path TrainAndExport() {
    std::ostringstream log;
    RunTrain(kReviews, model_path(), FastOptions(), log);
    train_log_ = log.str();
    RunExport(model_path(), bundle_path(), log);
    return bundle_path();
  }

  std::vector<std::string> Predict(const std::string& input,
                                   PredictOptions options = {}) {
    std::istringstream in(input);
    std::ostringstream out;
    RunPredict(bundle_path(), in, out, options);
    std::vector<std::string> lines;
    std::istringstream result(out.str());
    for (std::string line; std::getline(result, line);) lines.push_back(line);
    return lines;
  }

  fs::path model_path() const { return folder_ / "model.sentiment"; }
  fs::path bundle_path() const { return folder_ / "bundle.sentiment"; }

  fs::path folder_;
  std::string train_log_;
};

TEST_F(CommandsTest, TrainLogsLikeKerasFit) {
  TrainAndExport();
  EXPECT_NE(train_log_.find("Found 16 files belonging to 2 classes"),
            std::string::npos);
  EXPECT_NE(train_log_.find("Using 12 files for training."), std::string::npos);
  EXPECT_NE(train_log_.find("Using 4 files for validation."), std::string::npos);
  EXPECT_NE(train_log_.find("Epoch 60/60 - "), std::string::npos);
  EXPECT_NE(train_log_.find("s - loss: "), std::string::npos);
  EXPECT_NE(train_log_.find("val_accuracy: "), std::string::npos);
}

TEST_F(CommandsTest, PredictWritesOneLinePerInputLineInOrder) {
  TrainAndExport();
  const auto lines =
      Predict("Great fun, loved it!\n\nterrible and boring\r\nwonderful");
  ASSERT_EQ(lines.size(), 4u);
  EXPECT_EQ(lines[0].substr(lines[0].find('\t') + 1), "pos");
  EXPECT_EQ(lines[2].substr(lines[2].find('\t') + 1), "neg");
  EXPECT_EQ(lines[3].substr(lines[3].find('\t') + 1), "pos");
  EXPECT_GT(std::stod(lines[0]), 0.5);
  EXPECT_LT(std::stod(lines[2]), 0.5);
  // An empty line is an all-padding sequence: still a probability.
  const double empty = std::stod(lines[1]);
  EXPECT_GT(empty, 0.0);
  EXPECT_LT(empty, 1.0);
}

TEST_F(CommandsTest, SigmoidOfLogitsEqualsDefaultOutput) {
  TrainAndExport();
  const std::string input = "great\nbad plot\nI loved it\nawful boring waste\n\nxyz";
  PredictOptions logits;
  logits.logits = true;
  logits.show_class = false;
  const auto raw = Predict(input, logits);
  const auto probabilities = Predict(input);
  ASSERT_EQ(raw.size(), 6u);
  ASSERT_EQ(probabilities.size(), 6u);
  for (size_t i = 0; i < raw.size(); ++i) {
    EXPECT_NEAR(Sigmoid(std::stof(raw[i])), std::stod(probabilities[i]), 1e-5);
  }
}

// An output stream that fails as a full disk does: every write is refused
// with errno ENOSPC.
class FullDiskBuffer : public std::streambuf {
 protected:
  int_type overflow(int_type) override {
    errno = ENOSPC;
    return traits_type::eof();
  }
  std::streamsize xsputn(const char*, std::streamsize) override {
    errno = ENOSPC;
    return 0;
  }
};

TEST_F(CommandsTest, PredictNamesTheReasonItCannotWrite) {
  TrainAndExport();
  std::istringstream in("great\nawful\n");
  FullDiskBuffer full;
  std::ostream out(&full);
  try {
    RunPredict(bundle_path(), in, out, {});
    ADD_FAILURE() << "expected an Error";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::kIo);
    EXPECT_STREQ(error.what(),
                 "cannot write the predictions to standard output: No space "
                 "left on device");
  }
}

TEST_F(CommandsTest, EvaluateAgreesWithPredict) {
  TrainAndExport();
  const FileListing listing = ListLabeledFiles(kReviews);
  int correct = 0;
  for (const LabeledFile& file : listing.files) {
    std::ifstream in(file.path, std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    const auto lines = Predict(text.str());
    ASSERT_EQ(lines.size(), 1u);
    const bool positive = lines[0].ends_with("\tpos");
    correct += positive == (file.label == 1);
  }
  char expected[64];
  std::snprintf(expected, sizeof expected, "accuracy: %.4f - files: 16",
                correct / 16.0);
  std::ostringstream out;
  RunEvaluate(bundle_path(), kReviews, out);
  EXPECT_NE(out.str().find(expected), std::string::npos) << out.str();
  // The fixture is separable: the model should get everything right.
  EXPECT_GE(correct, 15);
}

TEST_F(CommandsTest, EvaluatePrintsTheReportAfterTheLossLine) {
  TrainAndExport();
  std::ostringstream text, json, other_threads;
  RunEvaluate(bundle_path(), kReviews, text);
  RunEvaluate(bundle_path(), kReviews, json, EvaluateOptions{.json = true});
  RunEvaluate(model_path(), kReviews, other_threads,
              EvaluateOptions{.threads = 3});
  // The plain trained model reports as its bundle, on any thread count.
  EXPECT_EQ(other_threads.str(), text.str());
  const std::string first = text.str().substr(0, text.str().find('\n'));
  EXPECT_TRUE(first.starts_with("loss: ") && first.ends_with(" - files: 16"))
      << first;
  EXPECT_NE(text.str().find("weighted avg"), std::string::npos);
  EXPECT_NE(text.str().find("\ntrue \\ predicted  neg  pos\n"),
            std::string::npos)
      << text.str();
  EXPECT_NE(text.str().find("\nlog-loss "), std::string::npos);
  // --json: one line, one object, the same loss and accuracy.
  const std::string json_text = json.str();
  ASSERT_EQ(std::count(json_text.begin(), json_text.end(), '\n'), 1);
  const auto report = nlohmann::json::parse(json_text);
  EXPECT_EQ(report["examples"], 16);
  char expected[96];
  std::snprintf(expected, sizeof expected, "loss: %.4f - accuracy: %.4f",
                report["loss"].get<double>(), report["accuracy"].get<double>());
  EXPECT_TRUE(first.starts_with(expected)) << first << " vs " << expected;
  EXPECT_EQ(report["classes"][1]["name"], "pos");
  EXPECT_EQ(report["classes"][0]["support"].get<int>() +
                report["classes"][1]["support"].get<int>(),
            16);
}

TEST_F(CommandsTest, PredictOnATrainedModelNamesTheExportCommand) {
  std::ostringstream log;
  RunTrain(kReviews, model_path(), FastOptions(), log);
  std::istringstream in("great\n");
  std::ostringstream out;
  try {
    RunPredict(model_path(), in, out, {});
    FAIL();
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::kBadModelFile);
    EXPECT_NE(std::string(error.what()).find("sentiment export"),
              std::string::npos);
  }
  EXPECT_EQ(out.str(), "");
}

TEST_F(CommandsTest, InspectPrintsVocabularyInIndexOrder) {
  TrainAndExport();
  std::ostringstream out;
  RunInspect(bundle_path(), /*vocabulary=*/true, out);
  std::istringstream lines(out.str());
  std::string first, second;
  std::getline(lines, first);
  std::getline(lines, second);
  EXPECT_EQ(first, "");
  EXPECT_EQ(second, "[UNK]");
}

TEST_F(CommandsTest, InspectSummarizesStagesSettingsAndHistory) {
  TrainAndExport();
  std::ostringstream bundle, model;
  RunInspect(bundle_path(), false, bundle);
  RunInspect(model_path(), false, model);
  for (const std::string& text : {bundle.str(), model.str()}) {
    EXPECT_NE(text.find("embedding (Embedding)"), std::string::npos);
    EXPECT_NE(text.find("(None, 10, 16)"), std::string::npos);
    EXPECT_NE(text.find("dense (Dense)"), std::string::npos);
    EXPECT_NE(text.find("learning_rate: 0.05"), std::string::npos);
    EXPECT_NE(text.find("Epoch 60/60 - loss: "), std::string::npos);
  }
  EXPECT_NE(bundle.str().find("activation (Activation: sigmoid)"),
            std::string::npos);
  EXPECT_EQ(model.str().find("activation (Activation"), std::string::npos);
}

TEST_F(CommandsTest, InspectSummarizesTheValidationMargins) {
  TrainAndExport();
  std::ostringstream out;
  RunInspect(model_path(), false, out);
  EXPECT_NE(out.str().find("\nValidation margins by true class (the logit; 40 "
                           "bins over [-10, 10]): mean, share on the correct "
                           "side of 0\n  Epoch 1/60 - neg: "),
            std::string::npos)
      << out.str();
  EXPECT_NE(out.str().find("\n  Epoch 60/60 - neg: -"), std::string::npos);
}

// Keeps, of each line, what a terminal would show at the end: the text after
// the last carriage return, trailing spaces dropped; durations as "Ns".
std::string AsShown(const std::string& log) {
  std::istringstream lines(log);
  std::string shown;
  for (std::string line; std::getline(lines, line);) {
    const size_t cr = line.rfind('\r');
    if (cr != std::string::npos) line.erase(0, cr + 1);
    while (!line.empty() && line.back() == ' ') line.pop_back();
    shown += line + "\n";
  }
  return std::regex_replace(shown, std::regex("[0-9]+\\.[0-9]+s\\b"), "Ns");
}

TEST_F(CommandsTest, TerminalLogDrawsBarsThenTheSameLines) {
  std::ostringstream plain, terminal;
  RunTrain(kReviews, folder_ / "a", FastOptions(), plain);
  RunTrain(kReviews, folder_ / "a", FastOptions(), terminal, {}, /*terminal=*/true);
  EXPECT_EQ(plain.str().find('\r'), std::string::npos);
  EXPECT_NE(terminal.str().find("Epoch 1/60 1/3 [==========>"), std::string::npos)
      << terminal.str();
  EXPECT_NE(terminal.str().find("] - ETA "), std::string::npos);
  // Reading the 16 files, adapting on the 12 training texts and vectorizing
  // all 16 are counted (the first update of each always draws).
  EXPECT_TRUE(std::regex_search(terminal.str(),
                                std::regex("\rReading +[1-9][0-9]*/16 \\[")))
      << terminal.str();
  EXPECT_TRUE(std::regex_search(terminal.str(),
                                std::regex("\rAdapting +[1-9][0-9]*/12 \\[")))
      << terminal.str();
  EXPECT_TRUE(std::regex_search(terminal.str(),
                                std::regex("\rVectorizing +[1-9][0-9]*/16 \\[")))
      << terminal.str();
  EXPECT_EQ(AsShown(terminal.str()), AsShown(plain.str()));
}

TEST_F(CommandsTest, TerminalLogShowsADataFileBeingRead) {
  const fs::path data = folder_ / "rows.tsv";
  {
    std::ofstream out(data);
    out << "text\tlabel\n";
    for (int i = 0; i < 10; ++i) out << "good " << i << "\tpos\nbad " << i << "\tneg\n";
  }
  std::ostringstream plain, terminal;
  RunTrain(data, folder_ / "a", FastOptions(), plain);
  RunTrain(data, folder_ / "a", FastOptions(), terminal, {}, /*terminal=*/true);
  EXPECT_EQ(terminal.str().rfind("\rReading " + data.string() + "...", 0), 0u)
      << terminal.str();
  EXPECT_EQ(AsShown(terminal.str()), AsShown(plain.str()));
}

TEST_F(CommandsTest, SameSeedWritesByteIdenticalModels) {
  std::ostringstream log;
  RunTrain(kReviews, folder_ / "a", FastOptions(), log);
  RunTrain(kReviews, folder_ / "b", FastOptions(), log);
  const auto read = [](const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream bytes;
    bytes << in.rdbuf();
    return bytes.str();
  };
  EXPECT_EQ(read(folder_ / "a"), read(folder_ / "b"));
}

TEST_F(CommandsTest, SmallBatchesGiveTheSameModelOnAnyThreadCount) {
  // Batches of 4 x 10 x 16 values train on one thread whatever --threads
  // says; only counting and vectorizing use the others.
  TrainOptions one = FastOptions(), three = FastOptions();
  one.fit.threads = 1;
  three.fit.threads = 3;
  std::ostringstream log;
  RunTrain(kReviews, folder_ / "one", one, log);
  RunTrain(kReviews, folder_ / "three", three, log);
  const auto read = [](const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream bytes;
    bytes << in.rdbuf();
    return bytes.str();
  };
  EXPECT_EQ(read(folder_ / "one"), read(folder_ / "three"));
}

TEST_F(CommandsTest, FailedTrainingLeavesThePreviousModelIntact) {
  {
    std::ofstream previous(model_path());
    previous << "previous model";
  }
  fs::create_directories(folder_ / "one_class" / "pos");
  std::ofstream(folder_ / "one_class" / "pos" / "a.txt") << "good";
  std::ostringstream log;
  try {
    RunTrain(folder_ / "one_class", model_path(), FastOptions(), log);
    FAIL();
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::kInvalidInput);
    EXPECT_NE(std::string(error.what()).find("needs at least 2"),
              std::string::npos);
  }
  std::ifstream in(model_path());
  std::string content;
  std::getline(in, content);
  EXPECT_EQ(content, "previous model");
}

TEST_F(CommandsTest, EvaluateRejectsDifferentClasses) {
  TrainAndExport();
  fs::create_directories(folder_ / "other" / "bad");
  fs::create_directories(folder_ / "other" / "good");
  std::ofstream(folder_ / "other" / "bad" / "a.txt") << "bad";
  std::ofstream(folder_ / "other" / "good" / "a.txt") << "good";
  std::ostringstream out;
  EXPECT_THROW(RunEvaluate(bundle_path(), folder_ / "other", out), Error);
}

// A test set may hold only some of the model's classes: each example is
// scored against its class by name, as on the full set.
TEST_F(CommandsTest, EvaluatesDataLackingAClass) {
  TrainAndExport();
  const std::vector<std::pair<std::string, std::string>> examples = {
      {"Great fun, loved it!", "pos"}, {"wonderful", "pos"}, {"terrible", "pos"}};
  fs::create_directories(folder_ / "only_pos" / "pos");
  std::string csv = "text,label\n";
  for (size_t i = 0; i < examples.size(); ++i) {
    std::ofstream(folder_ / "only_pos" / "pos" / (std::to_string(i) + ".txt"))
        << examples[i].first;
    csv += "\"" + examples[i].first + "\"," + examples[i].second + "\n";
  }
  std::ofstream(folder_ / "only_pos.csv") << csv;
  // Expected: the mean of -log p(pos) and the share with p(pos) > 0.5.
  const auto lines = Predict("Great fun, loved it!\nwonderful\nterrible\n");
  double loss = 0.0, correct = 0.0;
  for (const std::string& line : lines) {
    const double p = std::stod(line);
    loss -= std::log(p);
    correct += p > 0.5 ? 1.0 : 0.0;
  }
  char want[96];
  std::snprintf(want, sizeof want, "loss: %.4f - accuracy: %.4f - ",
                loss / 3.0, correct / 3.0);
  for (const fs::path& data : {folder_ / "only_pos", folder_ / "only_pos.csv"}) {
    std::ostringstream out;
    RunEvaluate(bundle_path(), data, out);
    EXPECT_EQ(out.str().substr(0, std::string(want).size()), want) << data;
  }
  std::ofstream(folder_ / "unknown.csv") << "text,label\ngood,pos\nmeh,neutral\n";
  std::ostringstream out;
  try {
    RunEvaluate(bundle_path(), folder_ / "unknown.csv", out);
    FAIL() << "a class the model does not know was scored";
  } catch (const Error& error) {
    EXPECT_EQ(std::string(error.what()),
              (folder_ / "unknown.csv").string() +
                  ": class 'neutral' is not one of the model's (neg, pos)");
  }
}

TEST_F(CommandsTest, BinaryAllPrintsBothProbabilitiesThenTheClass) {
  TrainAndExport();
  PredictOptions all;
  all.all = true;
  const std::string input = "great fun\nterrible and boring";
  const auto both = Predict(input, all);
  const auto second = Predict(input);
  ASSERT_EQ(both.size(), 2u);
  for (size_t i = 0; i < both.size(); ++i) {
    std::istringstream fields(both[i]);
    double first_probability, second_probability;
    std::string tab_class;
    fields >> first_probability >> second_probability >> tab_class;
    EXPECT_NEAR(first_probability + second_probability, 1.0, 1e-6);
    EXPECT_EQ(std::to_string(second_probability).substr(0, 6),
              std::to_string(std::stod(second[i])).substr(0, 6));
    EXPECT_TRUE(second[i].ends_with("\t" + tab_class)) << both[i];
  }
}

// Folder names are class names; a thousand classes train, export and
// predict (each class's one text is its own name's word).
TEST_F(CommandsTest, TrainsAThousandClasses) {
  const fs::path data = folder_ / "many";
  for (int k = 0; k < 1000; ++k) {
    char name[16];
    std::snprintf(name, sizeof name, "c%04d", k);
    fs::create_directories(data / name);
    std::ofstream(data / name / "a.txt") << "word" << k;
  }
  TrainOptions options;
  options.vectorizer.output_sequence_length = 2;
  options.fit.epochs = 2;
  options.fit.batch_size = 64;
  options.validation_split = 0.0;
  std::ostringstream log;
  RunTrain(data, model_path(), options, log);
  EXPECT_NE(log.str().find("Found 1000 files belonging to 1000 classes"),
            std::string::npos);
  RunExport(model_path(), bundle_path(), log);
  PredictOptions all;
  all.all = true;
  const auto lines = Predict("word7\n", all);
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(std::count(lines[0].begin(), lines[0].end(), '\t'), 1000);
  std::ostringstream inspect;
  RunInspect(bundle_path(), false, inspect);
  EXPECT_NE(inspect.str().find("dense (Dense)"), std::string::npos);
  EXPECT_NE(inspect.str().find("(None, 1000)"), std::string::npos);
}

// A bundle whose logits are its bias for every line (zero embedding).
void WriteBiasOnlyBundle(const fs::path& path, std::vector<float> bias,
                         std::vector<std::string> class_names) {
  const int length = 4;
  TextVectorization vectorizer = TextVectorization::Adapt(
      {"good film", "bad film"},
      VectorizerOptions{.max_tokens = 10, .output_sequence_length = length});
  NetworkConfig config{.vocabulary_size = vectorizer.vocabulary().size(),
                       .sequence_length = length,
                       .embedding_dim = 3,
                       .outputs = static_cast<int>(bias.size())};
  Network network = Network::Initialize(config, 1);
  network.mutable_parameters().embedding.setZero();
  for (size_t k = 0; k < bias.size(); ++k) {
    network.mutable_parameters().dense_bias[k] = bias[k];
  }
  ModelFile file{TrainedModel{std::move(class_names), std::move(vectorizer),
                              std::move(network), TrainOptions{}, {}},
                 ActivationForOutputs(config.outputs)};
  WriteModelFile(file, path);
}

TEST_F(CommandsTest, PredictCountsLogitZeroAsTheFirstClass) {
  WriteBiasOnlyBundle(bundle_path(), {0.0f}, {"neg", "pos"});
  EXPECT_EQ(Predict("good film\n\nunknown"),
            (std::vector<std::string>{"0.5\tneg", "0.5\tneg", "0.5\tneg"}));
  PredictOptions logits;
  logits.logits = true;
  EXPECT_EQ(Predict("good film", logits), (std::vector<std::string>{"0\tneg"}));
}

TEST_F(CommandsTest, PredictBreaksTiesTowardTheLowestClass) {
  WriteBiasOnlyBundle(bundle_path(), {0.0f, 0.0f, 0.0f}, {"a", "b", "c"});
  EXPECT_EQ(Predict("good film\n"),
            (std::vector<std::string>{"0.3333333\ta"}));
  WriteBiasOnlyBundle(bundle_path(), {-1.0f, 2.0f, 2.0f}, {"a", "b", "c"});
  const std::vector<std::string> lines = Predict("bad film\n");
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0].substr(lines[0].find('\t') + 1), "b");
}

}  // namespace
}  // namespace sentiment
