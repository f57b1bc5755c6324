#include "sentiment/model_file.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <limits>
#include <nlohmann/json.hpp>

#include "sentiment/error.h"

namespace sentiment {
namespace {

using json = nlohmann::json;
namespace fs = std::filesystem;

TrainedModel SmallModel() {
  VectorizerOptions options{.max_tokens = 20, .output_sequence_length = 6};
  TextVectorization vectorizer = TextVectorization::Adapt(
      {"a fine film", "a dull film", "fine fine acting"}, options);
  NetworkConfig config{.vocabulary_size = vectorizer.vocabulary().size(),
                       .sequence_length = 6,
                       .embedding_dim = 4,
                       .dropout = 0.2f};
  TrainOptions train_options;
  train_options.vectorizer = options;
  train_options.embedding_dim = 4;
  train_options.fit.epochs = 2;
  return TrainedModel{{"neg", "pos"},
                      std::move(vectorizer),
                      Network::Initialize(config, 3),
                      train_options,
                      {{0.69, 0.5, 0.68, 0.55}, {0.6, 0.7, 0.65, 0.6}}};
}

std::string ErrorOf(const std::vector<uint8_t>& bytes) {
  try {
    DecodeModelFile(bytes, "model.bin");
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::kBadModelFile) << error.what();
    return error.what();
  }
  return "no error";
}

// Edits the CBOR payload and frames it again with a valid header and
// checksum, so the edit reaches the field validation.
std::string ErrorAfterEdit(const std::function<void(json&)>& edit) {
  const std::vector<uint8_t> file = EncodeModelFile({SmallModel(), std::nullopt});
  json root = json::from_cbor(file.begin() + kHeaderSize, file.end());
  edit(root);
  return ErrorOf(FramePayload(json::to_cbor(root)));
}

// Large byte strings (4 KiB and up) are read in place rather than through
// the CBOR parser; they must round-trip exactly too.
TEST(ModelFileTest, LargeVocabularyAndEmbeddingRoundTripExactly) {
  std::vector<std::string> tokens = {"", "[UNK]"};
  for (int i = 0; i < 1000; ++i) tokens.push_back("token" + std::to_string(i));
  const int size = static_cast<int>(tokens.size());
  TextVectorization vectorizer(
      VectorizerOptions{.max_tokens = size, .output_sequence_length = 7},
      Vocabulary::FromTokens(tokens));
  const NetworkConfig config{.vocabulary_size = size,
                             .sequence_length = 7,
                             .embedding_dim = 8};
  const TrainedModel model{{"neg", "pos"}, std::move(vectorizer),
                           Network::Initialize(config, 9), TrainOptions{}, {}};
  const std::vector<uint8_t> bytes = EncodeModelFile({model, Activation::kSigmoid});
  const ModelFile decoded = DecodeModelFile(bytes, "big");
  EXPECT_TRUE(decoded.is_bundle());
  EXPECT_EQ(decoded.model.vectorizer.vocabulary().tokens(), tokens);
  EXPECT_TRUE(decoded.model.network.parameters().embedding ==
              model.network.parameters().embedding);
  EXPECT_TRUE(decoded.model.network.parameters().dense_kernel ==
              model.network.parameters().dense_kernel);
  // A flipped byte near the end (in the large strings) is still caught.
  std::vector<uint8_t> damaged = bytes;
  damaged[damaged.size() - 100] ^= 0x10;
  EXPECT_THROW(DecodeModelFile(damaged, "big"), Error);
}

TEST(ModelFileTest, TrainedModelRoundTripsExactly) {
  const TrainedModel model = SmallModel();
  const ModelFile decoded =
      DecodeModelFile(EncodeModelFile({model, std::nullopt}), "m");
  EXPECT_FALSE(decoded.is_bundle());
  EXPECT_EQ(decoded.model.class_names, model.class_names);
  EXPECT_EQ(decoded.model.vectorizer.vocabulary().tokens(),
            model.vectorizer.vocabulary().tokens());
  EXPECT_EQ(decoded.model.vectorizer.options().max_tokens, 20);
  EXPECT_EQ(decoded.model.vectorizer.options().standardize,
            StandardizeMode::kTutorial);
  EXPECT_TRUE(decoded.model.network.parameters().embedding ==
              model.network.parameters().embedding);
  EXPECT_TRUE(decoded.model.network.parameters().dense_kernel ==
              model.network.parameters().dense_kernel);
  EXPECT_EQ(decoded.model.network.parameters().dense_bias,
            model.network.parameters().dense_bias);
  ASSERT_EQ(decoded.model.history.size(), 2u);
  EXPECT_EQ(decoded.model.history[1].val_accuracy, 0.6);
  EXPECT_EQ(decoded.model.options.fit.epochs, 2);
}

TrainedModel SmallModelWithHistograms() {
  TrainedModel model = SmallModel();
  for (size_t e = 0; e < model.history.size(); ++e) {
    const std::vector<float> margins = {-1.0f, 0.5f + static_cast<float>(e), 30.0f};
    const std::vector<int32_t> labels = {0, 1, 1};
    model.history[e].val_logits = HistogramOfMargins(margins, labels, 2);
  }
  return model;
}

TEST(ModelFileTest, LogitHistogramsRoundTrip) {
  const TrainedModel model = SmallModelWithHistograms();
  const ModelFile decoded =
      DecodeModelFile(EncodeModelFile({model, std::nullopt}), "m");
  ASSERT_EQ(decoded.model.history.size(), 2u);
  for (size_t e = 0; e < 2; ++e) {
    EXPECT_EQ(decoded.model.history[e].val_logits, model.history[e].val_logits) << e;
  }
  // Without histograms (older files, no validation set), the field is absent.
  const std::vector<uint8_t> plain = EncodeModelFile({SmallModel(), std::nullopt});
  const json root = json::from_cbor(plain.begin() + kHeaderSize, plain.end());
  EXPECT_FALSE(root["training"]["history"].contains("val_logit_histogram"));
  EXPECT_TRUE(DecodeModelFile(plain, "m").model.history[0].val_logits.empty());
}

// Edits the payload of a model with histograms, as ErrorAfterEdit.
std::string HistogramErrorAfterEdit(const std::function<void(json&)>& edit) {
  const std::vector<uint8_t> file =
      EncodeModelFile({SmallModelWithHistograms(), std::nullopt});
  json root = json::from_cbor(file.begin() + kHeaderSize, file.end());
  edit(root["training"]["history"]["val_logit_histogram"]);
  return ErrorOf(FramePayload(json::to_cbor(root)));
}

TEST(ModelFileTest, DamagedLogitHistogramsAreRefusedByName) {
  EXPECT_EQ(HistogramErrorAfterEdit([](json& h) { h["counts"].erase(0); }),
            "model.bin: training.history.val_logit_histogram: counts and means "
            "must list one entry per epoch (2)");
  EXPECT_EQ(HistogramErrorAfterEdit([](json& h) { h["counts"][1].erase(0); }),
            "model.bin: training.history.val_logit_histogram: epoch 2 must hold "
            "2 classes");
  EXPECT_EQ(HistogramErrorAfterEdit([](json& h) { h["counts"][0][1].erase(3); }),
            "model.bin: training.history.val_logit_histogram: epoch 1 class 1 "
            "must hold 42 counts (bins plus under- and overflow)");
  EXPECT_EQ(HistogramErrorAfterEdit([](json& h) { h["counts"][0][0][5] = -1; }),
            "model.bin: training.history.val_logit_histogram: epoch 1 holds a "
            "count that is not a whole number >= 0");
  EXPECT_EQ(HistogramErrorAfterEdit([](json& h) { h["means"][1][0] = "x"; }),
            "model.bin: training.history.val_logit_histogram: epoch 2 holds a "
            "mean that is not a number");
  EXPECT_EQ(HistogramErrorAfterEdit([](json& h) { h["high"] = -20.0; }),
            "model.bin: training.history.val_logit_histogram: low and high must "
            "be finite with low < high");
  EXPECT_EQ(HistogramErrorAfterEdit([](json& h) { h.erase("bins"); }),
            "model.bin: missing field 'training.history.val_logit_histogram.bins'");
}

TEST(ModelFileTest, BundleKeepsItsActivationAndPredictsIdentically) {
  const fs::path path = fs::path(::testing::TempDir()) / "bundle_roundtrip.bin";
  const ExportPipeline original(SmallModel(), Activation::kSigmoid);
  WriteModelFile({original.model(), original.activation()}, path);
  const ExportPipeline loaded = ReadBundle(path);
  EXPECT_EQ(loaded.activation(), Activation::kSigmoid);
  ExportPipeline::Scratch a, b;
  for (const char* text : {"a fine film", "dull", "", "unknown words only"}) {
    float original_logit, loaded_logit;
    original.Logits(text, a, {&original_logit, 1});
    loaded.Logits(text, b, {&loaded_logit, 1});
    EXPECT_EQ(original_logit, loaded_logit) << text;
  }
  fs::remove(path);
}

TEST(ModelFileTest, BundleKeepsItsTemperatureBitForBit) {
  const fs::path path = fs::path(::testing::TempDir()) / "bundle_temperature.bin";
  ModelFile file{SmallModel(), Activation::kSigmoid};
  file.temperature = 1.3712345f;
  WriteModelFile(file, path);
  const ModelFile read = ReadModelFile(path);
  EXPECT_EQ(read.format_version, 4);
  EXPECT_EQ(read.temperature, 1.3712345f);
  const ExportPipeline loaded = ReadBundle(path);
  EXPECT_EQ(loaded.temperature(), 1.3712345f);
  ExportPipeline::Scratch scratch;
  float logit, probabilities[2];
  loaded.Logits("a fine film", scratch, {&logit, 1});
  loaded.Probabilities({&logit, 1}, probabilities);
  EXPECT_EQ(probabilities[1], Sigmoid(logit / 1.3712345f));
  // An exported, uncalibrated bundle states T = 1.
  const std::vector<uint8_t> plain =
      EncodeModelFile({SmallModel(), Activation::kSigmoid});
  const json root = json::from_cbor(plain.begin() + kHeaderSize, plain.end());
  EXPECT_EQ(root["temperature"], 1.0);
  EXPECT_EQ(root["version"], 4);
  fs::remove(path);
}

// Version 4 bundles must carry the temperature; older files must not, since
// an older build would read one as T = 1. A version 3 bundle reads as T = 1.
TEST(ModelFileTest, TemperatureFollowsTheVersionRule) {
  const auto bundle_after_edit = [](const std::function<void(json&)>& edit,
                                    uint32_t version) {
    const std::vector<uint8_t> file =
        EncodeModelFile({SmallModel(), Activation::kSigmoid});
    json root = json::from_cbor(file.begin() + kHeaderSize, file.end());
    root["version"] = version;
    edit(root);
    std::vector<uint8_t> framed = FramePayload(json::to_cbor(root));
    std::memcpy(framed.data() + 8, &version, sizeof version);
    return framed;
  };
  const auto without = [](json& root) { root.erase("temperature"); };
  const ModelFile version3 = DecodeModelFile(bundle_after_edit(without, 3), "v3");
  EXPECT_EQ(version3.format_version, 3);
  EXPECT_EQ(version3.temperature, 1.0f);
  EXPECT_EQ(ErrorOf(bundle_after_edit([](json& r) { r["temperature"] = 1.5; }, 3)),
            "model.bin: field 'temperature' needs format version 4, the file says 3");
  EXPECT_EQ(ErrorOf(bundle_after_edit(without, 4)),
            "model.bin: missing field 'temperature'");
  for (const double bad : {0.0, -1.5, 1e-50, 1e300}) {
    char number[32];
    std::snprintf(number, sizeof number, "%g", bad);
    EXPECT_EQ(ErrorOf(bundle_after_edit([bad](json& r) { r["temperature"] = bad; }, 4)),
              "model.bin: field 'temperature' is " + std::string(number) +
                  ", expected a finite number above 0");
  }
  EXPECT_EQ(ErrorOf(bundle_after_edit([](json& r) { r["temperature"] = "2"; }, 4)),
            "model.bin: field 'temperature' is not a number");
  EXPECT_EQ(ErrorAfterEdit([](json& r) { r["temperature"] = 2.0; }),
            "model.bin: a trained model must not have a temperature");
  // The pipeline refuses what the file reader would.
  EXPECT_THROW(ExportPipeline(SmallModel(), Activation::kSigmoid, 0.0f), Error);
}

TEST(ModelFileTest, TrainedModelIsNotABundle) {
  const fs::path path = fs::path(::testing::TempDir()) / "trained_only.bin";
  WriteModelFile({SmallModel(), std::nullopt}, path);
  try {
    ReadBundle(path);
    FAIL();
  } catch (const Error& error) {
    EXPECT_NE(std::string(error.what()).find("sentiment export"),
              std::string::npos)
        << error.what();
  }
  fs::remove(path);
}

TEST(ModelFileTest, RejectsEveryTruncation) {
  const std::vector<uint8_t> bytes = EncodeModelFile({SmallModel(), std::nullopt});
  for (size_t length = 0; length < bytes.size(); ++length) {
    const std::vector<uint8_t> cut(bytes.begin(), bytes.begin() + length);
    EXPECT_THROW(DecodeModelFile(cut, "m"), Error) << "length " << length;
  }
}

TEST(ModelFileTest, RejectsAnUnrelatedFile) {
  const std::string text = "hello, this is not a model\n";
  EXPECT_NE(ErrorOf({text.begin(), text.end()}).find("model.bin: not a sentiment model file"),
            std::string::npos);
}

TEST(ModelFileTest, RejectsUnknownFormatTag) {
  EXPECT_EQ(ErrorAfterEdit([](json& r) { r["format"] = "keras"; }),
            "model.bin: unknown format 'keras' (expected 'sentiment-model' or "
            "'sentiment-bundle')");
}

TEST(ModelFileTest, RejectsNewerVersionByName) {
  EXPECT_EQ(ErrorAfterEdit([](json& r) { r["version"] = kFormatVersion + 1; }),
            "model.bin: format version " + std::to_string(kFormatVersion + 1) +
                " is newer than this build supports (" +
                std::to_string(kFormatVersion) + "); upgrade sentiment");
}

TEST(ModelFileTest, RejectsWeightsThatDisagreeWithTheShape) {
  const std::string error = ErrorAfterEdit([](json& r) {
    r["network"]["embedding"] = json::binary(std::vector<uint8_t>(12, 0));
  });
  EXPECT_NE(error.find("network.embedding has 3 values, expected"),
            std::string::npos)
      << error;
}

TEST(ModelFileTest, RejectsNonFiniteWeights) {
  const std::string error = ErrorAfterEdit([](json& r) {
    auto& bytes = r["network"]["dense_kernel"].get_binary();
    const float nan = std::numeric_limits<float>::quiet_NaN();
    std::memcpy(bytes.data(), &nan, 4);
  });
  EXPECT_EQ(error, "model.bin: network: dense layer holds a NaN or infinite value");
}

TEST(ModelFileTest, RejectsVocabularyThatDisagreesWithTheNetwork) {
  const std::string error = ErrorAfterEdit([](json& r) {
    r["network"]["vocabulary_size"] = 3;
  });
  EXPECT_NE(error.find("network.vocabulary_size is 3 but the vocabulary has"),
            std::string::npos)
      << error;
}

TEST(ModelFileTest, RejectsDuplicateVocabularyTokens) {
  const std::string error = ErrorAfterEdit([](json& r) {
    const std::string tokens = std::string("\n[UNK]\nfilm\nfilm");
    r["vectorizer"]["vocabulary"] =
        json::binary(std::vector<uint8_t>(tokens.begin(), tokens.end()));
    r["vectorizer"]["vocabulary_size"] = 4;
  });
  EXPECT_NE(error.find("'film' is a duplicate"), std::string::npos) << error;
}

TEST(ModelFileTest, RejectsMissingField) {
  EXPECT_EQ(ErrorAfterEdit([](json& r) { r["network"].erase("dense_bias"); }),
            "model.bin: missing field 'network.dense_bias'");
}

// The training steps' thread count shapes the weights past one thread, so
// the file keeps it; files from before it was recorded read as 0 (unknown)
// and are written back without it.
TEST(ModelFileTest, RecordsTheTrainingThreads) {
  TrainedModel model = SmallModel();
  model.options.fit.threads = 3;
  const std::vector<uint8_t> file = EncodeModelFile({model, std::nullopt});
  EXPECT_EQ(DecodeModelFile(file, "m").model.options.fit.threads, 3);
  json root = json::from_cbor(file.begin() + kHeaderSize, file.end());
  EXPECT_EQ(root["training"]["threads"], 3);

  root["training"].erase("threads");
  const ModelFile older =
      DecodeModelFile(FramePayload(json::to_cbor(root)), "older");
  EXPECT_EQ(older.model.options.fit.threads, 0);
  const std::vector<uint8_t> again = EncodeModelFile(older);
  EXPECT_FALSE(json::from_cbor(again.begin() + kHeaderSize, again.end())["training"]
                   .contains("threads"));
}

TEST(ModelFileTest, RejectsATrainingThreadCountOutOfRange) {
  for (int threads : {0, 1025}) {
    const std::string error = ErrorAfterEdit(
        [&](json& r) { r["training"]["threads"] = threads; });
    EXPECT_NE(error.find("training.threads"), std::string::npos) << error;
  }
}

TEST(ModelFileTest, WriteReplacesAtomicallyAndRefusesDirectories) {
  const fs::path folder = fs::path(::testing::TempDir()) / "atomic_write_test";
  fs::remove_all(folder);
  fs::create_directories(folder / "a_directory");
  EXPECT_THROW(WriteModelFile({SmallModel(), std::nullopt}, folder / "a_directory"),
               Error);
  WriteModelFile({SmallModel(), std::nullopt}, folder / "model.bin");
  WriteModelFile({SmallModel(), std::nullopt}, folder / "model.bin");
  // Only the directory and the model: no temporary files left behind.
  EXPECT_EQ(std::distance(fs::directory_iterator(folder), fs::directory_iterator()), 2);
  fs::remove_all(folder);
}

// K classes, n-grams, masked pooling and class weights are all stored.
TEST(ModelFileTest, ThreeClassBundleWithEveryOptionRoundTrips) {
  VectorizerOptions options{.max_tokens = 30, .output_sequence_length = 5, .ngrams = 2};
  TextVectorization vectorizer = TextVectorization::Adapt(
      {"a fine film", "a dull film", "fine fine acting"}, options);
  const NetworkConfig config{.vocabulary_size = vectorizer.vocabulary().size(),
                             .sequence_length = 5,
                             .embedding_dim = 3,
                             .outputs = 3,
                             .mask_padding = true};
  TrainOptions train_options;
  train_options.vectorizer = options;
  train_options.mask_padding = true;
  train_options.class_weight = ClassWeight::kBalanced;
  const TrainedModel model{{"neg", "neutral", "pos"}, std::move(vectorizer),
                           Network::Initialize(config, 4), train_options, {}};
  const ModelFile decoded = DecodeModelFile(
      EncodeModelFile({model, Activation::kSoftmax}), "three");
  EXPECT_EQ(decoded.format_version, kFormatVersion);
  EXPECT_EQ(decoded.activation, Activation::kSoftmax);
  EXPECT_EQ(decoded.model.class_names, model.class_names);
  EXPECT_EQ(decoded.model.vectorizer.options().ngrams, 2);
  EXPECT_EQ(decoded.model.network.config().outputs, 3);
  EXPECT_TRUE(decoded.model.network.config().mask_padding);
  EXPECT_EQ(decoded.model.options.class_weight, ClassWeight::kBalanced);
  EXPECT_TRUE(decoded.model.network.parameters().dense_kernel ==
              model.network.parameters().dense_kernel);
  EXPECT_TRUE(decoded.model.network.parameters().dense_bias ==
              model.network.parameters().dense_bias);
  const ExportPipeline original(model, Activation::kSoftmax);
  const ExportPipeline loaded(decoded.model, *decoded.activation);
  ExportPipeline::Scratch scratch;
  std::vector<float> a(3), b(3);
  for (const char* text : {"a fine film", "", "fine dull acting film"}) {
    original.Logits(text, scratch, a);
    loaded.Logits(text, scratch, b);
    EXPECT_EQ(a, b) << text;
  }
  // A softmax stage on a one-logit network, or sigmoid on three, is refused.
  const std::vector<uint8_t> binary = EncodeModelFile({SmallModel(), Activation::kSoftmax});
  EXPECT_EQ(ErrorOf(binary),
            "model.bin: activation 'softmax' does not fit a network with 1 output(s)");
}

const fs::path kVersion2 = fs::path(SENTIMENT_TEST_DATA) / "format_v2";

std::vector<std::string> Lines(const fs::path& path) {
  std::ifstream in(path);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

// Files of format version 2, written by that build (tests/data/format_v2),
// load and give the classes that build printed, its logits to 1e-6 and its
// probabilities to 1e-5 (relative): the logits are now summed in double (for
// exact explanations), where that build summed 250 float scores and printed,
// for example, -5.447706 for a logit whose exact value is -5.4477027.
TEST(ModelFileTest, VersionTwoFilesPredictAsTheirBuildDid) {
  const ModelFile model = ReadModelFile(kVersion2 / "model.sentiment");
  EXPECT_EQ(model.format_version, 2);
  EXPECT_FALSE(model.is_bundle());
  EXPECT_EQ(model.model.vectorizer.options().ngrams, 1);
  EXPECT_FALSE(model.model.network.config().mask_padding);
  EXPECT_EQ(model.model.options.class_weight, ClassWeight::kNone);

  const ExportPipeline bundle = ReadBundle(kVersion2 / "bundle.sentiment");
  const std::vector<std::string> inputs = Lines(kVersion2 / "input.txt");
  const std::vector<std::string> logits = Lines(kVersion2 / "logits.expected");
  const std::vector<std::string> probabilities = Lines(kVersion2 / "predict.expected");
  ASSERT_EQ(inputs.size(), logits.size());
  ASSERT_EQ(inputs.size(), probabilities.size());
  // "NUMBER\tCLASS" as that build printed it.
  const auto expect_printed = [](const std::string& expected, float value,
                                 const std::string& class_name,
                                 double tolerance, size_t line) {
    const size_t tab = expected.find('\t');
    ASSERT_NE(tab, std::string::npos) << expected;
    const double number = std::stod(expected.substr(0, tab));
    EXPECT_NEAR(value, number, tolerance * std::fabs(number)) << "line " << line;
    EXPECT_EQ(class_name, expected.substr(tab + 1)) << "line " << line;
  };
  ExportPipeline::Scratch scratch;
  for (size_t i = 0; i < inputs.size(); ++i) {
    std::string text = inputs[i];
    if (!text.empty() && text.back() == '\r') text.pop_back();
    float logit;
    bundle.Logits(text, scratch, {&logit, 1});
    const std::string class_name = bundle.ClassForLogits({&logit, 1});
    expect_printed(logits[i], logit, class_name, 1e-6, i + 1);
    expect_printed(probabilities[i], Sigmoid(logit), class_name, 1e-5, i + 1);
    // Read as T = 1, the activation stage gives those bits.
    float stage[2];
    bundle.Probabilities({&logit, 1}, stage);
    EXPECT_EQ(stage[1], Sigmoid(logit)) << "line " << i + 1;
  }
  EXPECT_EQ(bundle.temperature(), 1.0f);
  // Written back, a version 2 model becomes the newest version with the same
  // weights.
  const ModelFile rewritten =
      DecodeModelFile(EncodeModelFile({model.model, std::nullopt}), "rewritten");
  EXPECT_EQ(rewritten.format_version, kFormatVersion);
  EXPECT_TRUE(rewritten.model.network.parameters().embedding ==
              model.model.network.parameters().embedding);
}

}  // namespace
}  // namespace sentiment
