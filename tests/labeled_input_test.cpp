// Tests for reading labelled data as a folder of class folders or as a data
// file into one list of examples: same classes, same order, same split,
// same texts; the name rules for folders; and the two training warnings.
#include "sentiment/labeled_input.h"

#include <filesystem>
#include <fstream>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "sentiment/error.h"

namespace sentiment {
namespace {

namespace fs = std::filesystem;

class LabeledInputTest : public ::testing::Test {
protected:
  LabeledInputTest() {
    std::random_device rd;
    folder_ = fs::temp_directory_path() /
              ("sentiment_labeled_input_test_" + std::to_string(rd()));
    fs::create_directories(folder_);
  }
  ~LabeledInputTest() override {
    std::error_code ec;
    fs::remove_all(folder_, ec);
  }

  fs::path Write(const std::string &relative, const std::string &bytes) {
    const fs::path p = folder_ / relative;
    fs::create_directories(p.parent_path());
    std::ofstream out(p, std::ios::binary);
    out << bytes;
    return p;
  }

  std::string ErrorOf(const fs::path &path, const InputOptions &options = {}) {
    try {
      ReadLabeledInput(path, options);
    } catch (const Error &error) {
      EXPECT_EQ(error.kind(), ErrorKind::kInvalidInput) << error.what();
      return error.what();
    }
    ADD_FAILURE() << "no error for " << path;
    return "";
  }

