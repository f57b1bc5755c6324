// Nearest-name suggestions for mistyped commands and flags ("did you mean
// 'predict'?"). Pure string functions: the candidates come from the caller,
// which takes them from the CLI11 App objects so new flags are covered.
#ifndef SENTIMENT_CLI_SUGGESTIONS_H_
#define SENTIMENT_CLI_SUGGESTIONS_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sentiment::cli {

// The optimal string alignment distance between a and b (restricted
// Damerau-Levenshtein): insertions, deletions, substitutions and swaps of two
// adjacent characters each cost 1, no substring is edited twice. Compares
// bytes, case-sensitively.
int EditDistance(std::string_view a, std::string_view b);

// The candidate the user most likely meant by `word`, or nothing when none is
// close. Case is ignored and leading dashes do not count towards length. In
// order: a candidate equal to `word` but for case; the one candidate that
// `word` (at least 2 characters beyond its dashes) is a prefix of; the
// nearest candidate within EditDistance length/3 (length of `word` without
// dashes), the first in `candidates` on a tie. Short words (1 or 2
// characters) get no edit-distance suggestion: nearly everything is 1 edit
// from them.
std::optional<std::string> Suggest(std::string_view word,
                                   const std::vector<std::string>& candidates);

}  // namespace sentiment::cli

#endif  // SENTIMENT_CLI_SUGGESTIONS_H_
