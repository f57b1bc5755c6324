// tokenize_floor: the floor for the benchmarks. Reads every regular file
// under the given paths (folders are walked recursively, files read as
// given) and counts whitespace-separated tokens after ASCII-lowercasing,
// one thread, no model: the least work any classifier of these files does.
//
// Usage: tokenize_floor PATH...
// Prints: files N bytes N tokens N seconds S MB/s R checksum C (seconds
// measured inside, from the first read to the last).
#include <fcntl.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <vector>

namespace fs = std::filesystem;

namespace {

struct Totals {
  uint64_t files = 0;
  uint64_t bytes = 0;
  uint64_t tokens = 0;
  uint64_t checksum = 0;  // keeps the lowercasing from being optimized away
};

bool IsSpace(unsigned char c) { return c == ' ' || (c >= '\t' && c <= '\r'); }

// Lowercases and counts tokens in one pass; `in_token` carries a token across
// read boundaries.
void Scan(char* data, size_t size, bool& in_token, Totals& totals) {
  uint64_t tokens = 0;
  uint64_t checksum = 0;
  for (size_t i = 0; i < size; ++i) {
    unsigned char c = static_cast<unsigned char>(data[i]);
    if (c >= 'A' && c <= 'Z') c = static_cast<unsigned char>(c + 32);
    data[i] = static_cast<char>(c);
    checksum += c;
    const bool space = IsSpace(c);
    tokens += !space && !in_token;
    in_token = !space;
  }
  totals.tokens += tokens;
  totals.checksum += checksum;
}

bool ReadFile(const char* path, std::vector<char>& buffer, Totals& totals) {
  const int fd = open(path, O_RDONLY);
  if (fd < 0) return false;
  bool in_token = false;
  for (;;) {
    const ssize_t got = read(fd, buffer.data(), buffer.size());
    if (got < 0) {
      close(fd);
      return false;
    }
    if (got == 0) break;
    Scan(buffer.data(), static_cast<size_t>(got), in_token, totals);
    totals.bytes += static_cast<uint64_t>(got);
  }
  close(fd);
  ++totals.files;
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: tokenize_floor PATH...\n");
    return 2;
  }
  std::vector<char> buffer(1 << 20);
  Totals totals;
  const auto started = std::chrono::steady_clock::now();
  try {
    for (int a = 1; a < argc; ++a) {
      const fs::path root(argv[a]);
      std::vector<fs::path> files;
      if (fs::is_directory(root)) {
        for (const fs::directory_entry& entry :
             fs::recursive_directory_iterator(root)) {
          if (entry.is_regular_file()) files.push_back(entry.path());
        }
      } else {
        files.push_back(root);
      }
      for (const fs::path& file : files) {
        if (!ReadFile(file.c_str(), buffer, totals)) {
          std::fprintf(stderr, "tokenize_floor: cannot read %s\n", file.c_str());
          return 4;
        }
      }
    }
  } catch (const fs::filesystem_error& e) {
    std::fprintf(stderr, "tokenize_floor: %s\n", e.what());
    return 4;
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started)
          .count();
  std::printf(
      "files %llu bytes %llu tokens %llu seconds %.4f MB/s %.1f checksum %llu\n",
      static_cast<unsigned long long>(totals.files),
      static_cast<unsigned long long>(totals.bytes),
      static_cast<unsigned long long>(totals.tokens), seconds,
      totals.bytes / 1e6 / seconds,
      static_cast<unsigned long long>(totals.checksum));
  return 0;
}
