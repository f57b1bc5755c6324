// Output files under hostile conditions, in the library: a flush or write
// that fails, names at the file system's length limit, links to open
// descriptors, a signal while a temporary file exists. The end-to-end side
// (ulimit, signals against the executable, FIFO races) is in
// hostile_conditions_test.sh.
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <cerrno>
#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>
#include <string>
#include <vector>

#include "atomic_file_internal.h"
#include "output_path.h"
#include "sentiment/atomic_file.h"
#include "sentiment/error.h"
#include "sentiment/signal_cleanup.h"

namespace sentiment {
namespace {
namespace fs = std::filesystem;

struct Thrown {
  ErrorKind kind = ErrorKind::kInvalidInput;
  std::string message;
};

Thrown ErrorFrom(const std::function<void()>& f) {
  try {
    f();
  } catch (const Error& error) {
    return {error.kind(), error.what()};
  }
  ADD_FAILURE() << "no sentiment::Error thrown";
  return {};
}

std::string ReadAll(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

void WriteAll(const fs::path& path, const std::string& text) {
  std::ofstream(path, std::ios::binary) << text;
}

class OutputFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    folder_ = fs::path(::testing::TempDir()) /
              ("hostile_" + std::string(info->name()) + "_" +
               std::to_string(::getpid()));
    fs::remove_all(folder_);
    fs::create_directories(folder_);
  }
  void TearDown() override {
    FileSystemCallsForTesting() = FileSystemCalls{};
    std::error_code ignored;
    fs::remove_all(folder_, ignored);
  }

  std::vector<std::string> Entries() const {
    std::vector<std::string> names;
    for (const auto& entry : fs::directory_iterator(folder_)) {
      names.push_back(entry.path().filename().string());
    }
    std::sort(names.begin(), names.end());
    return names;
  }