  fs::path folder_;
};

// Ten texts in three classes, as class folders and as each data file form,
// rows in the folders' listing order.
TEST_F(LabeledInputTest, FolderAndDataFilesGiveTheSameExamplesAndSplit) {
  const std::vector<std::pair<std::string, std::string>> texts = {
      {"b", "bee one"}, {"b", "bee two"}, {"b", "bee three"},
      {"c", "sea one"}, {"c", "sea two"}, {"c", "sea, \"three\""},
      {"a", "ay one"},  {"a", "ay two"},  {"a", "ay three"},
      {"a", "ay four"}};
  // The folders list class a first, then b, then c; each class's files by name.
  std::vector<std::pair<std::string, std::string>> listed;
  for (const char *label : {"a", "b", "c"}) {
    int k = 0;
    for (const auto &[l, text] : texts) {
      if (l != label)
        continue;
      Write("folders/" + l + "/" + std::to_string(k++) + ".txt", text);
      listed.push_back({l, text});
    }
  }
  std::string csv = "label,text\n", jsonl, ft;
  for (const auto &[label, text] : listed) {
    std::string quoted;
    for (const char c : text)
      quoted += c == '"' ? "\"\"" : std::string(1, c);
    csv += label + ",\"" + quoted + "\"\r\n";
    std::string escaped;
    for (const char c : text)
      escaped += c == '"' ? "\\\"" : std::string(1, c);
    jsonl += "{\"text\": \"" + escaped + "\", \"label\": \"" + label + "\"}\n";
    ft += "__label__" + label + " " + text + "\n";
  }
  const LabeledInput folders = ReadLabeledInput(folder_ / "folders", {});
  EXPECT_FALSE(folders.is_data_file);
  const SplitPositions split = SplitPositionsForValidation(10, 0.3, 42);
  for (const fs::path &file :
       {Write("d.csv", csv), Write("d.jsonl", jsonl), Write("d.ft", ft)}) {
    SCOPED_TRACE(file.string());
    LabeledInput rows = ReadLabeledInput(file, {});
    EXPECT_TRUE(rows.is_data_file);
    EXPECT_EQ(rows.class_names, folders.class_names);
    EXPECT_EQ(rows.text_bytes, fs::file_size(file));
    ASSERT_EQ(rows.examples.size(), folders.examples.size());
    LabeledInput folder_copy = folders;
    for (const auto *positions : {&split.training, &split.validation}) {
      const Dataset a = TakeExamples(folder_copy, *positions);
      const Dataset b = TakeExamples(rows, *positions);
      EXPECT_EQ(a.texts, b.texts);
      EXPECT_EQ(a.labels, b.labels);
    }
  }
}

TEST_F(LabeledInputTest, SplitByPositionIsTheSplitOfFiles) {
  std::vector<LabeledFile> files;
  for (int i = 0; i < 37; ++i)
    files.push_back({std::to_string(i), i % 3});
  const ValidationSplit by_files = SplitForValidation(files, 0.2, 7);
  const SplitPositions by_positions = SplitPositionsForValidation(37, 0.2, 7);
  ASSERT_EQ(by_files.training.size(), by_positions.training.size());
  ASSERT_EQ(by_files.validation.size(), by_positions.validation.size());
  for (size_t k = 0; k < by_positions.training.size(); ++k) {
    EXPECT_EQ(by_files.training[k].path, files[by_positions.training[k]].path);
  }
  for (size_t k = 0; k < by_positions.validation.size(); ++k) {
    EXPECT_EQ(by_files.validation[k].path,
              files[by_positions.validation[k]].path);
  }
}

TEST_F(LabeledInputTest, ClassNamesAreSortedDistinctLabels) {
  const LabeledInput input = ReadLabeledInput(
      Write("d.tsv", "text\tlabel\nx\tpos\ny\tneg\nz\t10\nw\t2\nv\tneg\n"), {});
  EXPECT_EQ(input.class_names,
            (std::vector<std::string>{"10", "2", "neg", "pos"}));
  ASSERT_EQ(input.examples.size(), 5u);
  EXPECT_EQ(input.examples[0].label, 3);
  EXPECT_EQ(input.examples[1].label, 2);
  EXPECT_EQ(input.examples[2].label, 0);
  EXPECT_EQ(input.examples[3].label, 1);
}

TEST_F(LabeledInputTest, InputFormatFlagOverridesTheExtension) {
  InputOptions options;
  options.format = InputFormat::kFastText;
  const LabeledInput input = ReadLabeledInput(
      Write("d.txt", "__label__a one\n__label__b two\n"), options);
  EXPECT_EQ(input.class_names, (std::vector<std::string>{"a", "b"}));
}

TEST_F(LabeledInputTest, Errors) {
  EXPECT_EQ(ErrorOf(folder_ / "missing.csv"),
            (folder_ / "missing.csv").string() + ": no such file");
  EXPECT_EQ(ErrorOf(folder_ / "missing"),
            (folder_ / "missing").string() + ": no such directory");
  const fs::path txt = Write("d.txt", "x");
  EXPECT_EQ(ErrorOf(txt),
            txt.string() +
                ": not a directory, nor a data file by its extension (.csv, "
                ".tsv, .jsonl, .ndjson, .ft, .fasttext); pass --input-format "
                "to read it as one");
  const fs::path one = Write("one.csv", "text,label\na,pos\nb,pos\n");
  EXPECT_EQ(ErrorOf(one), one.string() +
                              ": found 1 class (pos) among the labels; a "
                              "classifier needs at least 2");
  const fs::path header = Write("header.csv", "text,label\n");
  EXPECT_EQ(ErrorOf(header), header.string() + ": no rows after the header");
  const fs::path bad =
      Write("bad.jsonl", "{\"text\": \"a\", \"label\": \"x\"}\n{");
  EXPECT_EQ(ErrorOf(bad).substr(0, bad.string().size() + 20),
            bad.string() + ":2: not valid JSON: ");

  Write("folders/pos/a.txt", "good");
  Write("folders/neg/a.txt", "bad");
  InputOptions options;
  options.format = InputFormat::kCsv;
  EXPECT_EQ(ErrorOf(folder_ / "folders", options),
            (folder_ / "folders").string() +
                ": --input-format is for a data file, and this is a folder of "
                "class folders");
  InputOptions column;
  column.text_column = "review";
  EXPECT_EQ(ErrorOf(folder_ / "folders", column),
            (folder_ / "folders").string() +
                ": --text-column is for a data file, and this is a folder of "
                "class folders");
  const fs::path ft = Write("d.ft", "__label__a x\n__label__b y\n");
  EXPECT_EQ(ErrorOf(ft, column),
            ft.string() +
                ": --text-column and --label-column are for csv, tsv and "
                "jsonl; fastText lines have no columns");
}

TEST_F(LabeledInputTest, FolderNamesFollowTheClassNameRules) {
  Write("folders/pos/a.txt", "good");
  Write("folders/n\teg/a.txt", "bad");
  EXPECT_EQ(ErrorOf(folder_ / "folders"),
            (folder_ / "folders").string() +
                ": class folder 'n\\teg' holds a control character (U+0009); "
                "class names must be printable, without tabs or line breaks; "
                "rename the folder");
  fs::remove_all(folder_ / "folders" / "n\teg");
  Write("folders/n\xffg/a.txt", "bad");
  EXPECT_EQ(ErrorOf(folder_ / "folders"),
            (folder_ / "folders").string() +
                ": class folder 'n\\xFFg' is not valid UTF-8 (byte 0xFF at "
                "offset 1); rename the folder");
}

TEST_F(LabeledInputTest, WarnsAboutClassFoldersNamedLikeASplit) {
  Write("data/train/pos/a.txt", "good");
  Write("data/train/neg/a.txt", "bad");
  Write("data/Test/neg/a.txt", "bad");
  Write("data/other/a.txt", "x");
  const LabeledInput input = ReadLabeledInput(folder_ / "data", {});
  EXPECT_EQ(SplitNamedClassesWarning(folder_ / "data", input),
            "warning: " + (folder_ / "data").string() +
                ": class folders named like a split (Test, train); each "
                "subfolder is a class, so these are trained as classes; did "
                "you mean " +
                (folder_ / "data" / "train").string() + "?");
  const LabeledInput fine = ReadLabeledInput(folder_ / "data" / "train", {});
  EXPECT_EQ(SplitNamedClassesWarning(folder_ / "data" / "train", fine),
            std::nullopt);
  const LabeledInput rows =
      ReadLabeledInput(Write("d.csv", "text,label\na,train\nb,test\n"), {});
  EXPECT_EQ(SplitNamedClassesWarning(folder_ / "d.csv", rows), std::nullopt);
}

TEST_F(LabeledInputTest, WarnsWhenValidationAccuracyIsTheMajorityShare) {
  const std::vector<std::string> names = {"neg", "pos"};
  const std::vector<int32_t> labels = {1, 1, 1, 0};
  EXPECT_EQ(MajorityClassWarning(0.75, labels, names, "files"),
            "warning: the final val_accuracy 0.7500 is no better than always "
            "predicting the majority class pos (0.7500 of the validation "
            "files); try more --epochs, a larger --learning-rate, "
            "--class-weight balanced, or more data");
  EXPECT_TRUE(MajorityClassWarning(0.5, labels, names, "rows"));
  EXPECT_EQ(MajorityClassWarning(1.0, labels, names, "rows"), std::nullopt);
  EXPECT_EQ(MajorityClassWarning(0.0, {}, names, "rows"), std::nullopt);
}

} // namespace
} // namespace sentiment
