// Tests for listing, splitting and reading a class-folder text dataset the
// way Keras's text_dataset_from_directory does (index_directory,
// iter_valid_files, get_training_or_validation_split).
#include "sentiment/dataset.h"

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <random>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "sentiment/error.h"

namespace sentiment {
namespace {

namespace fs = std::filesystem;

template <typename F>
void ExpectErrorKind(F&& f, ErrorKind kind, const std::string& what) {
  try {
    f();
    ADD_FAILURE() << "no exception: " << what;
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), kind) << what << ": " << e.what();
  }
}

// A fresh, uniquely named directory removed (recursively) on destruction.
class ScratchDir {
 public:
  ScratchDir() {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    const std::string test = info ? info->name() : "unknown";
    std::random_device rd;
    for (int attempt = 0; attempt < 100; ++attempt) {
      const fs::path candidate =
          fs::temp_directory_path() /
          ("sentiment_dataset_test_" + test + "_" + std::to_string(rd()) +
           "_" + std::to_string(attempt));
      if (fs::create_directory(candidate)) {
        path_ = candidate;
        return;
      }
    }
    throw std::runtime_error("could not create a scratch directory");
  }
  ~ScratchDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;

  const fs::path& path() const { return path_; }

  // Writes `bytes` to `relative` (creating parent folders) in binary mode.
  fs::path Write(const std::string& relative, const std::string& bytes) const {
    const fs::path p = path_ / relative;
    fs::create_directories(p.parent_path());
    std::ofstream out(p, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    EXPECT_TRUE(out.good()) << p;
    return p;
  }

  void MakeDir(const std::string& relative) const {
    fs::create_directories(path_ / relative);
  }

 private:
  fs::path path_;
};

// The listed paths relative to `root`, with '/' separators.
std::vector<std::string> RelativePaths(const std::vector<LabeledFile>& files,
                                       const fs::path& root) {
  std::vector<std::string> out;
  for (const auto& f : files) {
    out.push_back(fs::relative(f.path, root).generic_string());
  }
  return out;
}

std::vector<int> Labels(const std::vector<LabeledFile>& files) {
  std::vector<int> out;
  for (const auto& f : files) out.push_back(f.label);
  return out;
}

// Ten files "f0".."f9" with label i % 2, in index order.
std::vector<LabeledFile> TenFiles() {
  std::vector<LabeledFile> files;
  for (int i = 0; i < 10; ++i) {
    files.push_back({fs::path("f" + std::to_string(i)), i % 2});
  }
  return files;
}

std::vector<std::string> Names(const std::vector<LabeledFile>& files) {
  std::vector<std::string> out;
  for (const auto& f : files) out.push_back(f.path.string());
  return out;
}

using Strings = std::vector<std::string>;

// ---------------------------------------------------------------------------
// ListLabeledFiles

TEST(DatasetTest, InfersClassesFromNonHiddenSubdirectoriesSortedByBytes) {
  ScratchDir dir;
  dir.Write("pos/c.txt", "p");
  dir.Write("neg/b.txt", "n");
  dir.Write("Neutral/a.txt", "u");         // 'N' (0x4E) sorts before 'n'
  dir.Write(".cache/hidden.txt", "h");     // hidden folder: not a class
  dir.Write("top_level.txt", "t");         // not inside a class folder
  const FileListing listing = ListLabeledFiles(dir.path());
  EXPECT_EQ(listing.class_names, (Strings{"Neutral", "neg", "pos"}));
  EXPECT_EQ(RelativePaths(listing.files, dir.path()),
            (Strings{"Neutral/a.txt", "neg/b.txt", "pos/c.txt"}));
  EXPECT_EQ(Labels(listing.files), (std::vector<int>{0, 1, 2}));
}

TEST(DatasetTest, LabelsFilesByClassIndexInClassOrder) {
  ScratchDir dir;
  dir.Write("pos/1.txt", "");
  dir.Write("pos/2.txt", "");
  dir.Write("neg/1.txt", "");
  dir.Write("neg/2.txt", "");
  dir.Write("neg/3.txt", "");
  const FileListing listing = ListLabeledFiles(dir.path());
  EXPECT_EQ(listing.class_names, (Strings{"neg", "pos"}));
  EXPECT_EQ(RelativePaths(listing.files, dir.path()),
            (Strings{"neg/1.txt", "neg/2.txt", "neg/3.txt", "pos/1.txt",
                     "pos/2.txt"}));
  EXPECT_EQ(Labels(listing.files), (std::vector<int>{0, 0, 0, 1, 1}));
}

TEST(DatasetTest, OrdersFilesByRootPathStringThenFileName) {
  // Roots sort as strings: "c" < "c/a" < "c/a-b" < "c/a/deep" < "c/a0" <
  // "c/b" ('-' 0x2D < '/' 0x2F < '0' 0x30), unlike component-wise path order.
  // Names sort by bytes: "B.txt" < "a.txt" < "z.txt".
  ScratchDir dir;
  dir.Write("c/z.txt", "");
  dir.Write("c/a.txt", "");
  dir.Write("c/B.txt", "");
  dir.Write("c/b/v.txt", "");
  dir.Write("c/a0/u.txt", "");
  dir.Write("c/a/deep/w.txt", "");
  dir.Write("c/a-b/y.txt", "");
  dir.Write("c/a/x2.txt", "");
  dir.Write("c/a/x10.txt", "");
  const FileListing listing = ListLabeledFiles(dir.path());
  EXPECT_EQ(listing.class_names, (Strings{"c"}));
  EXPECT_EQ(RelativePaths(listing.files, dir.path()),
            (Strings{"c/B.txt", "c/a.txt", "c/z.txt", "c/a/x10.txt",
                     "c/a/x2.txt", "c/a-b/y.txt", "c/a/deep/w.txt",
                     "c/a0/u.txt", "c/b/v.txt"}));
  EXPECT_EQ(Labels(listing.files), (std::vector<int>(9, 0)));
}

TEST(DatasetTest, KeepsOnlyNamesEndingInTxtInAnyCase) {
  ScratchDir dir;
  dir.Write("k/a.txt", "");
  dir.Write("k/b.TXT", "");
  dir.Write("k/c.Txt", "");
  dir.Write("k/d.txt.bak", "");
  dir.Write("k/e.md", "");
  dir.Write("k/ftxt", "");
  dir.Write("k/g.text", "");
  dir.Write("k/h.tXt", "");
  dir.Write("k/i.txtx", "");
  dir.Write("k/folder.txt/inner.txt", "");  // a folder is not a file
  const FileListing listing = ListLabeledFiles(dir.path());
  EXPECT_EQ(RelativePaths(listing.files, dir.path()),
            (Strings{"k/a.txt", "k/b.TXT", "k/c.Txt", "k/h.tXt",
                     "k/folder.txt/inner.txt"}));
}

TEST(DatasetTest, IncludesHiddenTxtFilesAndFoldersInsideClassFolders) {
  // Only top-level class folders are filtered for a leading dot; the walk
  // inside a class lists everything (tf.io.gfile.walk).
  ScratchDir dir;
  dir.Write("k/a.txt", "");
  dir.Write("k/.hidden.txt", "");
  dir.Write("k/.sub/b.txt", "");
  const FileListing listing = ListLabeledFiles(dir.path());
  EXPECT_EQ(RelativePaths(listing.files, dir.path()),
            (Strings{"k/.hidden.txt", "k/a.txt", "k/.sub/b.txt"}));
}

TEST(DatasetTest, EmptyClassFolderStillCountsAsAClass) {
  ScratchDir dir;
  dir.MakeDir("a");
  dir.Write("b/x.txt", "");
  dir.Write("c/notes.md", "");
  const FileListing listing = ListLabeledFiles(dir.path());
  EXPECT_EQ(listing.class_names, (Strings{"a", "b", "c"}));
  EXPECT_EQ(RelativePaths(listing.files, dir.path()), (Strings{"b/x.txt"}));
  EXPECT_EQ(Labels(listing.files), (std::vector<int>{1}));
}

TEST(DatasetTest, RejectsMissingDirectory) {
  ScratchDir dir;
  ExpectErrorKind([&] { ListLabeledFiles(dir.path() / "does_not_exist"); },
                  ErrorKind::kInvalidInput, "missing directory");
}

TEST(DatasetTest, RejectsPathThatIsARegularFile) {
  ScratchDir dir;
  const fs::path file = dir.Write("plain.txt", "x");
  ExpectErrorKind([&] { ListLabeledFiles(file); }, ErrorKind::kInvalidInput,
                  "regular file");
}

TEST(DatasetTest, RejectsDirectoryWithoutClassFolders) {
  ScratchDir empty;
  ExpectErrorKind([&] { ListLabeledFiles(empty.path()); },
                  ErrorKind::kInvalidInput, "empty directory");

  ScratchDir only_files;
  only_files.Write("a.txt", "a");
  only_files.Write("b.txt", "b");
  ExpectErrorKind([&] { ListLabeledFiles(only_files.path()); },
                  ErrorKind::kInvalidInput, "only files");

  ScratchDir only_hidden;
  only_hidden.Write(".git/x.txt", "x");
  ExpectErrorKind([&] { ListLabeledFiles(only_hidden.path()); },
                  ErrorKind::kInvalidInput, "only hidden folders");
}

// ---------------------------------------------------------------------------
// SplitForValidation

TEST(DatasetTest, SplitsTwentyPercentWithNumpySeed42Permutation) {
  // RandomState(42) permutation of 10: 8 1 5 0 7 2 9 4 3 6.
  const ValidationSplit split = SplitForValidation(TenFiles(), 0.2, 42);
  EXPECT_EQ(Names(split.training),
            (Strings{"f8", "f1", "f5", "f0", "f7", "f2", "f9", "f4"}));
  EXPECT_EQ(Labels(split.training),
            (std::vector<int>{0, 1, 1, 0, 1, 0, 1, 0}));
  EXPECT_EQ(Names(split.validation), (Strings{"f3", "f6"}));
  EXPECT_EQ(Labels(split.validation), (std::vector<int>{1, 0}));
}

TEST(DatasetTest, SplitsWithNumpySeed0PermutationAndTruncatesCount) {
  // RandomState(0) permutation of 10: 2 8 4 9 1 6 7 3 0 5.
  // int(0.25 * 10) = 2 validation files.
  const ValidationSplit split = SplitForValidation(TenFiles(), 0.25, 0);
  EXPECT_EQ(Names(split.training),
            (Strings{"f2", "f8", "f4", "f9", "f1", "f6", "f7", "f3"}));
  EXPECT_EQ(Names(split.validation), (Strings{"f0", "f5"}));
  EXPECT_EQ(Labels(split.validation), (std::vector<int>{0, 1}));
}

TEST(DatasetTest, SplitsHalfAndHalf) {
  const ValidationSplit split = SplitForValidation(TenFiles(), 0.5, 42);
  EXPECT_EQ(Names(split.training), (Strings{"f8", "f1", "f5", "f0", "f7"}));
  EXPECT_EQ(Names(split.validation), (Strings{"f2", "f9", "f4", "f3", "f6"}));
}

TEST(DatasetTest, ValidationCountRoundsDown) {
  // n = 7, int(0.2 * 7) = int(1.4) = 1. RandomState(42) permutation of 7:
  // 0 1 5 2 4 3 6.
  std::vector<LabeledFile> files;
  for (int i = 0; i < 7; ++i) {
    files.push_back({fs::path("f" + std::to_string(i)), 0});
  }
  const ValidationSplit split = SplitForValidation(files, 0.2, 42);
  EXPECT_EQ(Names(split.training),
            (Strings{"f0", "f1", "f5", "f2", "f4", "f3"}));
  EXPECT_EQ(Names(split.validation), (Strings{"f6"}));
}

TEST(DatasetTest, ZeroFractionKeepsEveryFileForTraining) {
  const ValidationSplit split = SplitForValidation(TenFiles(), 0.0, 42);
  EXPECT_TRUE(split.validation.empty());
  ASSERT_EQ(split.training.size(), 10u);
  const Strings names = Names(split.training);
  EXPECT_EQ(std::set<std::string>(names.begin(), names.end()),
            (std::set<std::string>{"f0", "f1", "f2", "f3", "f4", "f5", "f6",
                                   "f7", "f8", "f9"}));
  for (const auto& f : split.training) {
    EXPECT_EQ(f.label, std::stoi(f.path.string().substr(1)) % 2) << f.path;
  }
}

TEST(DatasetTest, SplitOfNoFilesIsEmpty) {
  const ValidationSplit split = SplitForValidation({}, 0.2, 42);
  EXPECT_TRUE(split.training.empty());
  EXPECT_TRUE(split.validation.empty());
}

// ---------------------------------------------------------------------------
// ReadFiles

TEST(DatasetTest, ReadsRawBytesIncludingNulAndInvalidUtf8) {
  ScratchDir dir;
  const std::string raw("a\0b\xff\xfe\r\n\xC3", 8);
  const fs::path p0 = dir.Write("x/raw.txt", raw);
  const fs::path p1 = dir.Write("x/empty.txt", "");
  const fs::path p2 = dir.Write("x/text.txt", "Great<br />movie!\n");
  const Dataset data = ReadFiles({{p0, 1}, {p1, 0}, {p2, 2}});
  ASSERT_EQ(data.texts.size(), 3u);
  EXPECT_EQ(data.texts[0], raw);
  EXPECT_EQ(data.texts[0].size(), 8u);
  EXPECT_EQ(data.texts[1], "");
  EXPECT_EQ(data.texts[2], "Great<br />movie!\n");
  EXPECT_EQ(data.labels, (std::vector<int32_t>{1, 0, 2}));
}

TEST(DatasetTest, ReadFilesTellsHowManyFilesAreReadEndingWithAll) {
  ScratchDir dir;
  std::vector<LabeledFile> files;
  for (int i = 0; i < 150; ++i) {
    files.push_back({dir.Write("x/" + std::to_string(i) + ".txt", "t"), 0});
  }
  for (const int threads : {1, 3}) {
    std::vector<int64_t> told;
    const Dataset data = ReadFiles(
        files, [&](int64_t done) { told.push_back(done); }, threads);
    ASSERT_FALSE(told.empty()) << threads << " threads";
    EXPECT_TRUE(std::is_sorted(told.begin(), told.end())) << threads;
    EXPECT_GT(told.front(), 0) << threads;
    EXPECT_EQ(told.back(), 150) << threads;
    EXPECT_EQ(data.texts.size(), 150u) << threads;
  }
}

TEST(DatasetTest, ReadFilesOnSeveralThreadsKeepsEachTextAtItsPosition) {
  ScratchDir dir;
  std::vector<LabeledFile> files;
  for (int i = 0; i < 23; ++i) {
    files.push_back({dir.Write("x/" + std::to_string(i) + ".txt",
                               "text " + std::to_string(i)),
                     i % 3});
  }
  for (const int threads : {1, 2, 4, 8}) {
    const Dataset data = ReadFiles(files, {}, threads);
    ASSERT_EQ(data.texts.size(), files.size()) << threads << " threads";
    for (size_t i = 0; i < files.size(); ++i) {
      EXPECT_EQ(data.texts[i], "text " + std::to_string(i)) << threads;
      EXPECT_EQ(data.labels[i], static_cast<int32_t>(i % 3)) << threads;
    }
  }
}

TEST(DatasetTest, ReadFilesNamesTheFirstUnreadableFileByPositionOnAnyThreads) {
  ScratchDir dir;
  std::vector<LabeledFile> files;
  for (int i = 0; i < 12; ++i) {
    const std::string name = "x/" + std::to_string(i) + ".txt";
    // Files 4 and 10 are missing: 10 is in a later thread's range, and that
    // thread may well fail first.
    if (i == 4 || i == 10) {
      files.push_back({dir.path() / name, 0});
    } else {
      files.push_back({dir.Write(name, "t"), 0});
    }
  }
  for (const int threads : {1, 2, 3, 4}) {
    try {
      ReadFiles(files, {}, threads);
      ADD_FAILURE() << "no error on " << threads << " threads";
    } catch (const Error& e) {
      EXPECT_EQ(e.kind(), ErrorKind::kIo) << e.what();
      EXPECT_NE(std::string(e.what()).find("/x/4.txt"), std::string::npos)
          << threads << " threads: " << e.what();
    }
  }
}

TEST(DatasetTest, ReadsLargeFilesAndFilesLongerThanTheirStatedSizeWhole) {
  ScratchDir dir;
  std::string large(300'000, 'a');
  for (size_t i = 0; i < large.size(); i += 7) large[i] = static_cast<char>('0' + i % 10);
  const fs::path path = dir.Write("x/large.txt", large);
  EXPECT_EQ(ReadFileBytes(path), large);
  // Files under /proc state a size of 0 and hold more: read to their end.
  const std::string status = ReadFileBytes("/proc/self/status");
  EXPECT_NE(status.find("Name:"), std::string::npos);
  EXPECT_NE(status.find("VmRSS:"), std::string::npos) << status;
}

TEST(DatasetTest, ReadFilesOfNothingIsEmpty) {
  const Dataset data = ReadFiles({});
  EXPECT_TRUE(data.texts.empty());
  EXPECT_TRUE(data.labels.empty());
}

TEST(DatasetTest, ReadFilesReportsUnreadableFileAsIoError) {
  ScratchDir dir;
  const fs::path ok = dir.Write("ok.txt", "fine");
  ExpectErrorKind(
      [&] { ReadFiles({{ok, 0}, {dir.path() / "missing.txt", 1}}); },
      ErrorKind::kIo, "missing file");
}

TEST(DatasetTest, ListSplitAndReadReproduceKerasTrainingAndValidationSets) {
  // Listing order: neg/n0..n4 (indices 0-4, label 0), pos/p0..p4 (5-9,
  // label 1). Seed 42, 20%: training indices 8 1 5 0 7 2 9 4, validation 3 6.
  ScratchDir dir;
  for (int i = 0; i < 5; ++i) {
    dir.Write("neg/n" + std::to_string(i) + ".txt", "n" + std::to_string(i));
    dir.Write("pos/p" + std::to_string(i) + ".txt", "p" + std::to_string(i));
  }
  const FileListing listing = ListLabeledFiles(dir.path());
  ASSERT_EQ(listing.files.size(), 10u);
  const ValidationSplit split = SplitForValidation(listing.files, 0.2, 42);
  const Dataset training = ReadFiles(split.training);
  const Dataset validation = ReadFiles(split.validation);
  EXPECT_EQ(training.texts,
            (Strings{"p3", "n1", "p0", "n0", "p2", "n2", "p4", "n4"}));
  EXPECT_EQ(training.labels,
            (std::vector<int32_t>{1, 0, 1, 0, 1, 0, 1, 0}));
  EXPECT_EQ(validation.texts, (Strings{"n3", "p1"}));
  EXPECT_EQ(validation.labels, (std::vector<int32_t>{0, 1}));
}

}  // namespace
}  // namespace sentiment
