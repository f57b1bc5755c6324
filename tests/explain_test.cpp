// predict --explain and --format jsonl: the exact split of a logit into bias,
// padding and per-term contributions, and the JSON Lines output.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "sentiment/commands.h"
#include "sentiment/error.h"
#include "sentiment/model_file.h"
#include "sentiment/pipeline.h"
#include "sentiment/predict.h"

namespace sentiment {
namespace {

namespace fs = std::filesystem;
using Json = nlohmann::ordered_json;

const fs::path kData = fs::path(SENTIMENT_TEST_DATA);

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

// A small bundle trained on `folder`; a short sequence so that long lines
// are truncated.
fs::path TrainBundle(const fs::path& folder, const fs::path& data,
                     const std::string& name, bool mask_padding, int ngrams) {
  TrainOptions options;
  options.vectorizer.output_sequence_length = 12;
  options.vectorizer.ngrams = ngrams;
  options.mask_padding = mask_padding;
  options.fit.epochs = 15;
  options.fit.batch_size = 4;
  options.fit.learning_rate = 0.05f;
  options.validation_split = 0.25;
  std::ostringstream log;
  RunTrain(data, folder / (name + ".model"), options, log);
  RunExport(folder / (name + ".model"), folder / (name + ".bundle"), log);
  return folder / (name + ".bundle");
}

class ExplainTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    // One folder per process: ctest runs each test as its own process, in
    // parallel, and each trains the suite's bundles.
    folder_ = fs::path(::testing::TempDir()) /
              ("explain_test_" + std::to_string(::getpid()));
    fs::remove_all(folder_);
    fs::create_directories(folder_);
    const fs::path reviews = kData / "reviews";
    const fs::path topics = kData / "topics";
    binary_ = TrainBundle(folder_, reviews, "binary", false, 1);
    binary_masked_ = TrainBundle(folder_, reviews, "binary_masked", true, 2);
    topics_ = TrainBundle(folder_, topics, "topics", false, 2);
    topics_masked_ = TrainBundle(folder_, topics, "topics_masked", true, 1);
  }
  static void TearDownTestSuite() { fs::remove_all(folder_); }

  static std::vector<fs::path> AllBundles() {
    return {binary_, binary_masked_, topics_, topics_masked_};
  }

  static std::string Predict(const fs::path& bundle, const std::string& input,
                             const PredictOptions& options) {
    std::istringstream in(input);
    std::ostringstream out;
    RunPredict(bundle, in, out, options);
    return out.str();
  }

  static PredictOptions Jsonl(bool explain) {
    PredictOptions options;
    options.format = PredictFormat::kJsonl;
    options.explain = explain;
    return options;
  }

  static inline fs::path folder_, binary_, binary_masked_, topics_,
      topics_masked_;
};

// Random lines over the bundle's own vocabulary, unknown words, punctuation
// and invalid UTF-8, from empty to longer than the sequence.
std::string RandomInput(const Vocabulary& vocabulary, int lines,
                        uint64_t seed) {
  std::vector<std::string> words = {"xyzzy", "Great!",      "<br />", "  ",
                                    "\xff",  "caf\xc3\xa9", "the",    "AWFUL"};
  for (int32_t i = 2; i < vocabulary.size(); ++i) {
    words.push_back(vocabulary.tokens()[static_cast<size_t>(i)]);
  }
  uint64_t state = seed;
  const auto next = [&state] {
    state = state * 6364136223846793005u + 1442695040888963407u;
    return static_cast<size_t>(state >> 33);
  };
  std::string input;
  for (int line = 0; line < lines; ++line) {
    const size_t length = next() % 30;
    for (size_t w = 0; w < length; ++w) {
      if (w > 0) input += ' ';
      input += words[next() % words.size()];
    }
    input += '\n';
  }
  return input;
}

// The index in the class list of the class an explanation names.
size_t ClassIndex(const ExportPipeline& pipeline, const std::string& name) {
  const std::vector<std::string>& names = pipeline.model().class_names;
  for (size_t i = 0; i < names.size(); ++i) {
    if (names[i] == name) return i;
  }
  ADD_FAILURE() << "no class " << name;
  return 0;
}

