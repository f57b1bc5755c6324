// An up-front memory check for training: the sizes that grow with the data
// and the flags, estimated once the files are listed and before any is read,
// against the memory the process may use. An absurd but individually valid
// combination of flags is then refused by name (exit 2) instead of ending as
// "out of memory" or in the OOM killer hours later.
#ifndef SENTIMENT_MEMORY_BUDGET_H_
#define SENTIMENT_MEMORY_BUDGET_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace sentiment {

// What training will hold, known before any file is read.
struct TrainingShape {
  uint64_t files = 0;        // training and validation files
  uint64_t text_bytes = 0;   // their total size
  int sequence_length = 1;   // --sequence-length
  int max_tokens = 3;        // --max-tokens
  int embedding_dim = 1;     // --embedding-dim
  int training_threads = 1;  // threads of the training steps
  // Early stopping (--patience) keeps a copy of the best epoch's weights.
  bool keeps_best_weights = false;
};

// The large allocations of a training run, in bytes. Each is held to the
// end of training, so the peak is their sum.
struct TrainingMemory {
  uint64_t token_ids = 0;  // files x sequence length x 4 (int32 ids)
  uint64_t texts = 0;      // the raw text of every file
  // Embedding rows: --max-tokens, or fewer when the text cannot hold that
  // many tokens.
  int64_t vocabulary_rows = 0;
  // Weights, Adam m and v, one gradient per thread, and the best epoch's
  // weights under early stopping.
  int embedding_copies = 0;
  uint64_t embedding = 0;      // rows x dim x 4 x copies
  uint64_t dropout_masks = 0;  // threads x (sequence length + 1) x dim x 4

  // The sum, saturating at UINT64_MAX.
  uint64_t total() const;
};

// Estimates what training `shape` allocates, from the layout of RunTrain,
// Fit and ExampleStep: all texts and all vectorized ids stay in memory; the
// embedding is held as weights, Adam's two moments and one gradient matrix
// per training thread (writing the model file needs at most four copies, no
// more than training); each training thread keeps dropout masks for one
// example. The vocabulary has at most --max-tokens rows, and no more than
// the 2 reserved tokens plus one per two bytes of text (a token is at least
// one byte, separated by at least one). Not counted: the term counts of
// adapt, which grow with the distinct terms actually present (known only
// while counting; TextVectorization::Adapt caps them instead, see
// CountingLimit), and small per-batch buffers.
TrainingMemory EstimateTrainingMemory(const TrainingShape& shape);

// Memory the process may still allocate, and what limits it.
struct AvailableMemory {
  uint64_t bytes = UINT64_MAX;  // UINT64_MAX when nothing limits it
  std::string limited_by;       // "MemAvailable in /proc/meminfo",
                                // "the address-space limit, ulimit -v", ...
};

// The smallest of: MemAvailable from `meminfo` (the text of /proc/meminfo;
// ignored when absent or unparsable), the RLIMIT_AS and the RLIMIT_DATA soft
// limits (nullopt when unlimited). Pure, for tests.
AvailableMemory AvailableMemoryFrom(std::string_view meminfo,
                                    std::optional<uint64_t> address_space_limit,
                                    std::optional<uint64_t> data_limit);

// AvailableMemoryFrom for this process: /proc/meminfo and getrlimit.
AvailableMemory ReadAvailableMemory();

// Throws Error(kInvalidInput) when `need` is more than `available`, one line
// naming each term and the flags that lower it, e.g. "training needs about
// 3.1 GiB (token ids: 16 files x sequence length 100000 x 4 bytes = 6.1 MiB;
// ...), but only 390.6 MiB is available (the address-space limit, ulimit
// -v); lower --sequence-length, --embedding-dim, --max-tokens or --threads".
void CheckTrainingFits(const TrainingShape& shape, const TrainingMemory& need,
                       const AvailableMemory& available);

}  // namespace sentiment

#endif  // SENTIMENT_MEMORY_BUDGET_H_
