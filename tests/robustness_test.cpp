// Bad input of every kind, case by case: damaged or crafted model files,
// output paths that must not be written, training directories and flag
// values that must be refused, odd predict input, diverging training. Each
// test asserts the error kind (so the exit code) and the message. The cases
// that need another user or a mount (unreadable files, an unwritable folder,
// a full disk, a closed pipe) are end to end in robustness_cli_test.sh.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <limits>
#include <nlohmann/json.hpp>
#include <sstream>
#include <streambuf>
#include <string>
#include <thread>
#include <vector>

#include "file_reading.h"
#include "sentiment/atomic_file.h"
#include "sentiment/commands.h"
#include "sentiment/dataset.h"
#include "sentiment/error.h"
#include "sentiment/model_file.h"

namespace sentiment {
namespace {

using json = nlohmann::json;
namespace fs = std::filesystem;

const fs::path kReviews = fs::path(SENTIMENT_TEST_DATA) / "reviews";

// The kind and message of the Error `f` throws; fails the test if it throws
// nothing or something else.
struct Thrown {
  ErrorKind kind = ErrorKind::kInvalidInput;
  std::string message = "(no error)";
};

Thrown ErrorFrom(const std::function<void()>& f) {
  try {
    f();
  } catch (const Error& error) {
    return {error.kind(), error.what()};
  }
  ADD_FAILURE() << "expected a sentiment::Error";
  return {};
}

bool StartsWith(const std::string& text, const std::string& prefix) {
  return text.compare(0, prefix.size(), prefix) == 0;
}

bool Contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

std::string ReadAll(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

void WriteAll(const fs::path& path, const std::string& bytes) {
  fs::create_directories(path.parent_path());
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  ASSERT_TRUE(out.good()) << path;
}

// A fresh folder per test, removed afterwards.
class ScratchTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    folder_ = fs::path(::testing::TempDir()) /
              ("robustness_" + std::string(info->test_suite_name()) + "_" +
               info->name() + "_" + std::to_string(::getpid()));
    fs::remove_all(folder_);
    fs::create_directories(folder_);
  }
  void TearDown() override {
    std::error_code ignored;
    fs::remove_all(folder_, ignored);
  }

  // Names of the entries in `folder`, to check no temporary file is left.
  static std::vector<std::string> Entries(const fs::path& folder) {
    std::vector<std::string> names;
    for (const auto& entry : fs::directory_iterator(folder)) {
      names.push_back(entry.path().filename().string());
    }
    std::sort(names.begin(), names.end());
    return names;
  }

