// Micro-benchmarks of the hot kernels (issue 3), on text from the benchmark
// corpus generator (tools/corpus_generator.h):
//   BM_StandardizeSplit  Standardize(tutorial) + ForEachToken, MB/s
//   BM_TokenizeUnicode   Tokenizer::ForEachToken in the unicode mode (NFKC,
//                        case folding, Unicode punctuation and whitespace)
//                        on the same ASCII text, MB/s
//   BM_VocabularyLookup  hashing and looking up already split tokens, as the
//                        tokenizer does (LookupPadded), ns/token
//   BM_Vectorize         TextVectorization::Vectorize (standardize, split,
//                        lookup, pad) at sequence length 250, per token
//   BM_VectorizeWholeText  the same over whole texts (no truncation), MB/s
//   BM_DropoutMasks      drawing the dropout masks of one batch of 32
//   BM_ForwardBackward   BatchGradients on a batch of 32 (10000 x 16, 250):
//                        masks, forward, backward, merging the gradient
//   BM_AdamStep          one dense Adam step over every parameter
//   BM_TrainStep         the three above: one training step at batch 32,
//                        on 1 or 2 threads, at lengths 32 to 250
//   BM_PredictLine       ExportPipeline::Logits on one ~230-word review
//   BM_DecodeBundle      decoding and validating a 10,000-token bundle
//
// Run: build/kernels_benchmark [--benchmark_filter=REGEX]
#include <benchmark/benchmark.h>

#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "corpus_generator.h"
#include "sentiment/adam.h"
#include "sentiment/model_file.h"
#include "sentiment/network.h"
#include "sentiment/pipeline.h"
#include "sentiment/standardize.h"
#include "sentiment/text_vectorization.h"
#include "sentiment/tokenizer.h"
#include "sentiment/trainer.h"
#include "sentiment/training_step.h"
#include "batch_gradients.h"
#include "flush_denormals.h"
#include "thread_pool.h"

namespace {

using sentiment::StandardizeMode;

constexpr int kAdaptDocuments = 5000;  // texts the vocabulary is learned from
constexpr int kDocuments = 2000;       // texts the kernels run on
constexpr int kMaxTokens = 10000;
constexpr int kSequenceLength = 250;
constexpr int kEmbeddingDim = 16;
constexpr int kBatch = 32;

std::vector<std::string> MakeTexts(int split, int count) {
  const corpus::CorpusGenerator generator(1);
  const std::vector<int> labels = generator.Labels(split, count);
  std::vector<std::string> texts;
  texts.reserve(count);
  for (int i = 0; i < count; ++i) {
    texts.push_back(generator.Make(split, i, labels[i]).text);
  }
  return texts;
}

// Shared inputs, built once on first use.
struct Fixture {
  std::vector<std::string> texts = MakeTexts(1, kDocuments);
  std::vector<int> labels = corpus::CorpusGenerator(1).Labels(1, kDocuments);
  sentiment::TextVectorization vectorizer = sentiment::TextVectorization::Adapt(
      MakeTexts(0, kAdaptDocuments),
      sentiment::VectorizerOptions{.max_tokens = kMaxTokens,
                                   .output_sequence_length = kSequenceLength});
  std::vector<std::string> standardized;  // texts after Standardize, padded
  std::vector<std::string_view> tokens;   // their tokens, in order
  std::vector<int32_t> ids;               // kDocuments x kSequenceLength
  size_t text_bytes = 0;
  size_t vectorized_tokens = 0;           // tokens Vectorize looks up

  Fixture() {
    standardized.reserve(texts.size());
    for (const std::string& text : texts) {
      text_bytes += text.size();
      standardized.push_back(
          sentiment::Standardize(text, StandardizeMode::kTutorial));
      // Trailing spaces give the last token the readable bytes LookupPadded
      // needs, as the tokenizer's buffer does, and split off as nothing.
      standardized.back().append(sentiment::Tokenizer::kPadding, ' ');
      size_t count = 0;
      sentiment::ForEachToken(standardized.back(), [&](std::string_view t) {
        tokens.push_back(t);
        ++count;
      });
      vectorized_tokens += std::min<size_t>(count, kSequenceLength);
    }
    ids.resize(texts.size() * kSequenceLength);
    sentiment::TextVectorization::Scratch scratch;
    for (size_t i = 0; i < texts.size(); ++i) {
      vectorizer.Vectorize(
          texts[i],
          std::span<int32_t>(ids.data() + i * kSequenceLength, kSequenceLength),
          scratch);
    }
  }