TEST_F(ExplainTest, BiasPaddingAndContributionsSumToTheLogit) {
  for (const fs::path& bundle : AllBundles()) {
    const ExportPipeline pipeline = ReadBundle(bundle);
    const TextVectorization& vectorizer = pipeline.model().vectorizer;
    const bool masked = pipeline.model().network.config().mask_padding;
    const std::string input =
        RandomInput(vectorizer.vocabulary(), 3000, 7) + "\n";
    const std::vector<std::string> texts = Lines(input);
    const std::vector<std::string> results =
        Lines(Predict(bundle, input, Jsonl(true)));
    ASSERT_EQ(results.size(), texts.size()) << bundle;
    for (size_t line = 0; line < texts.size(); ++line) {
      SCOPED_TRACE(bundle.filename().string() + " line " +
                   std::to_string(line));
      const Json result = Json::parse(results[line]);
      const Json& explanation = result["explanation"];
      const std::vector<float> logits =
          result["logits"].get<std::vector<float>>();
      // The printed logits read back as the pipeline's, bit for bit.
      ExportPipeline::Scratch scratch;
      std::vector<float> want(logits.size());
      pipeline.Logits(texts[line], scratch, want);
      ASSERT_EQ(logits, want);
      const size_t explained =
          logits.size() == 1
              ? 0
              : ClassIndex(pipeline, explanation["class"].get<std::string>());
      const double logit = logits[explained];
      double sum = explanation["bias"].get<double>() +
                   explanation["padding"].get<double>();
      const std::vector<int32_t> ids = vectorizer.Vectorize(texts[line]);
      size_t position = 0;
      for (const Json& token : explanation["tokens"]) {
        ASSERT_EQ(token.size(), 3u);
        const std::string term = token[0].get<std::string>();
        const int32_t id = token[1].get<int32_t>();
        // Sequence order, the ids the vectorizer gives, and each term as
        // the vocabulary knows it (unknown ones as written, id 1).
        ASSERT_LT(position, ids.size());
        EXPECT_EQ(id, ids[position++]);
        EXPECT_EQ(vectorizer.vocabulary().Lookup(term), id) << term;
        EXPECT_NE(term, "[UNK]");
        sum += token[2].get<double>();
      }
      // Only the terms that fit; the rest of the sequence is padding.
      for (size_t t = position; t < ids.size(); ++t) EXPECT_EQ(ids[t], 0);
      if (masked) {
        EXPECT_EQ(explanation["padding"].get<double>(), 0.0);
        if (position == 0) {
          EXPECT_EQ(explanation["bias"].get<float>(), logit);
        }
      }
      // 1e-5 relative to the logit, even when large parts cancel to a
      // logit near 0 (the logit is their sum rounded once to float).
      EXPECT_NEAR(sum, logit, 1e-5 * std::fabs(logit)) << results[line];
    }
  }
}

// The library call behind --explain, for every logit, not only the one
// predict explains.
TEST_F(ExplainTest, ExplainSplitsEachLogitOfThePipeline) {
  for (const fs::path& bundle : AllBundles()) {
    const ExportPipeline pipeline = ReadBundle(bundle);
    const TextVectorization& vectorizer = pipeline.model().vectorizer;
    const std::vector<std::string> texts =
        Lines(RandomInput(vectorizer.vocabulary(), 300, 5));
    ExportPipeline::Scratch scratch;
    LogitExplanation explanation;  // reused, as predict's workers do
    std::vector<float> logits(static_cast<size_t>(pipeline.outputs()));
    for (const std::string& text : texts) {
      pipeline.Logits(text, scratch, logits);
      std::vector<int32_t> ids(
          static_cast<size_t>(vectorizer.sequence_length()));
      TextVectorization::Scratch terms;
      const size_t count = vectorizer.Vectorize(text, ids, terms);
      for (int output = 0; output < pipeline.outputs(); ++output) {
        pipeline.Explain(text, output, scratch, explanation);
        EXPECT_EQ(explanation.output, output);
        EXPECT_EQ(explanation.logit, logits[static_cast<size_t>(output)]);
        ASSERT_EQ(explanation.size(), count) << text;
        ASSERT_EQ(explanation.contributions.size(), count);
        double sum =
            static_cast<double>(explanation.bias) + explanation.padding;
        double magnitude =
            std::fabs(explanation.bias) + std::fabs(explanation.padding);
        for (size_t i = 0; i < count; ++i) {
          EXPECT_EQ(explanation.ids[i], ids[i]);
          EXPECT_EQ(vectorizer.vocabulary().Lookup(explanation.term(i)),
                    ids[i]);
          sum += explanation.contributions[i];
          magnitude += std::fabs(explanation.contributions[i]);
        }
        // The logit's float rounding (2^-24 of it) and the double sums'
        // (far below 1e-12 of the parts).
        EXPECT_NEAR(sum, explanation.logit,
                    0x1p-24 * std::fabs(explanation.logit) + 1e-12 * magnitude)
            << text;
      }
    }
  }
}

