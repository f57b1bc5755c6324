// Reading and writing the two file kinds: a trained model (from `train`) and
// a bundle (from `export`). The format is documented in README.md, "Model
// file format".
#ifndef SENTIMENT_MODEL_FILE_H_
#define SENTIMENT_MODEL_FILE_H_

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "sentiment/model.h"
#include "sentiment/pipeline.h"

namespace sentiment {

inline constexpr std::string_view kTrainedModelFormat = "sentiment-model";
inline constexpr std::string_view kBundleFormat = "sentiment-bundle";
// Version 2 added the header (magic, version, payload length, CRC-32) in
// front of the CBOR payload; version 1 files were bare CBOR. Version 3 added
// K classes (network.outputs, a softmax activation), n-grams, masked pooling
// and class weights; an older build must refuse such a file rather than
// ignore the fields and predict wrongly. Version 4 added the activation
// stage's temperature (`calibrate`), which every version 4 bundle carries: a
// version 3 build would otherwise read a calibrated bundle as T = 1. Files
// are always written in the newest version; versions 2 and 3 are still read,
// their bundles as T = 1.
inline constexpr int kFormatVersion = 4;
inline constexpr int kOldestReadableVersion = 2;

// Every file starts with a fixed 24-byte header, then the CBOR payload:
//   bytes 0-7    magic 89 53 4E 54 0D 0A 1A 0A ("\x89SNT\r\n\x1a\n", the PNG
//                idea: a high-bit byte, CR LF and ^Z expose text-mode
//                transfers)
//   bytes 8-11   format version, uint32 little-endian (kFormatVersion)
//   bytes 12-19  payload length in bytes, uint64 little-endian
//   bytes 20-23  CRC-32 of the payload, uint32 little-endian
//   bytes 24-    payload: one CBOR map (README.md, "Model file format")
// The magic and the version field keep their places in every version.
inline constexpr std::string_view kFileMagic = "\x89SNT\r\n\x1a\n";
inline constexpr size_t kHeaderSize = 24;
// Largest payload a header may declare (16 GiB); bounds what a reader
// accepts before it has seen the bytes.
inline constexpr uint64_t kMaxPayloadSize = uint64_t{1} << 34;

// Either file kind, decoded. `activation` is set for a bundle only.
struct ModelFile {
  TrainedModel model;
  std::optional<Activation> activation;
  int format_version = kFormatVersion;  // as read; files are written in the newest
  // The activation stage's temperature T (bundles only; 1 for a trained
  // model and for bundles of versions 2 and 3): probabilities are the
  // activation of logits / T. Finite and above 0.
  float temperature = 1.0f;

  bool is_bundle() const { return activation.has_value(); }
};

// CRC-32 as zlib, gzip and PNG compute it (ISO-HDLC: reflected polynomial
// 0xEDB88320, initial value and final xor 0xFFFFFFFF), so Python's
// zlib.crc32 checks a file by hand. It detects every error burst of up to 32
// bits, so any one damaged byte.
uint32_t Crc32(std::span<const uint8_t> bytes);

// The header for `payload` followed by the payload: a complete file.
std::vector<uint8_t> FramePayload(std::span<const uint8_t> payload);

// Encodes a trained model (activation unset) or bundle: header, then CBOR.
std::vector<uint8_t> EncodeModelFile(const ModelFile& file);

// Decodes and validates either kind. `name` (usually the path) prefixes every
// message. Throws Error(kBadModelFile) on any problem: an empty, truncated
// or unrelated file, an unknown or newer version, a checksum mismatch, a
// payload that is not CBOR, nests more than 8 levels or uses indefinite
// lengths or tags (never written; refused before parsing, which recurses),
// a wrong format tag, missing fields, shapes that disagree with the
// configuration, sizes over the limits, non-finite weights, a damaged
// vocabulary. Allocates in proportion to bytes.size(), never to a size the
// bytes merely declare.
ModelFile DecodeModelFile(std::span<const uint8_t> bytes,
                          const std::string& name);

// Reads and decodes a file of either kind. Reads the header first and then
// at most the payload length it declares, so a device or an endless stream
// fails fast instead of filling memory. The file is read into memory, not
// mapped, so another program rewriting or truncating it meanwhile cannot
// crash the process. Throws Error(kIo) when the file cannot be opened or
// read, or when a regular file's size changes while it is read;
// Error(kBadModelFile) when it is a directory or not a valid model file.
ModelFile ReadModelFile(const std::filesystem::path& path);

// Writes atomically (see atomic_file.h).
void WriteModelFile(const ModelFile& file, const std::filesystem::path& path);

// Reads a bundle for prediction. Throws Error(kBadModelFile) when the file is
// a trained model that was never exported, naming the export command and
// what to do with the bundle (`use`, as "predict" or "calibrate").
ExportPipeline ReadBundle(const std::filesystem::path& path,
                          std::string_view use = "predict");

}  // namespace sentiment

#endif  // SENTIMENT_MODEL_FILE_H_
