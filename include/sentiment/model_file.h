// Reading and writing the two file kinds: a trained model (from `train`) and
// a bundle (from `export`). The format is documented in README.md, "Model
// file format".
#ifndef SENTIMENT_MODEL_FILE_H_
#define SENTIMENT_MODEL_FILE_H_

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "sentiment/model.h"
#include "sentiment/pipeline.h"

namespace sentiment {

inline constexpr std::string_view kTrainedModelFormat = "sentiment-model";
inline constexpr std::string_view kBundleFormat = "sentiment-bundle";
inline constexpr int kFormatVersion = 1;

// Either file kind, decoded. `activation` is set for a bundle only.
struct ModelFile {
  TrainedModel model;
  std::optional<Activation> activation;

  bool is_bundle() const { return activation.has_value(); }
};

// Encodes a trained model (activation unset) or bundle as CBOR bytes.
std::vector<uint8_t> EncodeModelFile(const ModelFile& file);

// Decodes and validates either kind. `name` (usually the path) prefixes every
// message. Throws Error(kBadModelFile) on any problem: not CBOR, wrong
// format tag, unknown or newer version, missing fields, shapes that disagree
// with the configuration, non-finite weights, a damaged vocabulary.
ModelFile DecodeModelFile(const std::vector<uint8_t>& bytes,
                          const std::string& name);

// Reads and decodes a file of either kind. Throws Error(kIo) when it cannot
// be read, Error(kBadModelFile) when it is not a valid model file.
ModelFile ReadModelFile(const std::filesystem::path& path);

// Writes atomically (see atomic_file.h).
void WriteModelFile(const ModelFile& file, const std::filesystem::path& path);

// Reads a bundle for prediction. Throws Error(kBadModelFile) when the file is
// a trained model that was never exported, naming the export command.
ExportPipeline ReadBundle(const std::filesystem::path& path);

}  // namespace sentiment

#endif  // SENTIMENT_MODEL_FILE_H_