TEST_F(ExplainTest, ContributionsMatchTheWeightsByHand) {
  for (const fs::path& bundle : {binary_, topics_masked_}) {
    const ExportPipeline pipeline = ReadBundle(bundle);
    const TrainedModel& model = pipeline.model();
    const Vocabulary& vocabulary = model.vectorizer.vocabulary();
    const NetworkParameters& weights = model.network.parameters();
    // Known words and one unknown, in the vocabulary of both data sets or
    // not: the loop below does not care.
    const std::vector<std::string> words = {vocabulary.tokens()[2],
                                            vocabulary.tokens()[3], "qqqq",
                                            vocabulary.tokens()[2]};
    std::string text;
    for (const std::string& word : words) text += word + " ";
    const Json result = Json::parse(Predict(bundle, text + "\n", Jsonl(true)));
    const Json& explanation = result["explanation"];
    const size_t output =
        model.class_names.size() == 2
            ? 0
            : ClassIndex(pipeline, explanation["class"].get<std::string>());
    const auto score = [&](int32_t id) {
      double dot = 0.0;
      for (Eigen::Index d = 0; d < weights.embedding.cols(); ++d) {
        dot += static_cast<double>(weights.embedding(id, d)) *
               weights.dense_kernel(d, static_cast<Eigen::Index>(output));
      }
      return dot;
    };
    const int length = model.vectorizer.sequence_length();
    const bool masked = model.network.config().mask_padding;
    const double divisor = masked ? static_cast<double>(words.size()) : length;
    EXPECT_NEAR(explanation["bias"].get<double>(),
                weights.dense_bias(static_cast<Eigen::Index>(output)), 1e-7);
    const double padding =
        masked ? 0.0
               : score(0) * (length - static_cast<int>(words.size())) / divisor;
    // Up to the float rounding of Logits's sum, which it absorbs.
    EXPECT_NEAR(explanation["padding"].get<double>(), padding,
                1e-5 * std::fabs(padding) + 1e-7);
    ASSERT_EQ(explanation["tokens"].size(), words.size());
    for (size_t i = 0; i < words.size(); ++i) {
      const Json& token = explanation["tokens"][i];
      const int32_t id = vocabulary.Lookup(words[i]);
      EXPECT_EQ(token[0].get<std::string>(), words[i]);
      EXPECT_EQ(token[1].get<int32_t>(), id);
      EXPECT_NEAR(token[2].get<double>(), score(id) / divisor, 1e-6)
          << words[i];
    }
    EXPECT_EQ(explanation["tokens"][2][1].get<int32_t>(),
              Vocabulary::kOutOfVocabularyIndex);
  }
}

