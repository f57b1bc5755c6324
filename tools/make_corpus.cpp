// make_corpus: writes a deterministic IMDB-scale labelled corpus for the
// benchmarks (see corpus_generator.h for what the documents look like):
//
//   DEST/train/{neg,pos}/ID_RATING.txt   DEST/test/{neg,pos}/ID_RATING.txt
//   DEST/train.ft  DEST/test.ft          the same documents as fastText input
//                                        ("__label__pos text", one a line)
//   DEST/predict.txt                     raw test documents, one a line,
//                                        repeated to at least M MB
//
// Usage: make_corpus --out DEST [--train N] [--test N] [--seed S]
//                    [--predict-lines-mb M] [--force]
// Prints one summary line on stdout.
#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>
#include <thread>
#include <vector>

#include "corpus_generator.h"

namespace fs = std::filesystem;

namespace {

constexpr const char* kClassNames[2] = {"neg", "pos"};
constexpr size_t kBlock = 4096;  // documents generated in parallel at a time

struct SplitStats {
  uint64_t documents = 0;
  uint64_t bytes = 0;
  uint64_t words = 0;
};

void WriteFile(const fs::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out.write(text.data(), static_cast<std::streamsize>(text.size()));
  if (!out) throw std::runtime_error("cannot write " + path.string());
}

// A document as one line: newlines and carriage returns become spaces.
std::string OneLine(const std::string& text) {
  std::string line = text;
  std::replace(line.begin(), line.end(), '\n', ' ');
  std::replace(line.begin(), line.end(), '\r', ' ');
  return line;
}

// Runs fn(i) for i in [begin, end) on `threads` threads.
template <typename Fn>
void ParallelFor(size_t begin, size_t end, unsigned threads, Fn&& fn) {
  std::vector<std::thread> workers;
  for (unsigned t = 0; t < threads; ++t) {
    workers.emplace_back([&, t] {
      for (size_t i = begin + t; i < end; i += threads) fn(i);
    });
  }
  for (std::thread& worker : workers) worker.join();
}

// Writes split `name` (stream `split`) of `count` documents: one file per
// document and the fastText file, in the order of generation.
SplitStats WriteSplit(const corpus::CorpusGenerator& generator, int split,
                      const std::string& name, uint64_t count,
                      const fs::path& dest, unsigned threads) {
  const fs::path root = dest / name;
  for (const char* class_name : kClassNames) {
    fs::create_directories(root / class_name);
  }
  const std::vector<int> labels = generator.Labels(split, count);
  // File ids count up within each class, as IMDB's do.
  std::vector<uint64_t> ids(count);
  uint64_t next_id[2] = {0, 0};
  for (uint64_t i = 0; i < count; ++i) ids[i] = next_id[labels[i]]++;

  std::ofstream ft(dest / (name + ".ft"), std::ios::binary);
  SplitStats stats;
  std::vector<corpus::Document> block(kBlock);
  for (uint64_t start = 0; start < count; start += kBlock) {
    const uint64_t end = std::min<uint64_t>(count, start + kBlock);
    ParallelFor(start, end, threads, [&](size_t i) {
      corpus::Document& doc = block[i - start];
      doc = generator.Make(split, i, labels[i]);
      WriteFile(root / kClassNames[doc.label] /
                    (std::to_string(ids[i]) + "_" +
                     std::to_string(doc.rating) + ".txt"),
                doc.text);
    });
    for (uint64_t i = start; i < end; ++i) {
      const corpus::Document& doc = block[i - start];
      ft << "__label__" << kClassNames[doc.label] << ' ' << OneLine(doc.text)
         << '\n';
      ++stats.documents;
      stats.bytes += doc.text.size();
      stats.words += static_cast<uint64_t>(doc.words);
    }
  }
  ft.flush();
  if (!ft) throw std::runtime_error("cannot write " + name + ".ft");
  return stats;
}

// Writes test documents one a line, cycling through them, until at least
// `megabytes` * 10^6 bytes. Returns {lines, bytes}.
std::pair<uint64_t, uint64_t> WritePredictLines(
    const corpus::CorpusGenerator& generator, uint64_t test_count,
    double megabytes, const fs::path& path) {
  std::ofstream out(path, std::ios::binary);
  const std::vector<int> labels = generator.Labels(1, test_count);
  const uint64_t target = static_cast<uint64_t>(megabytes * 1e6);
  uint64_t lines = 0;
  uint64_t bytes = 0;
  for (uint64_t i = 0; bytes < target; i = (i + 1) % test_count) {
    const std::string line = OneLine(generator.Make(1, i, labels[i]).text);
    out << line << '\n';
    bytes += line.size() + 1;
    ++lines;
  }
  out.flush();
  if (!out) throw std::runtime_error("cannot write " + path.string());
  return {lines, bytes};
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{
      "make_corpus: write a deterministic synthetic IMDB-like corpus in class "
      "folders (DEST/train, DEST/test), as fastText input (DEST/train.ft, "
      "DEST/test.ft) and as predict input (DEST/predict.txt)."};
  std::string out;
  uint64_t train = 25000;
  uint64_t test = 25000;
  uint64_t seed = 1;
  double predict_mb = 64;
  bool force = false;
  unsigned threads = std::max(1u, std::thread::hardware_concurrency());
  app.add_option("--out", out, "Destination folder")->required();
  app.add_option("--train", train, "Training documents (balanced)")
      ->capture_default_str()->check(CLI::PositiveNumber);
  app.add_option("--test", test, "Test documents (balanced)")
      ->capture_default_str()->check(CLI::PositiveNumber);
  app.add_option("--seed", seed, "Seed: the same seed writes the same bytes")
      ->capture_default_str();
  app.add_option("--predict-lines-mb", predict_mb,
                 "Write DEST/predict.txt with at least this many MB (10^6 "
                 "bytes) of test documents, one a line; 0 to skip")
      ->capture_default_str()->check(CLI::NonNegativeNumber);
  app.add_option("--threads", threads, "Generator threads (output is the same)")
      ->capture_default_str()->check(CLI::PositiveNumber);
  app.add_flag("--force", force,
               "Replace DEST/train, DEST/test and the .ft/predict files if "
               "they exist");
  CLI11_PARSE(app, argc, argv);

  try {
    const auto started = std::chrono::steady_clock::now();
    const fs::path dest(out);
    for (const char* name : {"train", "test"}) {
      if (fs::exists(dest / name)) {
        if (!force) {
          std::cerr << "make_corpus: " << (dest / name).string()
                    << " exists; pass --force to replace it\n";
          return 2;
        }
        fs::remove_all(dest / name);
      }
    }
    for (const char* name : {"train.ft", "test.ft", "predict.txt"}) {
      fs::remove(dest / name);
    }
    fs::create_directories(dest);

    const corpus::CorpusGenerator generator(seed);
    const SplitStats train_stats =
        WriteSplit(generator, 0, "train", train, dest, threads);
    const SplitStats test_stats =
        WriteSplit(generator, 1, "test", test, dest, threads);
    std::string predict;
    if (predict_mb > 0) {
      const auto [lines, bytes] =
          WritePredictLines(generator, test, predict_mb, dest / "predict.txt");
      char buffer[128];
      std::snprintf(buffer, sizeof buffer, "; predict.txt %.1f MB (%llu lines)",
                    bytes / 1e6, static_cast<unsigned long long>(lines));
      predict = buffer;
    }
    const double seconds = std::chrono::duration<double>(
                               std::chrono::steady_clock::now() - started)
                               .count();
    const uint64_t docs = train_stats.documents + test_stats.documents;
    std::printf(
        "make_corpus: %llu train + %llu test documents, %.1f + %.1f MB, mean "
        "%.1f words%s; seed %llu -> %s (%.1f s)\n",
        static_cast<unsigned long long>(train_stats.documents),
        static_cast<unsigned long long>(test_stats.documents),
        train_stats.bytes / 1e6, test_stats.bytes / 1e6,
        static_cast<double>(train_stats.words + test_stats.words) /
            static_cast<double>(docs),
        predict.c_str(), static_cast<unsigned long long>(seed),
        dest.string().c_str(), seconds);
  } catch (const std::exception& e) {
    std::cerr << "make_corpus: " << e.what() << "\n";
    return 4;
  }
  return 0;
}
