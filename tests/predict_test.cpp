#include "sentiment/predict.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "sentiment/commands.h"
#include "sentiment/error.h"

namespace sentiment {
namespace {

namespace fs = std::filesystem;

const fs::path kData = fs::path(SENTIMENT_TEST_DATA);

TrainOptions FastOptions() {
  TrainOptions options;
  options.vectorizer.output_sequence_length = 10;
  options.fit.epochs = 40;
  options.fit.batch_size = 4;
  options.fit.learning_rate = 0.05f;
  options.validation_split = 0.25;
  return options;
}

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

void WriteFile(const fs::path& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary) << bytes;
}

// A binary bundle (neg, pos) and a three-class one, trained once.
class PredictTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    // One folder per process: ctest runs each test as its own process, in
    // parallel, and each trains the suite's bundles.
    folder_ = fs::path(::testing::TempDir()) /
              ("predict_test_" + std::to_string(::getpid()));
    fs::remove_all(folder_);
    fs::create_directories(folder_);
    std::ostringstream log;
    RunTrain(kData / "reviews", folder_ / "binary.model", FastOptions(), log);
    RunExport(folder_ / "binary.model", binary(), log);
    RunTrain(kData / "topics", folder_ / "topics.model", FastOptions(), log);
    RunExport(folder_ / "topics.model", topics(), log);
  }
  static void TearDownTestSuite() { fs::remove_all(folder_); }

  static fs::path binary() { return folder_ / "binary.bundle"; }
  static fs::path topics() { return folder_ / "topics.bundle"; }

  static std::string Predict(const fs::path& bundle, const std::string& input,
                             const PredictOptions& options = {}) {
    std::istringstream in(input);
    std::ostringstream out;
    RunPredict(bundle, in, out, options);
    return out.str();
  }

  static inline fs::path folder_;
};

// Lines of every kind: words the model knows and does not, empty lines,
// CRLF endings, long lines, and no final newline; several megabytes, so
// many blocks.
std::string MixedInput() {
  const std::vector<std::string> words = {
      "great", "awful", "fun", "boring", "wonderful", "terrible", "movie",
      "loved", "waste", "plot", "xyzzy", "the", "and", "!", "<br />"};
  std::string input;
  uint64_t state = 12345;
  const auto next = [&state] {
    state = state * 6364136223846793005u + 1442695040888963407u;
    return static_cast<size_t>(state >> 33);
  };
  for (int line = 0; input.size() < (size_t{3} << 20); ++line) {
    const size_t length = line % 97 == 0 ? 20000 : next() % 40;
    for (size_t w = 0; w < length; ++w) {
      if (w > 0) input += ' ';
      input += words[next() % words.size()];
    }
    input += line % 5 == 0 ? "\r\n" : "\n";
  }
  input += "great fun";  // no final newline
  return input;
}

TEST_F(PredictTest, EveryThreadCountWritesTheSameBytes) {
  const std::string input = MixedInput();
  for (const fs::path& bundle : {binary(), topics()}) {
    PredictOptions options;
    options.all = true;
    options.threads = 1;
    const std::string one = Predict(bundle, input, options);
    EXPECT_EQ(Lines(one).size(), Lines(input).size());
    for (const int threads : {2, 3, 8}) {
      options.threads = threads;
      EXPECT_EQ(Predict(bundle, input, options), one)
          << bundle << " with " << threads << " threads";
    }
  }
}

TEST_F(PredictTest, EachResultIsThatOfTheLineAlone) {
  const std::string input = MixedInput();
  const std::vector<std::string> inputs = Lines(input);
  PredictOptions options;
  options.threads = 4;
  const std::vector<std::string> results = Lines(Predict(binary(), input, options));
  ASSERT_EQ(results.size(), inputs.size());
  for (size_t i = 0; i < inputs.size(); i += 101) {
    EXPECT_EQ(results[i] + "\n", Predict(binary(), inputs[i] + "\n"))
        << "line " << i;
  }
}

TEST_F(PredictTest, FilesAreReadInOrderWithStandardInputWhereDashIs) {
  WriteFile(folder_ / "a.txt", "great fun\nawful");  // no final newline
  WriteFile(folder_ / "b.txt", "terrible waste\r\n\nwonderful\n");
  std::istringstream standard_input("loved it\nboring\n");
  std::ostringstream out;
  RunPredictOnFiles(binary(),
                    {(folder_ / "a.txt").string(), "-", (folder_ / "b.txt").string()},
                    standard_input, out, {});
  EXPECT_EQ(out.str(), Predict(binary(),
                               "great fun\nawful\nloved it\nboring\n"
                               "terrible waste\n\nwonderful\n"));
}

TEST_F(PredictTest, MissingFileIsRefusedBeforeAnyOutput) {
  WriteFile(folder_ / "a.txt", "great fun\n");
  std::istringstream standard_input("");
  std::ostringstream out;
  try {
    RunPredictOnFiles(binary(),
                      {(folder_ / "a.txt").string(), (folder_ / "missing.txt").string()},
                      standard_input, out, {});
    FAIL() << "expected an error";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::kInvalidInput);
    EXPECT_NE(std::string(error.what()).find("missing.txt: no such file"),
              std::string::npos);
  }
  EXPECT_EQ(out.str(), "");
}