TEST_F(ExplainTest, JsonLinesHaveTheDocumentedKeys) {
  const std::string input = "great fun\n\nawful \xff waste\t\"quoted\\\"\n";
  for (const fs::path& bundle : {binary_, topics_}) {
    const ExportPipeline pipeline = ReadBundle(bundle);
    const std::vector<std::string>& names = pipeline.model().class_names;
    const size_t classes = names.size();
    const std::vector<std::string> plain =
        Lines(Predict(bundle, input, Jsonl(false)));
    const std::vector<std::string> explained =
        Lines(Predict(bundle, input, Jsonl(true)));
    ASSERT_EQ(plain.size(), 3u);
    ASSERT_EQ(explained.size(), 3u);
    for (size_t line = 0; line < plain.size(); ++line) {
      const Json result = Json::parse(plain[line]);  // throws on bad UTF-8
      ASSERT_TRUE(result.is_object());
      std::vector<std::string> keys;
      for (const auto& item : result.items()) keys.push_back(item.key());
      EXPECT_EQ(keys,
                (std::vector<std::string>{"class", "probabilities", "logits"}));
      const std::vector<float> probabilities =
          result["probabilities"].get<std::vector<float>>();
      const std::vector<float> logits =
          result["logits"].get<std::vector<float>>();
      ASSERT_EQ(probabilities.size(), classes);
      ASSERT_EQ(logits.size(), classes == 2 ? 1u : classes);
      std::vector<float> want(classes);
      pipeline.Probabilities(logits, want);
      EXPECT_EQ(probabilities, want);
      EXPECT_EQ(result["class"].get<std::string>(),
                names[static_cast<size_t>(PredictedClass(logits))]);

      const Json with = Json::parse(explained[line]);
      keys.clear();
      for (const auto& item : with.items()) keys.push_back(item.key());
      EXPECT_EQ(keys, (std::vector<std::string>{"class", "probabilities",
                                                "logits", "explanation"}));
      EXPECT_EQ(with["logits"], result["logits"]);
      keys.clear();
      for (const auto& item : with["explanation"].items()) {
        keys.push_back(item.key());
      }
      EXPECT_EQ(keys, (std::vector<std::string>{"class", "bias", "padding",
                                                "tokens"}));
      // Binary: the one logit is the second class's; else the predicted one.
      EXPECT_EQ(with["explanation"]["class"],
                classes == 2 ? Json(names[1]) : result["class"]);
    }
    // The invalid byte became U+FFFD; quote and backslash are escaped.
    const Json third = Json::parse(explained[2]);
    std::vector<std::string> terms;
    for (const Json& token : third["explanation"]["tokens"]) {
      terms.push_back(token[0].get<std::string>());
    }
    EXPECT_NE(std::find(terms.begin(), terms.end(), "\xef\xbf\xbd"),
              terms.end());
    EXPECT_TRUE(Json::parse(explained[1])["explanation"]["tokens"].empty());
  }
}

TEST_F(ExplainTest, ThresholdChoosesTheJsonClass) {
  PredictOptions options = Jsonl(true);
  for (const float threshold : {0.0f, 1.0f}) {
    options.threshold = threshold;
    const Json result = Json::parse(Predict(binary_, "great\n", options));
    const float p = result["probabilities"][1].get<float>();
    EXPECT_EQ(result["class"].get<std::string>(),
              threshold == 0.0f || p >= 1.0f ? "pos" : "neg");
    EXPECT_EQ(result["explanation"]["class"].get<std::string>(), "pos");
  }
}

TEST_F(ExplainTest, DocumentsGainAPathKeyFirst) {
  const fs::path file = folder_ / "doc\tname.txt";
  std::ofstream(file) << "great fun\nwonderful";
  std::ostringstream out;
  RunPredictDocuments(binary_, {file}, out, Jsonl(true));
  const std::vector<std::string> lines = Lines(out.str());
  ASSERT_EQ(lines.size(), 1u);
  const Json result = Json::parse(lines[0]);
  EXPECT_EQ(result.begin().key(), "path");
  EXPECT_EQ(result["path"].get<std::string>(), file.string());
  EXPECT_EQ(result["explanation"]["tokens"].size(), 3u);
}