  sentiment::NetworkConfig network_config() const {
    return {.vocabulary_size = vectorizer.vocabulary().size(),
            .sequence_length = kSequenceLength,
            .embedding_dim = kEmbeddingDim,
            .dropout = 0.2f};
  }
  // Labels as the trainer takes them.
  sentiment::VectorizedSet set() const {
    return {ids, std::vector<int32_t>(labels.begin(), labels.end())};
  }
  // Batch `b` (wrapping around the texts): example indices.
  std::vector<size_t> batch(size_t b) const {
    const size_t first = (b * kBatch) % (texts.size() - kBatch + 1);
    std::vector<size_t> examples(kBatch);
    for (int k = 0; k < kBatch; ++k) examples[k] = first + k;
    return examples;
  }
};

const Fixture& Data() {
  static const Fixture* const fixture = new Fixture();
  return *fixture;
}

// A counter showing the time per item (items per iteration given), e.g.
// "23n" for 23 ns.
benchmark::Counter PerItem(size_t items_per_iteration) {
  return benchmark::Counter(
      static_cast<double>(items_per_iteration),
      benchmark::Counter::kIsIterationInvariantRate | benchmark::Counter::kInvert);
}

void BM_StandardizeSplit(benchmark::State& state) {
  const Fixture& data = Data();
  std::string out;
  size_t tokens = 0;
  for (auto _ : state) {
    for (const std::string& text : data.texts) {
      sentiment::Standardize(text, StandardizeMode::kTutorial, out);
      sentiment::ForEachToken(out, [&](std::string_view) { ++tokens; });
    }
  }
  benchmark::DoNotOptimize(tokens);
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * data.text_bytes));
}
BENCHMARK(BM_StandardizeSplit)->Unit(benchmark::kMillisecond);

void BM_TokenizeUnicode(benchmark::State& state) {
  const Fixture& data = Data();
  const sentiment::Tokenizer tokenizer(StandardizeMode::kUnicode);
  std::string buffer;
  uint64_t sum = 0;
  for (auto _ : state) {
    for (const std::string& text : data.texts) {
      tokenizer.ForEachToken(text, buffer, [&](std::string_view, uint64_t hash) {
        sum += hash;
        return true;
      });
    }
  }
  benchmark::DoNotOptimize(sum);
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * data.text_bytes));
}
BENCHMARK(BM_TokenizeUnicode)->Unit(benchmark::kMillisecond);

void BM_VocabularyLookup(benchmark::State& state) {
  const Fixture& data = Data();
  const sentiment::Vocabulary& vocabulary = data.vectorizer.vocabulary();
  int64_t sum = 0;
  for (auto _ : state) {
    for (std::string_view token : data.tokens) {
      sum += vocabulary.LookupPadded(token, sentiment::TokenHashPadded(token));
    }
  }
  benchmark::DoNotOptimize(sum);
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * data.tokens.size()));
  state.counters["per_token"] = PerItem(data.tokens.size());
  state.counters["oov"] = [&] {
    size_t unknown = 0;
    for (std::string_view token : data.tokens) unknown += vocabulary.Lookup(token) == 1;
    return static_cast<double>(unknown) / static_cast<double>(data.tokens.size());
  }();
}
BENCHMARK(BM_VocabularyLookup)->Unit(benchmark::kMillisecond);

void BM_Vectorize(benchmark::State& state) {
  const Fixture& data = Data();
  std::vector<int32_t> ids(kSequenceLength);
  sentiment::TextVectorization::Scratch scratch;
  for (auto _ : state) {
    for (const std::string& text : data.texts) {
      data.vectorizer.Vectorize(text, ids, scratch);
      benchmark::DoNotOptimize(ids.data());
    }
  }
  // Per token looked up (at most kSequenceLength a text).
  state.SetItemsProcessed(
      static_cast<int64_t>(state.iterations() * data.vectorized_tokens));
  state.counters["per_token"] = PerItem(data.vectorized_tokens);
}
BENCHMARK(BM_Vectorize)->Unit(benchmark::kMillisecond);

