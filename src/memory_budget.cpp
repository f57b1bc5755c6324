#include "sentiment/memory_budget.h"

#include <sys/resource.h>

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <fstream>
#include <sstream>

#include "sentiment/error.h"

namespace sentiment {
namespace {

// "6.1 GiB", "12.5 KiB", "512 bytes".
std::string DescribeBytes(uint64_t bytes) {
  const char* const kUnits[] = {"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
  if (bytes < 1024) return std::to_string(bytes) + " bytes";
  double value = static_cast<double>(bytes) / 1024.0;
  size_t unit = 0;
  while (value >= 1024.0 && unit + 1 < std::size(kUnits)) {
    value /= 1024.0;
    ++unit;
  }
  char text[32];
  std::snprintf(text, sizeof text, "%.1f %s", value, kUnits[unit]);
  return text;
}

// a x b, saturating instead of wrapping: absurd flags must stay absurd.
uint64_t Times(uint64_t a, uint64_t b) {
  if (a != 0 && b > UINT64_MAX / a) return UINT64_MAX;
  return a * b;
}

uint64_t Plus(uint64_t a, uint64_t b) {
  return b > UINT64_MAX - a ? UINT64_MAX : a + b;
}

std::string Plural(int64_t n, const std::string& noun) {
  return std::to_string(n) + " " + noun + (n == 1 ? "" : "s");
}

}  // namespace

uint64_t TrainingMemory::total() const {
  return Plus(Plus(token_ids, texts), Plus(embedding, dropout_masks));
}

TrainingMemory EstimateTrainingMemory(const TrainingShape& shape) {
  constexpr uint64_t kFloat = 4, kId = 4;
  // Padding and [UNK], then at most one distinct token per two bytes of
  // text, rounded up in each file.
  constexpr uint64_t kReservedTokens = 2;
  const uint64_t text_can_hold =
      kReservedTokens + Plus(shape.text_bytes, shape.files) / 2;
  const uint64_t dim = static_cast<uint64_t>(shape.embedding_dim);
  const uint64_t length = static_cast<uint64_t>(shape.sequence_length);
  const uint64_t threads =
      static_cast<uint64_t>(std::max(1, shape.training_threads));

  TrainingMemory memory;
  memory.token_ids = Times(Times(shape.files, length), kId);
  memory.texts = shape.text_bytes;
  memory.vocabulary_rows = static_cast<int64_t>(std::min<uint64_t>(
      static_cast<uint64_t>(shape.max_tokens), text_can_hold));
  memory.embedding_copies =
      3 + static_cast<int>(threads) + (shape.keeps_best_weights ? 1 : 0);
  memory.embedding = Times(
      Times(Times(static_cast<uint64_t>(memory.vocabulary_rows), dim), kFloat),
      static_cast<uint64_t>(memory.embedding_copies));
  memory.dropout_masks = Times(Times(Times(threads, length + 1), dim), kFloat);
  return memory;
}

AvailableMemory AvailableMemoryFrom(std::string_view meminfo,
                                    std::optional<uint64_t> address_space_limit,
                                    std::optional<uint64_t> data_limit) {
  AvailableMemory available;
  const auto consider = [&](uint64_t bytes, const char* source) {
    if (bytes < available.bytes) available = {bytes, source};
  };
  constexpr std::string_view kKey = "MemAvailable:";
  const size_t at = meminfo.find(kKey);
  if (at != std::string_view::npos && (at == 0 || meminfo[at - 1] == '\n')) {
    std::string_view rest = meminfo.substr(at + kKey.size());
    rest.remove_prefix(std::min(rest.find_first_not_of(' '), rest.size()));
    uint64_t kib = 0;
    const auto [end, error] =
        std::from_chars(rest.data(), rest.data() + rest.size(), kib);
    const std::string_view unit(
        end, static_cast<size_t>(rest.data() + rest.size() - end));
    if (error == std::errc() && unit.starts_with(" kB")) {
      consider(Times(kib, 1024), "MemAvailable in /proc/meminfo");
    }
  }
  if (address_space_limit) {
    consider(*address_space_limit, "the address-space limit, ulimit -v");
  }
  if (data_limit) consider(*data_limit, "the data-segment limit, ulimit -d");
  return available;
}

AvailableMemory ReadAvailableMemory() {
  std::ostringstream meminfo;
  meminfo << std::ifstream("/proc/meminfo").rdbuf();
  const auto soft_limit = [](int resource) -> std::optional<uint64_t> {
    rlimit limit{};
    if (::getrlimit(resource, &limit) != 0 || limit.rlim_cur == RLIM_INFINITY) {
      return std::nullopt;
    }
    return static_cast<uint64_t>(limit.rlim_cur);
  };
  return AvailableMemoryFrom(meminfo.str(), soft_limit(RLIMIT_AS),
                             soft_limit(RLIMIT_DATA));
}

void CheckTrainingFits(const TrainingShape& shape, const TrainingMemory& need,
                       const AvailableMemory& available) {
  if (need.total() <= available.bytes) return;
  const std::string threads =
      Plural(std::max(1, shape.training_threads), "thread");
  throw InvalidInput(
      "training needs about " + DescribeBytes(need.total()) +
      " (token ids: " + Plural(static_cast<int64_t>(shape.files), "file") +
      " x sequence length " + std::to_string(shape.sequence_length) +
      " x 4 bytes = " + DescribeBytes(need.token_ids) +
      "; texts: " + DescribeBytes(need.texts) +
      "; embedding: " + std::to_string(need.vocabulary_rows) + " rows x dim " +
      std::to_string(shape.embedding_dim) + " x 4 bytes x " +
      std::to_string(need.embedding_copies) +
      (shape.keeps_best_weights
           ? " copies for weights, Adam moments, gradients and the best "
             "epoch's weights = "
           : " copies for weights, Adam moments and gradients = ") +
      DescribeBytes(need.embedding) + "; dropout masks: " + threads + " x " +
      std::to_string(shape.sequence_length + 1) + " x dim " +
      std::to_string(shape.embedding_dim) +
      " x 4 bytes = " + DescribeBytes(need.dropout_masks) + "), but only " +
      DescribeBytes(available.bytes) + " is available (" +
      available.limited_by +
      "); lower --sequence-length, --embedding-dim, --max-tokens or --threads");
}

}  // namespace sentiment
