// libFuzzer target: decoding a model or bundle file from arbitrary bytes.
//
// The first byte picks what the rest is. Even: the whole file, so the header
// checks (magic, version, length, CRC-32) are fuzzed. Odd: a CBOR payload,
// framed with a valid header and checksum, so mutations get past the
// checksum to the field validation behind it.
//
// Properties checked: decoding either succeeds or throws Error(kBadModelFile)
// (anything else escaping, a crash, a sanitizer report, a hang or a giant
// allocation is a finding); whatever decodes re-encodes to a file that
// decodes and re-encodes to the same bytes, and runs the whole pipeline.
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <span>
#include <vector>

#include "sentiment/error.h"
#include "sentiment/model_file.h"
#include "sentiment/pipeline.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace sentiment;
  if (size == 0) return 0;
  const std::span<const uint8_t> rest(data + 1, size - 1);
  const std::vector<uint8_t> file =
      (data[0] & 1) ? FramePayload(rest)
                    : std::vector<uint8_t>(rest.begin(), rest.end());
  std::optional<ModelFile> decoded;
  try {
    decoded.emplace(DecodeModelFile(file, "fuzz"));
  } catch (const Error& error) {
    if (error.kind() != ErrorKind::kBadModelFile) std::abort();
    return 0;
  }
  const std::vector<uint8_t> once = EncodeModelFile(*decoded);
  const std::vector<uint8_t> twice =
      EncodeModelFile(DecodeModelFile(once, "fuzz (re-encoded)"));
  if (once != twice) std::abort();

  // Finite weights can still sum past FLT_MAX in a crafted file, so a NaN
  // probability is allowed; one outside [0, 1] is not.
  const Activation activation =
      ActivationForOutputs(decoded->model.network.config().outputs);
  const ExportPipeline pipeline(std::move(decoded->model), activation);
  ExportPipeline::Scratch scratch;
  std::vector<float> logits(pipeline.outputs());
  std::vector<float> probabilities(pipeline.classes());
  for (const char* text : {"", "a fine film", "[UNK] \xff\xfe <br /> x"}) {
    pipeline.Logits(text, scratch, logits);
    pipeline.Probabilities(logits, probabilities);
    for (const float probability : probabilities) {
      if (probability < 0.0f || probability > 1.0f) std::abort();
    }
  }
  return 0;
}
