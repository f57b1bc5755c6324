// Test helper for unicode_oracle_test.py: reads lines of hex-encoded bytes
// from stdin and writes, one line each, Standardize(bytes, kUnicode) in hex.
#include <iostream>
#include <string>

#include "sentiment/standardize.h"

namespace {

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

int main() {
  constexpr char kDigits[] = "0123456789abcdef";
  std::string line;
  std::string text;
  std::string out;
  std::string hex;
  while (std::getline(std::cin, line)) {
    text.clear();
    for (size_t i = 0; i + 1 < line.size(); i += 2) {
      const int high = HexDigit(line[i]);
      const int low = HexDigit(line[i + 1]);
      if (high < 0 || low < 0) {
        std::cerr << "not hex: " << line << "\n";
        return 2;
      }
      text.push_back(static_cast<char>(high * 16 + low));
    }
    sentiment::Standardize(text, sentiment::StandardizeMode::kUnicode, out);
    hex.clear();
    for (unsigned char c : out) {
      hex.push_back(kDigits[c >> 4]);
      hex.push_back(kDigits[c & 15]);
    }
    std::cout << hex << '\n';
  }
  return 0;
}