// The whole tokenizer (standardize + split + lookup) over every byte: the
// same vocabulary with a sequence length no review reaches, so no text is
// cut short. MB/s of raw text.
void BM_VectorizeWholeText(benchmark::State& state) {
  const Fixture& data = Data();
  const sentiment::TextVectorization whole(
      sentiment::VectorizerOptions{.max_tokens = kMaxTokens,
                                   .output_sequence_length = 4096},
      data.vectorizer.vocabulary());
  std::vector<int32_t> ids(4096);
  sentiment::TextVectorization::Scratch scratch;
  for (auto _ : state) {
    for (const std::string& text : data.texts) {
      whole.Vectorize(text, ids, scratch);
      benchmark::DoNotOptimize(ids.data());
    }
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * data.text_bytes));
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * data.tokens.size()));
  state.counters["per_token"] = PerItem(data.tokens.size());
}
BENCHMARK(BM_VectorizeWholeText)->Unit(benchmark::kMillisecond);

void BM_DropoutMasks(benchmark::State& state) {
  const Fixture& data = Data();
  const sentiment::NetworkConfig config = data.network_config();
  const sentiment::DropoutSampler sampler(config.dropout);
  std::vector<float> masks(static_cast<size_t>(config.sequence_length + 1) *
                           config.embedding_dim);
  uint64_t key = 0;
  for (auto _ : state) {
    for (int k = 0; k < kBatch; ++k) {
      sampler.Draw(key++, masks);
      benchmark::DoNotOptimize(masks.data());
    }
  }
}
BENCHMARK(BM_DropoutMasks)->Unit(benchmark::kMicrosecond);

// One training step's gradient as Fit computes it, on one thread: draw the
// masks, forward and backward every example, then merge the gradient
// (handed to `apply` a block of rows at a time).
void BatchStep(const sentiment::Network& network,
               const sentiment::VectorizedSet& set,
               const std::vector<size_t>& batch,
               sentiment::BatchGradients& gradients,
               const sentiment::DropoutSampler& sampler, uint64_t visit,
               const std::function<void(size_t, std::span<const float>)>& apply) {
  const sentiment::BatchTotals totals =
      gradients.Accumulate(network, set, batch, sampler, 42, visit, {});
  benchmark::DoNotOptimize(totals.loss_sum);
  gradients.ConsumeEmbedding(apply);
}

void BM_ForwardBackward(benchmark::State& state) {
  const Fixture& data = Data();
  const sentiment::NetworkConfig config = data.network_config();
  const sentiment::Network network = sentiment::Network::Initialize(config, 42);
  const sentiment::VectorizedSet set = data.set();
  sentiment::ThreadPool pool(1);
  sentiment::BatchGradients gradients(config, pool);
  const sentiment::DropoutSampler sampler(config.dropout);
  size_t b = 0;
  for (auto _ : state) {
    BatchStep(network, set, data.batch(b), gradients, sampler, b * kBatch,
              [](size_t, std::span<const float> rows) {
                benchmark::DoNotOptimize(rows.data());
              });
    ++b;
  }
  state.SetItemsProcessed(state.iterations() * kBatch);
}
BENCHMARK(BM_ForwardBackward)->Unit(benchmark::kMicrosecond);

sentiment::Adam MakeAdam(const sentiment::Network& network) {
  const sentiment::NetworkParameters& p = network.parameters();
  return sentiment::Adam(sentiment::AdamOptions{},
                         {static_cast<size_t>(p.embedding.size()),
                          static_cast<size_t>(p.dense_kernel.size()),
                          static_cast<size_t>(p.dense_bias.size())});
}

