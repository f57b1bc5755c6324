#include "sentiment/progress.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <ostream>
#include <utility>

namespace sentiment {
namespace {

// Keras's format: 7s, 1:05, 1:02:05.
std::string FormatEta(double seconds) {
  const int64_t s = static_cast<int64_t>(seconds + 0.5);
  char buffer[64];
  if (s < 60) {
    std::snprintf(buffer, sizeof buffer, "%llds", static_cast<long long>(s));
  } else if (s < 3600) {
    std::snprintf(buffer, sizeof buffer, "%lld:%02lld",
                  static_cast<long long>(s / 60), static_cast<long long>(s % 60));
  } else {
    std::snprintf(buffer, sizeof buffer, "%lld:%02lld:%02lld",
                  static_cast<long long>(s / 3600),
                  static_cast<long long>(s / 60 % 60),
                  static_cast<long long>(s % 60));
  }
  return buffer;
}

}  // namespace

double Progress::SteadySeconds() {
  return std::chrono::duration<double>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

Progress::Progress(std::ostream& out, bool terminal, Clock clock)
    : out_(out), terminal_(terminal), clock_(std::move(clock)) {}

Progress::~Progress() {
  if (shown_width_ > 0) {
    out_ << '\r' << std::string(shown_width_, ' ') << '\r' << std::flush;
  }
}

std::string Progress::Bar(std::string_view label, int64_t done, int64_t total,
                          double elapsed, std::string_view suffix) {
  total = std::max<int64_t>(total, 1);
  done = std::clamp<int64_t>(done, 0, total);
  const std::string total_text = std::to_string(total);
  std::string done_text = std::to_string(done);
  done_text.insert(0, total_text.size() - done_text.size(), ' ');
  std::string text(label);
  if (!text.empty()) text += ' ';
  text += done_text + "/" + total_text + " [";
  const int filled = static_cast<int>(kBarWidth * done / total);
  for (int i = 0; i < kBarWidth; ++i) {
    text += i < filled ? '=' : (i == filled && done < total ? '>' : '.');
  }
  text += "]";
  if (done > 0 && done < total) {
    text += " - ETA " + FormatEta(elapsed / static_cast<double>(done) *
                                  static_cast<double>(total - done));
  }
  if (!suffix.empty()) {
    text += " - ";
    text += suffix;
  }
  return text;
}

void Progress::Line(std::string_view text) {
  if (shown_width_ > 0) {
    out_ << '\r' << text;
    if (text.size() < shown_width_) {
      out_ << std::string(shown_width_ - text.size(), ' ');
    }
    shown_width_ = 0;
  } else {
    out_ << text;
  }
  out_ << '\n' << std::flush;
}

void Progress::Begin(std::string label, int64_t total) {
  label_ = std::move(label);
  total_ = total;
  start_ = clock_();
  drawn_ = false;
}

void Progress::Update(int64_t done, std::string_view suffix) {
  if (!terminal_) return;
  const double now = clock_();
  if (drawn_ && now - last_draw_ < kRedrawInterval) return;
  drawn_ = true;
  last_draw_ = now;
  Draw(Bar(label_, done, total_, now - start_, suffix));
}

void Progress::Status(std::string_view text) {
  if (terminal_) Draw(std::string(text));
}

void Progress::Draw(const std::string& text) {
  out_ << '\r' << text;
  if (text.size() < shown_width_) {
    out_ << std::string(shown_width_ - text.size(), ' ');
  }
  shown_width_ = std::max(text.size(), size_t{1});
  out_ << std::flush;
}

}  // namespace sentiment
