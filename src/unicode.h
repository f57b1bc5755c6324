// The Unicode rules behind StandardizeMode::kUnicode, on utf8proc. Private:
// the public entry points are Standardize() and Tokenizer::ForEachToken().
#ifndef SENTIMENT_SRC_UNICODE_H_
#define SENTIMENT_SRC_UNICODE_H_

#include <cstdint>
#include <string>
#include <string_view>

namespace sentiment {

// True for the 25 code points with the Unicode White_Space property
// (PropList.txt, unchanged since Unicode 6.3):
//   0009..000D  Cc  <control-0009>..<control-000D>
//   0020        Zs  SPACE
//   0085        Cc  <control-0085>
//   00A0        Zs  NO-BREAK SPACE
//   1680        Zs  OGHAM SPACE MARK
//   2000..200A  Zs  EN QUAD..HAIR SPACE
//   2028        Zl  LINE SEPARATOR
//   2029        Zp  PARAGRAPH SEPARATOR
//   202F        Zs  NARROW NO-BREAK SPACE
//   205F        Zs  MEDIUM MATHEMATICAL SPACE
//   3000        Zs  IDEOGRAPHIC SPACE
// utf8proc has general categories but no White_Space property, so the list
// is explicit; it equals categories Zs, Zl and Zp plus the six controls
// (a test checks that against utf8proc's tables).
bool IsUnicodeWhiteSpace(int32_t code_point);

// True for the code points of general category P* (Pc, Pd, Ps, Pe, Pi, Pf,
// Po) in utf8proc's Unicode version. Symbols (S*) are not punctuation:
// ASCII $ + < = > ^ ` | ~ are Sm, Sc or Sk and stay.
bool IsUnicodePunctuation(int32_t code_point);

// Standardize() for StandardizeMode::kUnicode; see its comment in
// sentiment/standardize.h. Writes to `out` (cleared first).
void StandardizeUnicode(std::string_view text, std::string& out);

}  // namespace sentiment

#endif  // SENTIMENT_SRC_UNICODE_H_
