#include "cli/suggestions.h"

#include <algorithm>
#include <cstddef>

namespace sentiment::cli {
namespace {

std::string Lowercase(std::string_view text) {
  std::string lower(text);
  for (char& c : lower) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return lower;
}

std::string_view WithoutDashes(std::string_view text) {
  const size_t first = text.find_first_not_of('-');
  return first == std::string_view::npos ? std::string_view()
                                         : text.substr(first);
}

}  // namespace

int EditDistance(std::string_view a, std::string_view b) {
  // d[i][j] is the distance between a's first i and b's first j characters,
  // kept as three rolling rows (the swap looks two rows back).
  const size_t columns = b.size() + 1;
  std::vector<int> before_previous(columns), previous(columns),
      current(columns);
  for (size_t j = 0; j < columns; ++j) previous[j] = static_cast<int>(j);
  for (size_t i = 1; i <= a.size(); ++i) {
    current[0] = static_cast<int>(i);
    for (size_t j = 1; j < columns; ++j) {
      const int substitution = a[i - 1] == b[j - 1] ? 0 : 1;
      current[j] = std::min({previous[j] + 1, current[j - 1] + 1,
                             previous[j - 1] + substitution});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        current[j] = std::min(current[j], before_previous[j - 2] + 1);
      }
    }
    std::swap(before_previous, previous);
    std::swap(previous, current);
  }
  return previous[b.size()];
}

std::optional<std::string> Suggest(std::string_view word,
                                   const std::vector<std::string>& candidates) {
  const std::string lower = Lowercase(word);
  const std::string_view body = WithoutDashes(lower);
  if (body.empty()) return std::nullopt;
  for (const std::string& candidate : candidates) {
    if (Lowercase(candidate) == lower) return candidate;
  }
  if (body.size() >= 2) {
    const std::string* only_extension = nullptr;
    int extensions = 0;
    for (const std::string& candidate : candidates) {
      const std::string candidate_lower = Lowercase(candidate);
      // The dashes must agree, so "--s" does not complete to "-s...".
      if (candidate_lower.size() > lower.size() &&
          candidate_lower.compare(0, lower.size(), lower) == 0) {
        only_extension = &candidate;
        ++extensions;
      }
    }
    if (extensions == 1) return *only_extension;
  }
  const int limit = static_cast<int>(body.size() / 3);
  const std::string* nearest = nullptr;
  int nearest_distance = limit + 1;
  for (const std::string& candidate : candidates) {
    const int distance = EditDistance(lower, Lowercase(candidate));
    if (distance < nearest_distance) {
      nearest = &candidate;
      nearest_distance = distance;
    }
  }
  if (nearest == nullptr) return std::nullopt;
  return *nearest;
}

}  // namespace sentiment::cli