  fs::path folder_;
  const std::vector<uint8_t> bytes_ = {'n', 'e', 'w'};
};

int fsync_calls = 0;

TEST_F(OutputFileTest, FailingFlushIsAnIoErrorAndLeavesNoTemporary) {
  // The flush must happen, and its failure must count: a writer that skips
  // fsync passes every other test.
  fsync_calls = 0;
  FileSystemCallsForTesting().fsync = [](int) {
    ++fsync_calls;
    errno = EIO;
    return -1;
  };
  WriteAll(folder_ / "model", "old");
  const Thrown thrown =
      ErrorFrom([&] { WriteFileAtomically(folder_ / "model", bytes_); });
  EXPECT_EQ(fsync_calls, 1);
  EXPECT_EQ(thrown.kind, ErrorKind::kIo);
  EXPECT_EQ(thrown.message, (folder_ / "model").string() +
                                ": flush to disk failed: Input/output error");
  EXPECT_EQ(ReadAll(folder_ / "model"), "old");
  EXPECT_EQ(Entries(), std::vector<std::string>{"model"});
}

TEST_F(OutputFileTest, FailingWriteIsAnIoErrorAndLeavesNoTemporary) {
  // One byte goes through, then the file-size limit (SIGXFSZ ignored).
  FileSystemCallsForTesting().write = [](int fd, const void* data,
                                         size_t size) -> ssize_t {
    static bool first = true;
    if (first) {
      first = false;
      return ::write(fd, data, std::min<size_t>(size, 1));
    }
    errno = EFBIG;
    return -1;
  };
  const Thrown thrown =
      ErrorFrom([&] { WriteFileAtomically(folder_ / "model", bytes_); });
  EXPECT_EQ(thrown.kind, ErrorKind::kIo);
  EXPECT_EQ(thrown.message,
            (folder_ / "model").string() + ": write failed: File too large");
  EXPECT_TRUE(Entries().empty());
}

TEST_F(OutputFileTest, NamesUpToTheFileSystemLimitCanBeWritten) {
  // The temporary name adds 12 bytes; it must still fit.
  for (size_t length : {243u, 244u, 250u, 255u}) {
    const std::string name(length, 'm');
    WriteFileAtomically(folder_ / name, bytes_);
    EXPECT_EQ(ReadAll(folder_ / name), "new") << length;
    CheckOutputPath(folder_ / name);
    fs::remove(folder_ / name);
  }
  EXPECT_TRUE(Entries().empty());
}

TEST_F(OutputFileTest, NameOverTheLimitIsRefusedBeforeWriting) {
  const fs::path path = folder_ / std::string(256, 'm');
  const std::string expected = path.string() + ": cannot create: File name too long";
  EXPECT_EQ(ErrorFrom([&] { CheckOutputPath(path); }).message, expected);
  EXPECT_EQ(ErrorFrom([&] { WriteFileAtomically(path, bytes_); }).message,
            expected);
  EXPECT_TRUE(Entries().empty());
}

TEST_F(OutputFileTest, CheckFindsAMissingFolderADirectoryAndAFileAsFolder) {
  EXPECT_EQ(ErrorFrom([&] { CheckOutputPath(folder_ / "no" / "model"); }).message,
            (folder_ / "no" / "model").string() + ": cannot create a file in " +
                (folder_ / "no").string() + ": No such file or directory");
  fs::create_directory(folder_ / "dir");
  EXPECT_EQ(ErrorFrom([&] { CheckOutputPath(folder_ / "dir"); }).message,
            (folder_ / "dir").string() +
                ": exists and is a directory; refusing to replace it");
  WriteAll(folder_ / "file", "keep");
  EXPECT_EQ(ErrorFrom([&] { CheckOutputPath(folder_ / "file" / "m"); }).message,
            (folder_ / "file" / "m").string() + ": cannot create a file in " +
                (folder_ / "file").string() + ": Not a directory");
  CheckOutputPath(folder_ / "model");
  CheckOutputPath(folder_ / "file");
  EXPECT_EQ(ReadAll(folder_ / "file"), "keep");
  EXPECT_EQ(Entries(), (std::vector<std::string>{"dir", "file"}));
}

TEST_F(OutputFileTest, DescriptorLinkIsWrittenStraightAndKept) {
  // As -o /dev/stdout with standard output redirected to a file: the bytes
  // join the open file, the link stays a link.
  const fs::path redirected = folder_ / "redirected";
  const int fd = ::open(redirected.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  ASSERT_GE(fd, 0);
  const fs::path link = folder_ / "mystdout";
  fs::create_symlink("/proc/self/fd/" + std::to_string(fd), link);
  const OutputTarget target = ResolveOutputPath(link);
  EXPECT_EQ(target.kind, OutputTarget::Kind::kStream);
  CheckOutputPath(link);
  WriteOutputFile(link, bytes_);
  // WriteFileAtomically, which only replaces, refuses it.
  EXPECT_EQ(ErrorFrom([&] { WriteFileAtomically(link, bytes_); }).message,
            link.string() + ": exists and is a link to an open file descriptor; "
                            "refusing to replace it");
  ::close(fd);
  EXPECT_TRUE(fs::is_symlink(link));
  EXPECT_EQ(ReadAll(redirected), "new");
  EXPECT_EQ(Entries(), (std::vector<std::string>{"mystdout", "redirected"}));
}

TEST_F(OutputFileTest, DashIsStandardOutput) {
  const fs::path captured = folder_ / "stdout";
  const int fd = ::open(captured.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  ASSERT_GE(fd, 0);
  const int saved = ::dup(STDOUT_FILENO);
  ::dup2(fd, STDOUT_FILENO);
  WriteOutputFile("-", bytes_);
  ::dup2(saved, STDOUT_FILENO);
  ::close(saved);
  ::close(fd);
  EXPECT_EQ(ReadAll(captured), "new");
  EXPECT_EQ(Entries(), std::vector<std::string>{"stdout"});
}

TEST_F(OutputFileTest, LinkToADeviceIsWrittenStraight) {
  fs::create_symlink("/dev/null", folder_ / "null_link");
  WriteOutputFile(folder_ / "null_link", bytes_);
  EXPECT_TRUE(fs::is_symlink(folder_ / "null_link"));
  EXPECT_EQ(Entries(), std::vector<std::string>{"null_link"});
}

TEST_F(OutputFileTest, SignalRemovesARegisteredTemporaryFile) {
  const fs::path temporary = folder_ / ".model.tmp-abcdef";
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    InstallSignalCleanup();
    WriteAll(temporary, "partial");
    TemporaryFileRegistration registration(temporary.c_str());
    ::raise(SIGTERM);
    ::_exit(0);  // not reached: SIGTERM ends the process
  }
  int status = 0;
  ASSERT_EQ(::waitpid(child, &status, 0), child);
  EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGTERM) << status;
  EXPECT_TRUE(Entries().empty());
}

}  // namespace
}  // namespace sentiment
