#include "flag_text.h"

#include <map>

namespace sentiment {
namespace {

std::map<std::string, std::string>& Given() {
  static std::map<std::string, std::string> given;
  return given;
}

}  // namespace

void RecordFlagText(const std::string& flag, const std::string& text) {
  Given()[flag] = text;
}

std::string WithFlagTextAsGiven(const std::string& message) {
  constexpr std::string_view kGot = ", got ";
  const size_t got = message.rfind(kGot);
  // ParseNumber's messages quote the text already: 'abc'.
  if (got == std::string::npos || message.compare(got + kGot.size(), 1, "'") == 0) {
    return message;
  }
  for (const auto& [flag, text] : Given()) {
    if (message.starts_with(flag + " ")) {
      return message.substr(0, got + kGot.size()) + text;
    }
  }
  return message;
}

}  // namespace sentiment