TEST_F(PredictTest, AFolderOfLinesPointsToFiles) {
  std::istringstream standard_input("");
  std::ostringstream out;
  try {
    RunPredictOnFiles(binary(), {kData.string()}, standard_input, out, {});
    FAIL() << "expected an error";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::kInvalidInput);
    EXPECT_NE(std::string(error.what()).find("is a directory (predict --files"),
              std::string::npos);
  }
}

TEST_F(PredictTest, DocumentsAreWholeFilesListedAsTrainingListsThem) {
  const fs::path root = folder_ / "mail";
  fs::remove_all(root);
  fs::create_directories(root / "sub");
  WriteFile(root / "b.txt", "great fun\nwonderful\n");
  WriteFile(root / "A.TXT", "terrible\r\nwaste of time");
  WriteFile(root / "notes.md", "not a text file");
  WriteFile(root / "sub" / "z.txt", "");
  WriteFile(folder_ / "single.txt", "loved it");
  for (const int threads : {1, 2, 5}) {
    PredictOptions options;
    options.threads = threads;
    std::ostringstream out;
    RunPredictDocuments(binary(), {root, folder_ / "single.txt"}, out, options);
    // Whitespace of any kind splits tokens the same way, so a document is
    // predicted as its text on one line.
    const std::vector<std::pair<fs::path, std::string>> expected = {
        {root / "A.TXT", "terrible  waste of time"},
        {root / "b.txt", "great fun wonderful "},
        {root / "sub" / "z.txt", ""},
        {folder_ / "single.txt", "loved it"}};
    std::string want;
    for (const auto& [path, text] : expected) {
      want += path.string() + "\t" + Predict(binary(), text + "\n");
    }
    EXPECT_EQ(out.str(), want) << threads << " threads";
  }
}

TEST_F(PredictTest, DocumentPathsStayOnOneLine) {
  const fs::path root = folder_ / "odd names";
  fs::remove_all(root);
  fs::create_directories(root);
  WriteFile(root / "tab\there.txt", "great");
  WriteFile(root / "new\nline.txt", "awful");
  std::ostringstream out;
  RunPredictDocuments(binary(), {root}, out, {});
  const std::vector<std::string> lines = Lines(out.str());
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[0].substr(0, lines[0].find('\t')),
            (root / "new\\nline.txt").string());
  EXPECT_EQ(lines[1].substr(0, lines[1].find('\t')),
            (root / "tab\\there.txt").string());
}

TEST_F(PredictTest, AnUnreadableDocumentStopsAfterTheResultsBeforeIt) {
  WriteFile(folder_ / "one.txt", "great");
  WriteFile(folder_ / "two.txt", "awful");
  // A regular file whose first read fails (EIO).
  const fs::path unreadable = "/proc/self/mem";
  PredictOptions options;
  options.threads = 2;
  std::ostringstream out;
  try {
    RunPredictDocuments(binary(),
                        {folder_ / "one.txt", folder_ / "two.txt", unreadable,
                         folder_ / "one.txt"},
                        out, options);
    FAIL() << "expected an error";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::kIo);
    EXPECT_NE(std::string(error.what()).find("/proc/self/mem"), std::string::npos);
  }
  EXPECT_EQ(out.str(), (folder_ / "one.txt").string() + "\t" +
                           Predict(binary(), "great\n") +
                           (folder_ / "two.txt").string() + "\t" +
                           Predict(binary(), "awful\n"));
}

TEST_F(PredictTest, ThresholdPicksTheSecondClassFromItsPrintedProbability) {
  const std::string input = "great\nawful\nfun and boring\nxyzzy\n\nloved it\n";
  PredictOptions plain;
  plain.show_class = false;
  const std::vector<std::string> probabilities = Lines(Predict(binary(), input, plain));
  std::vector<float> thresholds = {0.0f, 0.25f, 0.5f, 0.75f, 1.0f};
  // Each printed probability as a threshold: that line is exactly at it.
  for (const std::string& p : probabilities) thresholds.push_back(std::stof(p));
  for (const float threshold : thresholds) {
    PredictOptions options;
    options.threshold = threshold;
    const std::vector<std::string> lines = Lines(Predict(binary(), input, options));
    ASSERT_EQ(lines.size(), probabilities.size());
    for (size_t i = 0; i < lines.size(); ++i) {
      const std::string want =
          std::stof(probabilities[i]) >= threshold ? "pos" : "neg";
      EXPECT_EQ(lines[i], probabilities[i] + "\t" + want)
          << "threshold " << threshold;
    }
  }
}

TEST_F(PredictTest, ThresholdIsRefusedForMoreClassesAndOutsideZeroToOne) {
  PredictOptions options;
  options.threshold = 0.5f;
  try {
    Predict(topics(), "ball\n", options);
    FAIL() << "expected an error";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::kInvalidInput);
    EXPECT_NE(std::string(error.what()).find("has 3 classes"), std::string::npos);
  }
  for (const float bad : {-0.1f, 1.5f}) {
    options.threshold = bad;
    EXPECT_THROW(Predict(binary(), "great\n", options), Error);
  }
  PredictOptions threads;
  threads.threads = 0;
  EXPECT_THROW(Predict(binary(), "great\n", threads), Error);
}

}  // namespace
}  // namespace sentiment
