#include "sentiment/term_splitter.h"

#include <string>

#include "sentiment/error.h"

namespace sentiment {

TermSplitter::TermSplitter(StandardizeMode mode, int ngrams)
    : tokenizer_(mode), ngrams_(ngrams) {
  if (ngrams < 1 || ngrams > kMaxNgrams) {
    throw InvalidInput("--ngrams must be between 1 and " +
                       std::to_string(kMaxNgrams) + ", got " +
                       std::to_string(ngrams));
  }
}

}  // namespace sentiment
