#include "unicode.h"

#include <utf8proc.h>

#include <algorithm>
#include <array>
#include <vector>

namespace sentiment {
namespace {

// Compatibility decomposition with full case folding (CaseFolding.txt status
// C and F) applied to each code point as it is decomposed, canonical
// ordering, then canonical composition: NFKC and case folding in one pass,
// and the result is in NFC (utf8proc_NFKC_Casefold without
// UTF8PROC_IGNORE, so default-ignorable code points stay).
constexpr auto kNormalization = static_cast<utf8proc_option_t>(
    UTF8PROC_STABLE | UTF8PROC_COMPAT | UTF8PROC_COMPOSE | UTF8PROC_CASEFOLD);

// Code points of scratch space a thread keeps between lines.
constexpr size_t kScratchKept = size_t{1} << 20;

constexpr std::array<utf8proc_int32_t, 6> kHtmlBreak = {'<', 'b', 'r', ' ', '/', '>'};

bool IsHtmlBreak(const utf8proc_int32_t* code_points, size_t length) {
  return length >= kHtmlBreak.size() &&
         std::equal(kHtmlBreak.begin(), kHtmlBreak.end(), code_points);
}

void AppendCodePoint(utf8proc_int32_t code_point, std::string& out) {
  utf8proc_uint8_t bytes[4];
  const utf8proc_ssize_t size = utf8proc_encode_char(code_point, bytes);
  out.append(reinterpret_cast<const char*>(bytes), static_cast<size_t>(size));
}

// Normalizes and case-folds the well-formed UTF-8 `run`, then appends it with
// "<br />" turned into a space, punctuation deleted and whitespace turned
// into spaces. `code_points` is scratch space, reused between calls.
void AppendRun(std::string_view run, std::vector<utf8proc_int32_t>& code_points,
               std::string& out) {
  const auto* bytes = reinterpret_cast<const utf8proc_uint8_t*>(run.data());
  const auto size = static_cast<utf8proc_ssize_t>(run.size());
  // A run has at most one code point per byte; decomposition can expand it
  // (U+FDFA becomes 18 code points), and then utf8proc asks for more room.
  if (code_points.size() < run.size()) code_points.resize(run.size());
  utf8proc_ssize_t length =
      utf8proc_decompose(bytes, size, code_points.data(),
                         static_cast<utf8proc_ssize_t>(code_points.size()), kNormalization);
  if (length > static_cast<utf8proc_ssize_t>(code_points.size())) {
    code_points.resize(static_cast<size_t>(length));
    length = utf8proc_decompose(bytes, size, code_points.data(), length, kNormalization);
  }
  if (length >= 0) {
    length = utf8proc_normalize_utf32(code_points.data(), length, kNormalization);
  }
  if (length < 0) {
    // utf8proc fails only on ill-formed input, which a run is not, or on
    // sizes near SSIZE_MAX / 8. Keep the run as it is rather than lose it.
    out.append(run);
    return;
  }
  const auto n = static_cast<size_t>(length);
  for (size_t i = 0; i < n; ++i) {
    const utf8proc_int32_t code_point = code_points[i];
    if (code_point == '<' && IsHtmlBreak(code_points.data() + i, n - i)) {
      out.push_back(' ');
      i += kHtmlBreak.size() - 1;
    } else if (IsUnicodeWhiteSpace(code_point)) {
      out.push_back(' ');
    } else if (!IsUnicodePunctuation(code_point)) {
      AppendCodePoint(code_point, out);
    }
  }
}

// The length of the longest well-formed UTF-8 prefix of bytes[0..n), as
// utf8proc_iterate reads it: Unicode's Table 3-7, so overlong forms,
// encoded surrogates and code points past U+10FFFF are ill-formed.
size_t WellFormedPrefix(const utf8proc_uint8_t* bytes, size_t n) {
  size_t i = 0;
  while (i < n) {
    if (bytes[i] < 0x80) {
      ++i;
      continue;
    }
    utf8proc_int32_t code_point;
    const utf8proc_ssize_t size =
        utf8proc_iterate(bytes + i, static_cast<utf8proc_ssize_t>(n - i), &code_point);
    if (size <= 0) break;
    i += static_cast<size_t>(size);
  }
  return i;
}

}  // namespace

bool IsUnicodeWhiteSpace(int32_t code_point) {
  if (code_point <= 0x20) return code_point == 0x20 || (code_point >= 0x09 && code_point <= 0x0D);
  if (code_point < 0x85) return false;
  return code_point == 0x85 || code_point == 0xA0 || code_point == 0x1680 ||
         (code_point >= 0x2000 && code_point <= 0x200A) || code_point == 0x2028 ||
         code_point == 0x2029 || code_point == 0x202F || code_point == 0x205F ||
         code_point == 0x3000;
}

bool IsUnicodePunctuation(int32_t code_point) {
  const utf8proc_category_t category = utf8proc_category(code_point);
  return category >= UTF8PROC_CATEGORY_PC && category <= UTF8PROC_CATEGORY_PO;
}

void StandardizeUnicode(std::string_view text, std::string& out) {
  out.clear();
  out.reserve(text.size());
  // Scratch per thread, so a line costs no allocation once it has grown.
  thread_local std::vector<utf8proc_int32_t> code_points;
  const auto* bytes = reinterpret_cast<const utf8proc_uint8_t*>(text.data());
  const size_t n = text.size();
  size_t i = 0;
  while (i < n) {
    const size_t run = WellFormedPrefix(bytes + i, n - i);
    if (run > 0) {
      AppendRun(text.substr(i, run), code_points, out);
      i += run;
    }
    // A byte that starts no well-formed sequence passes through unchanged;
    // decoding resumes at the next byte.
    if (i < n) out.push_back(text[i++]);
  }
  // Do not keep a huge line's scratch (4 bytes per byte) for the thread's life.
  if (code_points.capacity() > kScratchKept) std::vector<utf8proc_int32_t>().swap(code_points);
}

}  // namespace sentiment