void BM_AdamStep(benchmark::State& state) {
  const Fixture& data = Data();
  const sentiment::NetworkConfig config = data.network_config();
  sentiment::Network network = sentiment::Network::Initialize(config, 42);
  sentiment::Adam adam = MakeAdam(network);
  sentiment::NetworkParameters& p = network.mutable_parameters();
  const std::vector<float> gradient(p.embedding.size(), 1e-3f);
  for (auto _ : state) {
    adam.BeginStep();
    adam.Apply(0, {p.embedding.data(), gradient.size()}, gradient);
    benchmark::ClobberMemory();
  }
  state.counters["parameters"] = static_cast<double>(network.parameter_count());
}
BENCHMARK(BM_AdamStep)->Unit(benchmark::kMicrosecond);

// Arguments: threads, sequence length (the first that many ids of each
// text). Flushes denormals as Fit does: without it the decaying Adam moments
// of untouched rows turn denormal after a few hundred iterations.
void BM_TrainStep(benchmark::State& state) {
  const sentiment::ScopedFlushDenormals flush_denormals;
  const Fixture& data = Data();
  const int threads = static_cast<int>(state.range(0));
  const size_t length = static_cast<size_t>(state.range(1));
  sentiment::NetworkConfig config = data.network_config();
  config.sequence_length = static_cast<int>(length);
  sentiment::VectorizedSet set = data.set();
  set.ids.clear();
  for (size_t i = 0; i < set.labels.size(); ++i) {
    const auto text = data.ids.begin() + static_cast<ptrdiff_t>(i * kSequenceLength);
    set.ids.insert(set.ids.end(), text, text + static_cast<ptrdiff_t>(length));
  }
  sentiment::Network network = sentiment::Network::Initialize(config, 42);
  sentiment::Adam adam = MakeAdam(network);
  sentiment::ThreadPool pool(threads);
  sentiment::BatchGradients gradients(config, pool);
  const sentiment::DropoutSampler sampler(config.dropout);
  float* embedding = network.mutable_parameters().embedding.data();
  const size_t dim = config.embedding_dim;
  size_t b = 0;
  for (auto _ : state) {
    adam.BeginStep();
    BatchStep(network, set, data.batch(b), gradients, sampler, b * kBatch,
              [&](size_t first_row, std::span<const float> rows) {
                adam.ApplyRange(0, first_row * dim,
                                {embedding + first_row * dim, rows.size()}, rows);
              });
    ++b;
  }
  state.SetItemsProcessed(state.iterations() * kBatch);
  state.counters["values"] =
      static_cast<double>(kBatch * length * static_cast<size_t>(kEmbeddingDim));
}
BENCHMARK(BM_TrainStep)
    ->ArgsProduct({{1, 2}, {32, 64, 96, 128, 250}})
    ->ArgNames({"threads", "length"})
    ->Unit(benchmark::kMicrosecond);

sentiment::TrainedModel MakeModel() {
  const Fixture& data = Data();
  return sentiment::TrainedModel{
      .class_names = {"neg", "pos"},
      .vectorizer = data.vectorizer,
      .network = sentiment::Network::Initialize(data.network_config(), 42),
      .options = {},
      .history = {}};
}

void BM_PredictLine(benchmark::State& state) {
  const Fixture& data = Data();
  const sentiment::ExportPipeline pipeline(MakeModel(),
                                           sentiment::Activation::kSigmoid);
  sentiment::ExportPipeline::Scratch scratch;
  size_t i = 0;
  size_t bytes = 0;
  float logit;
  for (auto _ : state) {
    const std::string& line = data.texts[i];
    bytes += line.size();
    pipeline.Logits(line, scratch, {&logit, 1});
    benchmark::DoNotOptimize(logit);
    if (++i == data.texts.size()) i = 0;
  }
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(static_cast<int64_t>(bytes));
}
BENCHMARK(BM_PredictLine);

void BM_DecodeBundle(benchmark::State& state) {
  const std::vector<uint8_t> bytes = sentiment::EncodeModelFile(
      sentiment::ModelFile{.model = MakeModel(),
                           .activation = sentiment::Activation::kSigmoid});
  for (auto _ : state) {
    sentiment::ModelFile file = sentiment::DecodeModelFile(bytes, "bench");
    benchmark::DoNotOptimize(file.model.network.parameters().embedding.data());
  }
  state.counters["tokens"] = Data().vectorizer.vocabulary().size();
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * bytes.size()));
}
BENCHMARK(BM_DecodeBundle)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