// The tab-separated form: the usual fields, then "bias B", "padding P" and
// one "TERM C" per term, strongest first, all on the one line.
TEST_F(ExplainTest, TsvAddsPairsStrongestFirstOnTheSameLine) {
  const ExportPipeline masked = ReadBundle(binary_masked_);
  const std::string input =
      RandomInput(masked.model().vectorizer.vocabulary(), 200, 3);
  for (const fs::path& bundle : {binary_, binary_masked_, topics_}) {
    PredictOptions tsv;
    tsv.explain = true;
    const std::vector<std::string> lines = Lines(Predict(bundle, input, tsv));
    const std::vector<std::string> plain =
        Lines(Predict(bundle, input, PredictOptions{}));
    const std::vector<std::string> json =
        Lines(Predict(bundle, input, Jsonl(true)));
    ASSERT_EQ(lines.size(), plain.size());
    for (size_t line = 0; line < lines.size(); ++line) {
      // The usual line, unchanged, then the explanation.
      ASSERT_EQ(lines[line].substr(0, plain[line].size() + 1),
                plain[line] + "\t");
      std::vector<std::string> fields;
      std::istringstream rest(lines[line].substr(plain[line].size() + 1));
      for (std::string field; std::getline(rest, field, '\t');) {
        fields.push_back(field);
      }
      const Json explanation = Json::parse(json[line])["explanation"];
      ASSERT_EQ(fields.size(), 2 + explanation["tokens"].size());
      ASSERT_EQ(fields[0].substr(0, 5), "bias ");
      ASSERT_EQ(fields[1].substr(0, 8), "padding ");
      EXPECT_NEAR(std::stod(fields[0].substr(5)),
                  explanation["bias"].get<double>(), 1e-3);
      double previous = INFINITY;
      for (size_t i = 2; i < fields.size(); ++i) {
        const size_t space = fields[i].rfind(' ');
        ASSERT_NE(space, std::string::npos) << fields[i];
        const double value = std::stod(fields[i].substr(space + 1));
        EXPECT_LE(std::fabs(value), previous) << lines[line];
        previous = std::fabs(value);
      }
    }
  }
}

TEST_F(ExplainTest, TsvTermsAreEscapedAsPathsAre) {
  PredictOptions tsv;
  tsv.explain = true;
  // (The tutorial standardization has already dropped punctuation such as
  // a backslash.)
  const std::string line =
      Predict(binary_, "ctrl\x01z \xff caf\xc3\xa9\n", tsv);
  EXPECT_NE(line.find("\tctrl\\x01z "), std::string::npos) << line;
  EXPECT_NE(line.find("\t\\xFF "), std::string::npos) << line;
  EXPECT_NE(line.find("\tcaf\xc3\xa9 "), std::string::npos) << line;
  EXPECT_EQ(Lines(line).size(), 1u);
}

TEST_F(ExplainTest, EveryThreadCountWritesTheSameBytes) {
  const ExportPipeline topics = ReadBundle(topics_);
  // More than one block of lines (8192), so the threads share blocks.
  const std::string input =
      RandomInput(topics.model().vectorizer.vocabulary(), 20000, 11);
  for (const fs::path& bundle : {binary_masked_, topics_}) {
    for (const PredictFormat format :
         {PredictFormat::kTsv, PredictFormat::kJsonl}) {
      PredictOptions options;
      options.format = format;
      options.explain = true;
      options.threads = 1;
      const std::string one = Predict(bundle, input, options);
      EXPECT_EQ(Lines(one).size(), 20000u);
      for (const int threads : {2, 5}) {
        options.threads = threads;
        EXPECT_EQ(Predict(bundle, input, options), one)
            << bundle << " with " << threads << " threads";
      }
    }
  }
}

TEST_F(ExplainTest, TsvOnlyFlagsAreRefusedWithJsonLines) {
  const auto refused = [&](PredictOptions options, const std::string& flag) {
    options.format = PredictFormat::kJsonl;
    try {
      Predict(binary_, "great\n", options);
      ADD_FAILURE() << flag << " was accepted";
    } catch (const Error& error) {
      EXPECT_EQ(error.kind(), ErrorKind::kInvalidInput);
      EXPECT_EQ(std::string(error.what()).rfind(flag + " chooses", 0), 0u)
          << error.what();
    }
  };
  PredictOptions logits;
  logits.logits = true;
  refused(logits, "--logits");
  PredictOptions all;
  all.all = true;
  refused(all, "--all");
  PredictOptions no_class;
  no_class.show_class = false;
  refused(no_class, "--no-class");
  EXPECT_EQ(ParsePredictFormat("tsv"), PredictFormat::kTsv);
  EXPECT_EQ(ParsePredictFormat("jsonl"), PredictFormat::kJsonl);
  EXPECT_THROW(ParsePredictFormat("json"), Error);
}

}  // namespace
}  // namespace sentiment
