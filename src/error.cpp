#include "sentiment/error.h"

namespace sentiment {

std::string OneLine(std::string_view message) {
  std::string line;
  line.reserve(message.size());
  for (const char c : message) {
    const auto byte = static_cast<unsigned char>(c);
    if (c == '\n') {
      line += "\\n";
    } else if (c == '\t') {
      line += "\\t";
    } else if (c == '\r') {
      line += "\\r";
    } else if (byte < 0x20 || byte == 0x7f) {
      static constexpr char kHex[] = "0123456789abcdef";
      line += "\\x";
      line += kHex[byte >> 4];
      line += kHex[byte & 15];
    } else {
      line += c;
    }
  }
  return line;
}

int ExitCode(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::kInvalidInput:
      return 2;
    case ErrorKind::kBadModelFile:
      return 3;
    case ErrorKind::kIo:
      return 4;
  }
  return 1;
}

}  // namespace sentiment