  fs::path folder_;
};

// ---------------------------------------------------------------------------
// Model files: damage, truncation, crafted headers and payloads.

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

std::vector<uint8_t> SmallFile(bool bundle = false) {
  return EncodeModelFile(
      {SmallModel(), bundle ? std::optional(Activation::kSigmoid) : std::nullopt});
}

Thrown DecodeError(const std::vector<uint8_t>& bytes) {
  return ErrorFrom([&] { DecodeModelFile(bytes, "model.bin"); });
}

// The error after editing the CBOR payload of a small file and framing it
// again with a valid header and checksum.
Thrown ErrorAfterEdit(const std::function<void(json&)>& edit, bool bundle = false) {
  const std::vector<uint8_t> file = SmallFile(bundle);
  json root = json::from_cbor(file.begin() + kHeaderSize, file.end());
  edit(root);
  return DecodeError(FramePayload(json::to_cbor(root)));
}

std::vector<uint8_t> WithHeaderField(std::vector<uint8_t> file, size_t offset,
                                     uint64_t value, size_t width) {
  std::memcpy(file.data() + offset, &value, width);
  return file;
}

TEST(ModelFileDamageTest, Crc32MatchesTheZlibCheckValue) {
  const std::string check = "123456789";
  EXPECT_EQ(Crc32({reinterpret_cast<const uint8_t*>(check.data()), check.size()}),
            0xCBF43926u);
  EXPECT_EQ(Crc32({}), 0u);
}

TEST(ModelFileDamageTest, HeaderIsMagicVersionLengthChecksum) {
  const std::vector<uint8_t> file = SmallFile();
  ASSERT_GT(file.size(), kHeaderSize);
  EXPECT_EQ(std::string(file.begin(), file.begin() + 8), "\x89SNT\r\n\x1a\n");
  uint32_t version;
  uint64_t length;
  uint32_t crc;
  std::memcpy(&version, file.data() + 8, 4);
  std::memcpy(&length, file.data() + 12, 8);
  std::memcpy(&crc, file.data() + 20, 4);
  EXPECT_EQ(version, static_cast<uint32_t>(kFormatVersion));
  EXPECT_EQ(length, file.size() - kHeaderSize);
  EXPECT_EQ(crc, Crc32({file.data() + kHeaderSize, file.size() - kHeaderSize}));
  // The payload is one CBOR map that names its kind and version too.
  const json root = json::from_cbor(file.begin() + kHeaderSize, file.end());
  EXPECT_EQ(root["format"], "sentiment-model");
  EXPECT_EQ(root["version"], kFormatVersion);
}

TEST(ModelFileDamageTest, EmptyFileSaysSo) {
  const Thrown thrown = DecodeError({});
  EXPECT_EQ(thrown.kind, ErrorKind::kBadModelFile);
  EXPECT_EQ(thrown.message, "model.bin: empty file, not a sentiment model file");
}

TEST(ModelFileDamageTest, EveryTruncationGivesASpecificMessage) {
  const std::vector<uint8_t> file = SmallFile(/*bundle=*/true);
  for (size_t length = 1; length < file.size(); ++length) {
    const Thrown thrown =
        DecodeError(std::vector<uint8_t>(file.begin(), file.begin() + length));
    ASSERT_EQ(thrown.kind, ErrorKind::kBadModelFile);
    const std::string expected =
        length < kHeaderSize
            ? "model.bin: truncated: " + std::to_string(length) +
                  " bytes, less than the 24-byte header"
            : "model.bin: truncated: the header declares " +
                  std::to_string(file.size() - kHeaderSize) +
                  " payload bytes, the file holds " +
                  std::to_string(length - kHeaderSize);
    ASSERT_EQ(thrown.message, expected) << "length " << length;
  }
}

TEST(ModelFileDamageTest, EveryFlippedByteIsDetected) {
  const std::vector<uint8_t> file = SmallFile(/*bundle=*/true);
  for (size_t i = 0; i < file.size(); ++i) {
    for (const uint8_t mask : {0x01, 0x80, 0xFF}) {
      std::vector<uint8_t> damaged = file;
      damaged[i] ^= mask;
      const Thrown thrown = DecodeError(damaged);
      ASSERT_EQ(thrown.kind, ErrorKind::kBadModelFile);
      const std::string& m = thrown.message;
      const std::string where =
          "byte " + std::to_string(i) + " ^ " + std::to_string(mask) + ": " + m;
      if (i < 8) {
        ASSERT_TRUE(Contains(m, "not a sentiment model file")) << where;
      } else if (i < 12) {
        // A readable older version then disagrees with the payload's field.
        ASSERT_TRUE(Contains(m, "is newer than this build supports") ||
                    Contains(m, "unsupported format version") ||
                    Contains(m, "but the header says"))
            << where;
      } else if (i < 20) {
        ASSERT_TRUE(Contains(m, "truncated: the header declares") ||
                    Contains(m, "unexpected data after the") ||
                    Contains(m, "over the limit of"))
            << where;
      } else {
        ASSERT_TRUE(StartsWith(m, "model.bin: checksum mismatch (stored ")) << where;
        ASSERT_TRUE(m.ends_with("): the file is damaged")) << where;
      }
    }
  }
}

TEST(ModelFileDamageTest, ChecksumMismatchNamesBothValues) {
  std::vector<uint8_t> file = SmallFile();
  const uint32_t good = Crc32({file.data() + kHeaderSize, file.size() - kHeaderSize});
  file.back() ^= 0x10;
  const uint32_t bad = Crc32({file.data() + kHeaderSize, file.size() - kHeaderSize});
  char expected[128];
  std::snprintf(expected, sizeof expected,
                "model.bin: checksum mismatch (stored %08x, computed %08x): "
                "the file is damaged",
                good, bad);
  EXPECT_EQ(DecodeError(file).message, expected);
}

TEST(ModelFileDamageTest, TrailingDataIsRefused) {
  std::vector<uint8_t> file = SmallFile();
  const size_t payload = file.size() - kHeaderSize;
  file.push_back(0);
  EXPECT_EQ(DecodeError(file).message,
            "model.bin: unexpected data after the " + std::to_string(payload) +
                "-byte payload");
}

TEST(ModelFileDamageTest, AnUnrelatedFileIsNotAModel) {
  for (const std::string& text :
       {std::string("hello\n"), std::string("{\"format\": \"sentiment-model\"}"),
        std::string("\x89PNG\r\n\x1a\n" + std::string(40, '\0'))}) {
    const Thrown thrown = DecodeError({text.begin(), text.end()});
    EXPECT_EQ(thrown.kind, ErrorKind::kBadModelFile);
    EXPECT_EQ(thrown.message,
              "model.bin: not a sentiment model file (it does not start with "
              "the sentiment header)");
  }
}

TEST(ModelFileDamageTest, BareCborOfFormatVersionOneIsNotReadAnyMore) {
  const std::vector<uint8_t> file = SmallFile();
  json root = json::from_cbor(file.begin() + kHeaderSize, file.end());
  root["version"] = 1;
  EXPECT_TRUE(Contains(DecodeError(json::to_cbor(root)).message,
                       "not a sentiment model file"));
}

TEST(ModelFileDamageTest, NewerVersionInTheHeaderIsRejectedByName) {
  const auto file = WithHeaderField(SmallFile(), 8, kFormatVersion + 1, 4);
  EXPECT_EQ(DecodeError(file).message,
            "model.bin: format version " + std::to_string(kFormatVersion + 1) +
                " is newer than this build supports (" +
                std::to_string(kFormatVersion) + "); upgrade sentiment");
}

TEST(ModelFileDamageTest, OlderOrZeroVersionInTheHeaderIsUnsupported) {
  for (const uint32_t version : {0u, 1u}) {
    EXPECT_EQ(DecodeError(WithHeaderField(SmallFile(), 8, version, 4)).message,
              "model.bin: unsupported format version " + std::to_string(version) +
                  " (this build reads versions 2 to " +
                  std::to_string(kFormatVersion) + ")");
  }
}

TEST(ModelFileDamageTest, HugeDeclaredPayloadIsRefusedWithoutAllocating) {
  const auto huge = WithHeaderField(SmallFile(), 12, uint64_t{1} << 62, 8);
  EXPECT_EQ(DecodeError(huge).message,
            "model.bin: the header declares a payload of 4611686018427387904 "
            "bytes, over the limit of 17179869184");
  const auto large = WithHeaderField(SmallFile(), 12, kMaxPayloadSize, 8);
  EXPECT_TRUE(StartsWith(DecodeError(large).message,
                         "model.bin: truncated: the header declares 17179869184 "
                         "payload bytes, the file holds "));
}

TEST(ModelFileDamageTest, PayloadMustBeValidCbor) {
  EXPECT_TRUE(StartsWith(DecodeError(FramePayload({})).message,
                         "model.bin: payload is not valid CBOR ("));
  const std::vector<uint8_t> junk = {0xFF, 0x00, 0x13};
  EXPECT_TRUE(StartsWith(DecodeError(FramePayload(junk)).message,
                         "model.bin: payload is not valid CBOR ("));
  // A valid map followed by more bytes.
  const std::vector<uint8_t> two_values = {0xA0, 0xA0};
  EXPECT_TRUE(StartsWith(DecodeError(FramePayload(two_values)).message,
                         "model.bin: payload is not valid CBOR ("));
  const std::vector<uint8_t> number = {0x01};
  EXPECT_EQ(DecodeError(FramePayload(number)).message,
            "model.bin: payload is not a CBOR map");
}

TEST(ModelFileDamageTest, DeepNestingIsRefusedBeforeItExhaustsTheStack) {
  // One million nested one-element arrays, then 0: would recurse a million
  // levels deep in the CBOR reader.
  std::vector<uint8_t> arrays(1'000'000, 0x81);
  arrays.push_back(0x00);
  EXPECT_EQ(DecodeError(FramePayload(arrays)).message,
            "model.bin: payload nests more than 8 levels deep");
  // Nested maps {"a": {"a": ...}}.
  std::vector<uint8_t> maps;
  for (int i = 0; i < 200'000; ++i) maps.insert(maps.end(), {0xA1, 0x61, 'a'});
  maps.push_back(0xA0);
  EXPECT_EQ(DecodeError(FramePayload(maps)).message,
            "model.bin: payload nests more than 8 levels deep");
}

// Found by tools/fuzz.sh (model_file_fuzzer; mode byte 0x01, so the rest is
// a payload it frames with a valid header and checksum): a map value that is
// an indefinite-length text string whose chunks are themselves
// indefinite-length strings, 12,700 levels deep. nlohmann's CBOR reader
// recursed once per level and overflowed the stack (AddressSanitizer:
// stack-overflow in binary_reader::get_cbor_string).
TEST(ModelFileDamageTest, FuzzCrashNestedIndefiniteLengthStrings) {
  const std::string crash = ReadAll(fs::path(SENTIMENT_TEST_DATA) / "robustness" /
                                    "fuzz_crash_nested_indefinite_strings.bin");
  ASSERT_GT(crash.size(), 12'000u);
  ASSERT_EQ(crash[0], '\x01');
  const std::vector<uint8_t> payload(crash.begin() + 1, crash.end());
  const Thrown thrown = DecodeError(FramePayload(payload));
  EXPECT_EQ(thrown.kind, ErrorKind::kBadModelFile);
  EXPECT_EQ(thrown.message,
            "model.bin: payload is not valid CBOR (at byte 12: an "
            "indefinite-length item)");
}

TEST(ModelFileDamageTest, IndefiniteLengthsAndTagsAreRefusedWithoutRecursion) {
  // A megabyte of nested indefinite-length text and byte strings, arrays and
  // maps: none is read recursively.
  for (const uint8_t initial : {0x7F, 0x5F, 0x9F, 0xBF}) {
    const std::vector<uint8_t> nested(1'000'000, initial);
    EXPECT_EQ(DecodeError(FramePayload(nested)).message,
              "model.bin: payload is not valid CBOR (at byte 0: an "
              "indefinite-length item)");
  }
  const std::vector<uint8_t> tagged = {0xA1, 0x61, 'a', 0xC1, 0x00};
  EXPECT_EQ(DecodeError(FramePayload(tagged)).message,
            "model.bin: payload is not valid CBOR (at byte 3: a tagged item)");
  const std::vector<uint8_t> long_string = {0xA1, 0x7A, 0xFF, 0xFF, 0xFF, 0xFF, 'a'};
  EXPECT_EQ(DecodeError(FramePayload(long_string)).message,
            "model.bin: payload is not valid CBOR (at byte 1: a string longer "
            "than the payload)");
  const std::vector<uint8_t> huge_array = {0x9B, 0xFF, 0xFF, 0xFF, 0xFF,
                                           0xFF, 0xFF, 0xFF, 0xFF, 0x00};
  EXPECT_EQ(DecodeError(FramePayload(huge_array)).message,
            "model.bin: payload is not valid CBOR (at byte 0: more items than "
            "the payload holds)");
}

TEST(ModelFileDamageTest, PayloadVersionMustMatchTheHeader) {
  EXPECT_EQ(ErrorAfterEdit([](json& r) { r["version"] = 1; }).message,
            "model.bin: field 'version' is 1 but the header says " +
                std::to_string(kFormatVersion));
}

TEST(ModelFileDamageTest, WrongKindsAreNamed) {
  EXPECT_EQ(ErrorAfterEdit([](json& r) { r["activation"] = "sigmoid"; }).message,
            "model.bin: a trained model must not have an activation stage");
  EXPECT_EQ(ErrorAfterEdit([](json& r) { r.erase("activation"); }, true).message,
            "model.bin: missing field 'activation'");
  EXPECT_TRUE(Contains(
      ErrorAfterEdit([](json& r) { r["activation"] = "relu"; }, true).message,
      "relu"));
  EXPECT_EQ(ErrorAfterEdit([](json& r) { r["format"] = "sentiment-bundles"; }).message,
            "model.bin: unknown format 'sentiment-bundles' (expected "
            "'sentiment-model' or 'sentiment-bundle')");
  EXPECT_EQ(ErrorAfterEdit([](json& r) { r["network"] = 7; }).message,
            "model.bin: 'network' is not a map");
}

TEST(ModelFileDamageTest, HugeDeclaredSizesFailOnTheShapesNotOnMemory) {
  // Each declares an enormous size with a few bytes of data; decoding must
  // fail on the mismatch without allocating for the declared size.
  EXPECT_EQ(ErrorAfterEdit([](json& r) {
              r["vectorizer"]["max_tokens"] = 50'000'000;
              r["vectorizer"]["vocabulary_size"] = 50'000'000;
            }).message,
            "model.bin: vectorizer.vocabulary holds 7 tokens, expected 50000000");
  EXPECT_EQ(ErrorAfterEdit([](json& r) {
              r["vectorizer"]["max_tokens"] = int64_t{1} << 40;
            }).message,
            "model.bin: field 'vectorizer.max_tokens' is 1099511627776, "
            "expected 3 to 50000000");
  EXPECT_EQ(ErrorAfterEdit([](json& r) {
              r["vectorizer"]["output_sequence_length"] = 1'000'000'000;
            }).message,
            "model.bin: field 'vectorizer.output_sequence_length' is "
            "1000000000, expected 1 to 100000");
  EXPECT_EQ(ErrorAfterEdit([](json& r) {
              r["network"]["embedding_dim"] = 100'000;
            }).message,
            "model.bin: network.embedding has 28 values, expected 7x100000");
  EXPECT_EQ(ErrorAfterEdit([](json& r) {
              r["network"]["embedding_dim"] = uint64_t{1} << 63;
            }).message,
            "model.bin: field 'network.embedding_dim' is 9223372036854775808, "
            "expected 1 to 100000");
}

TEST(ModelFileDamageTest, ShapesThatDisagreeWithTheConfiguration) {
  EXPECT_EQ(ErrorAfterEdit([](json& r) { r["network"]["sequence_length"] = 7; }).message,
            "model.bin: network.sequence_length is 7 but the vectorizer emits 6 ids");
  EXPECT_EQ(ErrorAfterEdit([](json& r) {
              r["network"]["dense_kernel"] = json::binary(std::vector<uint8_t>(20, 0));
            }).message,
            "model.bin: network.dense_kernel has 5 values, expected 4x1");
  EXPECT_EQ(ErrorAfterEdit([](json& r) {
              r["network"]["dense_bias"] = json::binary(std::vector<uint8_t>(8, 0));
            }).message,
            "model.bin: network.dense_bias has 2 values, expected 1");
  EXPECT_EQ(ErrorAfterEdit([](json& r) { r["network"]["outputs"] = 3; }).message,
            "model.bin: network.outputs is 3 but 2 classes need 1");
  EXPECT_EQ(ErrorAfterEdit([](json& r) { r["vectorizer"]["vocabulary_size"] = 6; }).message,
            "model.bin: vectorizer.vocabulary holds more than the declared 6 tokens");
  EXPECT_EQ(ErrorAfterEdit([](json& r) { r["vectorizer"]["vocabulary_size"] = 8; }).message,
            "model.bin: vectorizer.vocabulary holds 7 tokens, expected 8");
  EXPECT_EQ(ErrorAfterEdit([](json& r) { r["network"]["dropout"] = 1.5; }).message,
            "model.bin: network.dropout must be in [0, 1)");
  EXPECT_EQ(ErrorAfterEdit([](json& r) {
              r["training"]["history"]["val_loss"] = json::array({1.0});
            }).message,
            "model.bin: training.history series have different lengths");
}

TEST(ModelFileDamageTest, NonFiniteWeightsAreRefused) {
  for (const float bad : {std::numeric_limits<float>::quiet_NaN(),
                          std::numeric_limits<float>::infinity(),
                          -std::numeric_limits<float>::infinity()}) {
    EXPECT_EQ(ErrorAfterEdit([bad](json& r) {
                auto& bytes = r["network"]["embedding"].get_binary();
                std::memcpy(bytes.data() + 12, &bad, 4);
              }).message,
              "model.bin: network: embedding holds a NaN or infinite value");
    EXPECT_EQ(ErrorAfterEdit([bad](json& r) {
                r["network"]["dense_bias"] = json::binary(std::vector<uint8_t>(4));
                std::memcpy(r["network"]["dense_bias"].get_binary().data(), &bad, 4);
              }).message,
              "model.bin: network: dense layer holds a NaN or infinite value");
  }
}

TEST(ModelFileDamageTest, DamagedVocabularyIsRefused) {
  const auto with_vocabulary = [](const std::string& tokens, int size) {
    return ErrorAfterEdit([&](json& r) {
      r["vectorizer"]["vocabulary"] =
          json::binary(std::vector<uint8_t>(tokens.begin(), tokens.end()));
      r["vectorizer"]["vocabulary_size"] = size;
      r["network"]["vocabulary_size"] = size;
    });
  };
  // The reserved tokens must come first; tokens are distinct and non-empty.
  EXPECT_TRUE(Contains(with_vocabulary("x\n[UNK]\nfilm", 3).message, "model.bin: vectorizer: "));
  EXPECT_TRUE(Contains(with_vocabulary("\nUNK\nfilm", 3).message, "model.bin: vectorizer: "));
  EXPECT_TRUE(Contains(with_vocabulary("\n[UNK]\n\nfilm", 4).message, "model.bin: vectorizer: "));
  // An empty token also repeats the padding token; it is named as empty.
  EXPECT_TRUE(Contains(with_vocabulary("\n[UNK]\n\nfilm", 4).message,
                       "vocabulary token 2 is empty"));
  EXPECT_TRUE(Contains(with_vocabulary("\n[UNK]\nfilm\n", 4).message,
                       "vocabulary token 3 is empty"));
}

// ---------------------------------------------------------------------------
// Reading model files from the file system.

class ModelFileReadTest : public ScratchTest {};

TEST_F(ModelFileReadTest, MissingFileIsAnIoError) {
  const Thrown thrown = ErrorFrom([&] { ReadModelFile(folder_ / "nothing"); });
  EXPECT_EQ(thrown.kind, ErrorKind::kIo);
  EXPECT_EQ(thrown.message, (folder_ / "nothing").string() +
                                ": cannot open for reading: No such file or directory");
}

TEST_F(ModelFileReadTest, DirectoryIsNotAModelFile) {
  const Thrown thrown = ErrorFrom([&] { ReadModelFile(folder_); });
  EXPECT_EQ(thrown.kind, ErrorKind::kBadModelFile);
  EXPECT_EQ(thrown.message, folder_.string() + ": is a directory, not a model file");
}

TEST_F(ModelFileReadTest, DevicesFailFastInsteadOfReadingForever) {
  const auto start = std::chrono::steady_clock::now();
  const Thrown null = ErrorFrom([] { ReadModelFile("/dev/null"); });
  EXPECT_EQ(null.kind, ErrorKind::kBadModelFile);
  EXPECT_EQ(null.message, "/dev/null: empty file, not a sentiment model file");
  const Thrown zero = ErrorFrom([] { ReadModelFile("/dev/zero"); });
  EXPECT_EQ(zero.kind, ErrorKind::kBadModelFile);
  EXPECT_TRUE(StartsWith(zero.message, "/dev/zero: not a sentiment model file"));
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(10));
}

TEST_F(ModelFileReadTest, HeaderClaimingSixteenGigabytesReadsOnlyWhatIsThere) {
  const std::vector<uint8_t> file = WithHeaderField(SmallFile(), 12, kMaxPayloadSize, 8);
  const fs::path path = folder_ / "claims_16g";
  WriteAll(path, std::string(file.begin(), file.end()));
  const Thrown thrown = ErrorFrom([&] { ReadModelFile(path); });
  EXPECT_EQ(thrown.kind, ErrorKind::kBadModelFile);
  EXPECT_EQ(thrown.message, path.string() +
                                ": truncated: the header declares 17179869184 "
                                "payload bytes, the file holds " +
                                std::to_string(file.size() - kHeaderSize));
}

TEST_F(ModelFileReadTest, TrailingBytesAfterTheDeclaredPayloadAreRefused) {
  std::vector<uint8_t> file = SmallFile();
  const size_t payload = file.size() - kHeaderSize;
  file.insert(file.end(), 1'000'000, 'x');
  const fs::path path = folder_ / "trailing";
  WriteAll(path, std::string(file.begin(), file.end()));
  EXPECT_EQ(ErrorFrom([&] { ReadModelFile(path); }).message,
            path.string() + ": unexpected data after the " +
                std::to_string(payload) + "-byte payload");
}

TEST_F(ModelFileReadTest, ReadsABundleStreamedThroughAFifo) {
  const fs::path fifo = folder_ / "bundle.fifo";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  const std::vector<uint8_t> file = SmallFile(/*bundle=*/true);
  std::thread writer([&] {
    std::ofstream out(fifo, std::ios::binary);
    out.write(reinterpret_cast<const char*>(file.data()),
              static_cast<std::streamsize>(file.size()));
  });
  bool is_bundle = false;
  try {
    is_bundle = ReadModelFile(fifo).is_bundle();
  } catch (const Error& error) {
    ADD_FAILURE() << error.what();
  }
  writer.join();
  EXPECT_TRUE(is_bundle);
}

// A regular file whose size changes between fstat and the end of reading:
// the file is opened at its real size, the size "seen when opened" is
// injected.
TEST_F(ModelFileReadTest, FileThatShrankWhileBeingReadIsAnIoError) {
  const fs::path path = folder_ / "shrank";
  WriteAll(path, std::string(100, 'x'));
  const int fd = ::open(path.c_str(), O_RDONLY);
  ASSERT_GE(fd, 0);
  std::vector<uint8_t> bytes;
  const Thrown thrown = ErrorFrom(
      [&] { ReadRegularFileUpTo(fd, "shrank", /*size=*/300, /*limit=*/1000, bytes); });
  ::close(fd);
  EXPECT_EQ(thrown.kind, ErrorKind::kIo);
  EXPECT_EQ(thrown.message,
            "shrank: changed while being read (it had 300 bytes when opened, "
            "then ended after 100); another program is writing it, try again "
            "when it is done");
}

TEST_F(ModelFileReadTest, FileThatGrewWhileBeingReadIsAnIoError) {
  const fs::path path = folder_ / "grew";
  WriteAll(path, std::string(100, 'x'));
  const int fd = ::open(path.c_str(), O_RDONLY);
  ASSERT_GE(fd, 0);
  std::vector<uint8_t> bytes;
  const Thrown thrown = ErrorFrom(
      [&] { ReadRegularFileUpTo(fd, "grew", /*size=*/60, /*limit=*/1000, bytes); });
  ::close(fd);
  EXPECT_EQ(thrown.kind, ErrorKind::kIo);
  EXPECT_TRUE(StartsWith(thrown.message,
                         "grew: changed while being read (it had 60 bytes "
                         "when opened, then held more)"))
      << thrown.message;
}

TEST_F(ModelFileReadTest, ReadingStopsAtTheLimitWithoutCallingThatAChange) {
  const fs::path path = folder_ / "long";
  WriteAll(path, std::string(100, 'x'));
  const int fd = ::open(path.c_str(), O_RDONLY);
  ASSERT_GE(fd, 0);
  std::vector<uint8_t> bytes;
  ReadRegularFileUpTo(fd, "long", 100, 40, bytes);
  ::close(fd);
  EXPECT_EQ(bytes.size(), 40u);
}

// Another program truncating and rewriting a model file in place while it is
// loaded: each load succeeds or fails with an Error, and the process is never
// killed (a memory-mapped reader died of SIGBUS here).
TEST_F(ModelFileReadTest, FileRewrittenInPlaceWhileLoadedNeverCrashes) {
  std::vector<std::string> tokens = {"", "[UNK]"};
  for (int i = 0; i < 100'000; ++i) tokens.push_back("t" + std::to_string(i));
  const int size = static_cast<int>(tokens.size());
  TextVectorization vectorizer(
      VectorizerOptions{.max_tokens = size, .output_sequence_length = 8},
      Vocabulary::FromTokens(tokens));
  const NetworkConfig config{
      .vocabulary_size = size, .sequence_length = 8, .embedding_dim = 16};
  const std::vector<uint8_t> file = EncodeModelFile(
      {TrainedModel{{"neg", "pos"}, std::move(vectorizer),
                    Network::Initialize(config, 1), TrainOptions{}, {}},
       Activation::kSigmoid});
  const fs::path path = folder_ / "rewritten";
  WriteAll(path, std::string(file.begin(), file.end()));

  std::atomic<bool> done = false;
  std::thread rewriter([&] {
    const int fd = ::open(path.c_str(), O_WRONLY);
    if (fd < 0) return;
    while (!done) {
      if (::ftruncate(fd, static_cast<off_t>(file.size() / 3)) != 0) break;
      if (::pwrite(fd, file.data(), file.size(), 0) !=
          static_cast<ssize_t>(file.size())) {
        break;
      }
    }
    ::close(fd);
  });
  int loaded = 0, refused = 0;
  for (int i = 0; i < 60; ++i) {
    try {
      ReadModelFile(path);
      ++loaded;
    } catch (const Error& error) {
      EXPECT_TRUE(error.kind() == ErrorKind::kIo ||
                  error.kind() == ErrorKind::kBadModelFile)
          << error.what();
      ++refused;
    }
  }
  done = true;
  rewriter.join();
  EXPECT_EQ(loaded + refused, 60);
  // Once the rewriting stops, the file loads.
  EXPECT_EQ(ReadModelFile(path).model.vectorizer.vocabulary().size(), size);
}

// ---------------------------------------------------------------------------
// Output paths: atomic replacement, and paths that must never be replaced.

class AtomicWriteTest : public ScratchTest {
 protected:
  const std::vector<uint8_t> bytes_ = {'n', 'e', 'w'};
};

TEST_F(AtomicWriteTest, ReplacesARegularFileWithoutLeavingTemporaries) {
  WriteAll(folder_ / "model", "old");
  WriteFileAtomically(folder_ / "model", bytes_);
  EXPECT_EQ(ReadAll(folder_ / "model"), "new");
  EXPECT_EQ(Entries(folder_), std::vector<std::string>{"model"});
}

// A written file has the mode a plain open(O_CREAT, 0666) gives it: 0666
// less the umask, not mkstemp's private 0600.
TEST_F(AtomicWriteTest, WrittenFileHasTheUsualModeUnderTheUmask) {
  for (const mode_t umask : {mode_t{022}, mode_t{027}, mode_t{0}}) {
    const mode_t saved = ::umask(umask);
    WriteFileAtomically(folder_ / "model", bytes_);
    ::umask(saved);
    struct stat status;
    ASSERT_EQ(::stat((folder_ / "model").c_str(), &status), 0);
    EXPECT_EQ(status.st_mode & 07777, 0666 & ~umask) << "umask " << std::oct << umask;
  }
}

TEST_F(AtomicWriteTest, RefusesACharacterDevice) {
  const Thrown thrown = ErrorFrom([&] { WriteFileAtomically("/dev/null", bytes_); });
  EXPECT_EQ(thrown.kind, ErrorKind::kIo);
  EXPECT_EQ(thrown.message,
            "/dev/null: exists and is a device; refusing to replace it");
  struct stat status;
  ASSERT_EQ(::stat("/dev/null", &status), 0);
  EXPECT_TRUE(S_ISCHR(status.st_mode)) << "/dev/null was replaced";
}

TEST_F(AtomicWriteTest, RefusesASymbolicLinkToADevice) {
  fs::create_symlink("/dev/null", folder_ / "null_link");
  EXPECT_EQ(ErrorFrom([&] { WriteFileAtomically(folder_ / "null_link", bytes_); }).message,
            (folder_ / "null_link").string() +
                ": exists and is a device; refusing to replace it");
  EXPECT_TRUE(fs::is_symlink(folder_ / "null_link"));
  EXPECT_EQ(Entries(folder_), std::vector<std::string>{"null_link"});
}

TEST_F(AtomicWriteTest, RefusesAFifo) {
  const fs::path fifo = folder_ / "out.fifo";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  const Thrown thrown = ErrorFrom([&] { WriteFileAtomically(fifo, bytes_); });
  EXPECT_EQ(thrown.kind, ErrorKind::kIo);
  EXPECT_EQ(thrown.message, fifo.string() + ": exists and is a FIFO; refusing to replace it");
  EXPECT_TRUE(fs::is_fifo(fifo));
  EXPECT_EQ(Entries(folder_), std::vector<std::string>{"out.fifo"});
}

TEST_F(AtomicWriteTest, RefusesADirectory) {
  fs::create_directory(folder_ / "dir");
  WriteAll(folder_ / "dir" / "keep", "keep");
  EXPECT_EQ(ErrorFrom([&] { WriteFileAtomically(folder_ / "dir", bytes_); }).message,
            (folder_ / "dir").string() +
                ": exists and is a directory; refusing to replace it");
  EXPECT_EQ(ReadAll(folder_ / "dir" / "keep"), "keep");
}

TEST_F(AtomicWriteTest, ExistingFileUsedAsAFolder) {
  WriteAll(folder_ / "file", "previous");
  const Thrown thrown =
      ErrorFrom([&] { WriteFileAtomically(folder_ / "file" / "model", bytes_); });
  EXPECT_EQ(thrown.kind, ErrorKind::kIo);
  EXPECT_EQ(thrown.message, (folder_ / "file" / "model").string() +
                                ": cannot create a file in " +
                                (folder_ / "file").string() + ": Not a directory");
  EXPECT_EQ(ReadAll(folder_ / "file"), "previous");
}

TEST_F(AtomicWriteTest, MissingFolder) {
  const fs::path path = folder_ / "no" / "model";
  EXPECT_EQ(ErrorFrom([&] { WriteFileAtomically(path, bytes_); }).message,
            path.string() + ": cannot create a file in " +
                (folder_ / "no").string() + ": No such file or directory");
}

TEST_F(AtomicWriteTest, PathThatNamesNoFile) {
  EXPECT_EQ(ErrorFrom([&] { WriteFileAtomically("", bytes_); }).message,
            "'': the output path names no file");
  const std::string slash = (folder_ / "missing").string() + "/";
  EXPECT_EQ(ErrorFrom([&] { WriteFileAtomically(slash, bytes_); }).message,
            "'" + slash + "': the output path names no file");
}

TEST_F(AtomicWriteTest, SymbolicLinkIsKeptAndItsTargetReplaced) {
  fs::create_directory(folder_ / "elsewhere");
  WriteAll(folder_ / "elsewhere" / "target", "target");
  // A chain, the first link relative to its own folder.
  fs::create_symlink("elsewhere/target", folder_ / "link1");
  fs::create_symlink(folder_ / "link1", folder_ / "link");
  WriteFileAtomically(folder_ / "link", bytes_);
  EXPECT_TRUE(fs::is_symlink(folder_ / "link"));
  EXPECT_TRUE(fs::is_symlink(folder_ / "link1"));
  EXPECT_EQ(ReadAll(folder_ / "elsewhere" / "target"), "new");
  EXPECT_EQ(Entries(folder_ / "elsewhere"), std::vector<std::string>{"target"});
  EXPECT_EQ(Entries(folder_),
            (std::vector<std::string>{"elsewhere", "link", "link1"}));
}

TEST_F(AtomicWriteTest, DanglingLinkGetsItsTargetCreated) {
  fs::create_symlink("new_target", folder_ / "link");
  WriteFileAtomically(folder_ / "link", bytes_);
  EXPECT_TRUE(fs::is_symlink(folder_ / "link"));
  EXPECT_EQ(ReadAll(folder_ / "new_target"), "new");
}

TEST_F(AtomicWriteTest, LinkLoopIsRefused) {
  fs::create_symlink("b", folder_ / "a");
  fs::create_symlink("a", folder_ / "b");
  const Thrown thrown = ErrorFrom([&] { WriteFileAtomically(folder_ / "a", bytes_); });
  EXPECT_EQ(thrown.kind, ErrorKind::kIo);
  EXPECT_EQ(thrown.message,
            (folder_ / "a").string() + ": Too many levels of symbolic links");
  EXPECT_EQ(Entries(folder_), (std::vector<std::string>{"a", "b"}));
}

// ---------------------------------------------------------------------------
// Training directories.

TrainOptions FastOptions() {
  TrainOptions options;
  options.vectorizer.output_sequence_length = 10;
  options.fit.epochs = 3;
  options.fit.batch_size = 4;
  options.fit.learning_rate = 0.05f;
  options.validation_split = 0.25;
  return options;
}

class TrainingDirectoryTest : public ScratchTest {
 protected:
  Thrown TrainError(const fs::path& directory,
                    const TrainOptions& options = FastOptions()) {
    std::ostringstream log;
    const Thrown thrown =
        ErrorFrom([&] { RunTrain(directory, model(), options, log); });
    EXPECT_FALSE(fs::exists(model())) << "a failed train wrote a model";
    return thrown;
  }
  void TrainOk(const fs::path& directory) {
    std::ostringstream log;
    RunTrain(directory, model(), FastOptions(), log);
    ReadModelFile(model());  // the model written loads
  }
  fs::path data() const { return folder_ / "data"; }
  fs::path model() const { return folder_ / "model.sentiment"; }
};

TEST_F(TrainingDirectoryTest, Missing) {
  const Thrown thrown = TrainError(data());
  EXPECT_EQ(thrown.kind, ErrorKind::kInvalidInput);
  EXPECT_EQ(thrown.message, data().string() + ": no such directory");
}

TEST_F(TrainingDirectoryTest, NotADirectory) {
  WriteAll(data(), "text");
  const Thrown thrown = TrainError(data());
  EXPECT_EQ(thrown.kind, ErrorKind::kInvalidInput);
  EXPECT_EQ(thrown.message,
            data().string() +
                ": not a directory, nor a data file by its extension (.csv, "
                ".tsv, .jsonl, .ndjson, .ft, .fasttext); pass --input-format "
                "to read it as one");
}

TEST_F(TrainingDirectoryTest, NoClassFolders) {
  WriteAll(data() / "a.txt", "loose file");
  fs::create_directories(data() / ".hidden");
  const Thrown thrown = TrainError(data());
  EXPECT_EQ(thrown.kind, ErrorKind::kInvalidInput);
  EXPECT_EQ(thrown.message,
            data().string() + ": no class folders (expected one subdirectory "
                              "per class, e.g. neg/ and pos/)");
}

TEST_F(TrainingDirectoryTest, OneClass) {
  WriteAll(data() / "pos" / "a.txt", "good");
  EXPECT_EQ(TrainError(data()).message,
            data().string() + ": found 1 class folder(s) (pos); a "
                              "classifier needs at least 2");
}

TEST_F(TrainingDirectoryTest, EmptyClass) {
  fs::create_directories(data() / "neg");
  WriteAll(data() / "pos" / "a.txt", "good");
  const Thrown thrown = TrainError(data());
  EXPECT_EQ(thrown.kind, ErrorKind::kInvalidInput);
  EXPECT_EQ(thrown.message, (data() / "neg").string() + ": class folder has no .txt files");
}

TEST_F(TrainingDirectoryTest, NoTxtFiles) {
  WriteAll(data() / "neg" / "a.md", "bad");
  WriteAll(data() / "pos" / "a.text", "good");
  EXPECT_EQ(TrainError(data()).message,
            (data() / "neg").string() + ": class folder has no .txt files");
}

TEST_F(TrainingDirectoryTest, FifoNamedTxtIsRefusedNotReadForever) {
  WriteAll(data() / "neg" / "a.txt", "bad");
  WriteAll(data() / "pos" / "a.txt", "good");
  const fs::path fifo = data() / "pos" / "b.txt";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  const Thrown thrown = TrainError(data());
  EXPECT_EQ(thrown.kind, ErrorKind::kInvalidInput);
  EXPECT_EQ(thrown.message, fifo.string() +
                                ": not a regular file (a FIFO, socket or "
                                "device); move it out of the class folder");
}

TEST_F(TrainingDirectoryTest, BrokenSymbolicLinkIsNamed) {
  WriteAll(data() / "neg" / "a.txt", "bad");
  WriteAll(data() / "pos" / "a.txt", "good");
  fs::create_symlink(folder_ / "gone.txt", data() / "pos" / "gone.txt");
  EXPECT_EQ(TrainError(data()).message,
            (data() / "pos" / "gone.txt").string() +
                ": cannot follow the symbolic link: No such file or directory");
}

TEST_F(TrainingDirectoryTest, SymbolicLinkLoopsAreNamedOrNotEntered) {
  WriteAll(data() / "neg" / "a.txt", "bad");
  WriteAll(data() / "pos" / "a.txt", "good");
  // A folder link back up the tree is not entered, so it cannot loop.
  fs::create_directory_symlink(data(), data() / "pos" / "up");
  fs::create_directory_symlink(data() / "pos", data() / "pos" / "self");
  EXPECT_EQ(ListLabeledFiles(data()).files.size(), 2u);
  // A file link to itself cannot be read: named, not hung on.
  fs::create_symlink(data() / "neg" / "loop.txt", data() / "neg" / "loop.txt");
  EXPECT_EQ(TrainError(data()).message,
            (data() / "neg" / "loop.txt").string() +
                ": cannot follow the symbolic link: Too many levels of "
                "symbolic links");
}

TEST_F(TrainingDirectoryTest, NulBytesInvalidUtf8AndEmptyFilesPassThrough) {
  for (int i = 0; i < 4; ++i) {
    const std::string n = std::to_string(i);
    WriteAll(data() / "neg" / ("nul" + n + ".txt"),
             std::string("bad\0awful\0", 10) + " bo\xffring " + n);
    WriteAll(data() / "pos" / ("utf" + n + ".txt"),
             "caf\xc3\xa9 \xc3 \xed\xa0\x80 great " + n);
    WriteAll(data() / "pos" / ("empty" + n + ".txt"), "");
  }
  TrainOk(data());
  const ModelFile file = ReadModelFile(model());
  const auto& tokens = file.model.vectorizer.vocabulary().tokens();
  EXPECT_NE(std::find(tokens.begin(), tokens.end(), std::string("bad\0awful\0", 10)),
            tokens.end())
      << "NUL bytes are kept inside tokens, as Keras keeps them";
  EXPECT_NE(std::find(tokens.begin(), tokens.end(), "bo\xffring"), tokens.end());
}

TEST_F(TrainingDirectoryTest, HundredMegabyteFileTrains) {
  WriteAll(data() / "neg" / "a.txt", "bad boring");
  WriteAll(data() / "neg" / "b.txt", "awful");
  std::string big;
  big.reserve(100u << 20);
  const std::string words = "great fun film loved it w1 w2 w3 w4 w5\n";
  while (big.size() + words.size() <= (100u << 20)) big += words;
  WriteAll(data() / "pos" / "big.txt", big);
  WriteAll(data() / "pos" / "c.txt", "good");
  big = std::string();
  TrainOptions options = FastOptions();
  options.validation_split = 0.0;
  options.fit.epochs = 1;
  std::ostringstream log;
  RunTrain(data(), model(), options, log);
  EXPECT_TRUE(Contains(log.str(), "Found 4 files belonging to 2 classes"));
  EXPECT_EQ(ReadModelFile(model()).model.vectorizer.vocabulary().size(), 2 + 14);
}

// ---------------------------------------------------------------------------
// Flag values: refused with the flag's name before any work starts (the
// directory below does not even exist, and the flag is still what is named).

TEST(TrainFlagsTest, OutOfRangeValuesAreRefusedBeforeAnyWork) {
  struct Case {
    std::function<void(TrainOptions&)> set;
    std::string message;
  };
  const std::vector<Case> cases = {
      {[](TrainOptions& o) { o.fit.epochs = 0; },
       "--epochs must be between 1 and 1000000, got 0"},
      {[](TrainOptions& o) { o.fit.epochs = -3; },
       "--epochs must be between 1 and 1000000, got -3"},
      {[](TrainOptions& o) { o.fit.batch_size = 0; },
       "--batch-size must be between 1 and 1000000, got 0"},
      {[](TrainOptions& o) { o.fit.threads = 0; },
       "--threads must be between 1 and 1024, got 0"},
      {[](TrainOptions& o) { o.vectorizer.max_tokens = 2; },
       "--max-tokens must be between 3 and 50000000, got 2"},
      {[](TrainOptions& o) { o.vectorizer.max_tokens = 2'000'000'000; },
       "--max-tokens must be between 3 and 50000000, got 2000000000"},
      {[](TrainOptions& o) { o.vectorizer.output_sequence_length = -1; },
       "--sequence-length must be between 1 and 100000, or auto, got -1"},
      {[](TrainOptions& o) { o.embedding_dim = 0; },
       "--embedding-dim must be between 1 and 4096, got 0"},
      {[](TrainOptions& o) { o.embedding_dim = 1'000'000'000; },
       "--embedding-dim must be between 1 and 4096, got 1000000000"},
      {[](TrainOptions& o) { o.dropout = 1.0f; },
       "--dropout must be in [0, 1), got 1"},
      {[](TrainOptions& o) { o.dropout = -0.1f; },
       "--dropout must be in [0, 1), got -0.1"},
      {[](TrainOptions& o) { o.fit.learning_rate = 0.0f; },
       "--learning-rate must be a positive number, got 0"},
      {[](TrainOptions& o) {
         o.fit.learning_rate = std::numeric_limits<float>::infinity();
       },
       "--learning-rate must be a positive number, got inf"},
      {[](TrainOptions& o) { o.validation_split = 1.0; },
       "--validation-split must be in [0, 1), got 1"},
      {[](TrainOptions& o) { o.validation_split = -0.5; },
       "--validation-split must be in [0, 1), got -0.5"},
  };
  const fs::path missing = fs::path(::testing::TempDir()) / "no_such_training_dir";
  const fs::path output = fs::path(::testing::TempDir()) / "never_written";
  for (const Case& c : cases) {
    TrainOptions options;
    c.set(options);
    std::ostringstream log;
    const Thrown thrown = ErrorFrom([&] { RunTrain(missing, output, options, log); });
    EXPECT_EQ(thrown.kind, ErrorKind::kInvalidInput);
    EXPECT_EQ(thrown.message, c.message);
    EXPECT_EQ(log.str(), "") << "work started before the flags were checked";
  }
  EXPECT_FALSE(fs::exists(output));
}

// ---------------------------------------------------------------------------
// Training that diverges.

class DivergenceTest : public ScratchTest {};

TEST_F(DivergenceTest, NonFiniteLossStopsAndKeepsThePreviousModel) {
  const fs::path model = folder_ / "model.sentiment";
  WriteAll(model, "previous model");
  TrainOptions options = FastOptions();
  options.fit.learning_rate = 1e29f;
  std::ostringstream log;
  const Thrown thrown = ErrorFrom([&] { RunTrain(kReviews, model, options, log); });
  EXPECT_EQ(thrown.kind, ErrorKind::kInvalidInput);
  EXPECT_TRUE(StartsWith(thrown.message, "training diverged in epoch "))
      << thrown.message;
  EXPECT_TRUE(thrown.message.ends_with("; try a smaller --learning-rate")) << thrown.message;
  EXPECT_EQ(ReadAll(model), "previous model");
  EXPECT_EQ(Entries(folder_), std::vector<std::string>{"model.sentiment"});
}

// ---------------------------------------------------------------------------
// Predict input and output.

class PredictInputTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    folder_ = new fs::path(fs::path(::testing::TempDir()) /
                           ("robustness_predict_" + std::to_string(::getpid())));
    fs::create_directories(*folder_);
    std::ostringstream log;
    RunTrain(kReviews, *folder_ / "model", FastOptions(), log);
    RunExport(*folder_ / "model", bundle(), log);
  }
  static void TearDownTestSuite() {
    fs::remove_all(*folder_);
    delete folder_;
  }
  static fs::path bundle() { return *folder_ / "bundle"; }

  static std::string Predict(const std::string& input, PredictOptions options = {}) {
    std::istringstream in(input);
    std::ostringstream out;
    RunPredict(bundle(), in, out, options);
    return out.str();
  }
  static std::vector<std::string> Lines(const std::string& text) {
    std::vector<std::string> lines;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) lines.push_back(line);
    return lines;
  }

  static fs::path* folder_;
};
fs::path* PredictInputTest::folder_ = nullptr;

TEST_F(PredictInputTest, EmptyInputGivesEmptyOutput) {
  EXPECT_EQ(Predict(""), "");
}

TEST_F(PredictInputTest, EmptyLinesGetOneResultEach) {
  const std::vector<std::string> lines = Lines(Predict("\n\n\n"));
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(lines[0], lines[1]);
  EXPECT_EQ(lines[1], lines[2]);
  // An all-padding sequence, the same as a line with no known token.
  EXPECT_EQ(Predict("\n"), Predict(" \t \n"));
}

TEST_F(PredictInputTest, CrlfLineEndingsGiveTheSameResults) {
  EXPECT_EQ(Predict("great fun\r\nterrible, boring\r\n\r\nloved it\r\n"),
            Predict("great fun\nterrible, boring\n\nloved it\n"));
  EXPECT_EQ(Predict("great fun\r\nloved it"), Predict("great fun\nloved it"));
  EXPECT_EQ(Lines(Predict("a\r\r\nb\rc\n")).size(), 2u);
}

TEST_F(PredictInputTest, FinalLineWithoutNewlineStillGetsAResult) {
  EXPECT_EQ(Lines(Predict("great\nawful")).size(), 2u);
  EXPECT_EQ(Predict("awful"), Predict("awful\n"));
}

TEST_F(PredictInputTest, InvalidUtf8AndNulBytesAreOneLineEach) {
  using namespace std::string_literals;
  const std::string input = "\xff\xfe\xc3 great\n\0\0\0\nfun\0ny\n\xed\xa0\x80"s;
  const std::vector<std::string> lines = Lines(Predict(input));
  ASSERT_EQ(lines.size(), 4u);
  for (const std::string& line : lines) {
    EXPECT_TRUE(line.ends_with("\tpos") || line.ends_with("\tneg")) << line;
  }
}

TEST_F(PredictInputTest, HundredMegabyteLineIsOneResultFromItsFirstTokens) {
  std::string line;
  line.reserve(100u << 20);
  while (line.size() < (100u << 20)) line += "terrible boring awful film ";
  const std::string result = Predict(line + "\n");
  EXPECT_EQ(Lines(result).size(), 1u);
  // Only the first sequence_length (10) tokens count.
  EXPECT_EQ(result, Predict(line.substr(0, 27 * 3) + "\n"));
}

TEST_F(PredictInputTest, FailedOutputIsAnIoError) {
  std::istringstream in("great\n");
  std::ostringstream out;
  out.setstate(std::ios::badbit);
  const Thrown thrown = ErrorFrom([&] { RunPredict(bundle(), in, out, {}); });
  EXPECT_EQ(thrown.kind, ErrorKind::kIo);
  // No system call failed, so there is no reason to add.
  EXPECT_EQ(thrown.message, "cannot write the predictions to standard output");
}

TEST_F(PredictInputTest, FailedInputIsAnIoError) {
  // A stream buffer whose reads fail, as reading a directory or a broken
  // device does.
  struct FailingBuffer : std::streambuf {
    int_type underflow() override { throw std::ios_base::failure("read failed"); }
  } buffer;
  std::istream in(&buffer);
  std::ostringstream out;
  const Thrown thrown = ErrorFrom([&] { RunPredict(bundle(), in, out, {}); });
  EXPECT_EQ(thrown.kind, ErrorKind::kIo);
  EXPECT_EQ(thrown.message, "reading standard input failed");
}

// ---------------------------------------------------------------------------
// inspect reports a file that fails validation instead of printing garbage.

class InspectTest : public ScratchTest {};

TEST_F(InspectTest, ReportsDamageAndPrintsNothing) {
  const std::vector<uint8_t> good = SmallFile(/*bundle=*/true);
  std::vector<uint8_t> flipped = good;
  flipped[good.size() / 2] ^= 0x04;
  const std::vector<uint8_t> truncated(good.begin(), good.begin() + good.size() / 2);
  const struct {
    const char* name;
    std::vector<uint8_t> bytes;
    std::string message;
  } cases[] = {
      {"flipped", flipped, ": checksum mismatch (stored "},
      {"truncated", truncated, ": truncated: the header declares "},
      {"text", {'h', 'i', '\n'}, ": not a sentiment model file"},
  };
  for (const auto& c : cases) {
    const fs::path path = folder_ / c.name;
    WriteAll(path, std::string(c.bytes.begin(), c.bytes.end()));
    for (const bool vocabulary : {false, true}) {
      std::ostringstream out;
      const Thrown thrown = ErrorFrom([&] { RunInspect(path, vocabulary, out); });
      EXPECT_EQ(thrown.kind, ErrorKind::kBadModelFile);
      EXPECT_TRUE(StartsWith(thrown.message, path.string() + c.message)) << thrown.message;
      EXPECT_EQ(out.str(), "");
    }
  }
}

// ---------------------------------------------------------------------------
// Determinism: same seed, data and thread count, same bytes.

class DeterminismTest : public ScratchTest {};

TEST_F(DeterminismTest, SameSeedAndThreadCountWriteByteIdenticalModels) {
  for (const int threads : {1, 2}) {
    TrainOptions options = FastOptions();
    options.fit.threads = threads;
    std::ostringstream log;
    RunTrain(kReviews, folder_ / "a", options, log);
    RunTrain(kReviews, folder_ / "b", options, log);
    EXPECT_EQ(ReadAll(folder_ / "a"), ReadAll(folder_ / "b")) << threads << " threads";
  }
}

}  // namespace
}  // namespace sentiment
