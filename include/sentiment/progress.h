// Progress on the log stream. On a terminal, a Keras-like bar redrawn in
// place (`245/782 [=======>......] - ETA 1s - loss: 0.4821`), at most ten
// times a second; elsewhere only the lines that end each task, with no
// carriage return, so a log file reads as before.
#ifndef SENTIMENT_PROGRESS_H_
#define SENTIMENT_PROGRESS_H_

#include <cstdint>
#include <functional>
#include <iosfwd>
#include <string>
#include <string_view>

namespace sentiment {

// Told that `done` steps of a task are done (files read, texts counted), so
// that library work can drive a Progress bar without knowing about it.
using StepsDone = std::function<void(int64_t done)>;

class Progress {
 public:
  // Seconds from any fixed origin, never decreasing.
  using Clock = std::function<double()>;
  // std::chrono::steady_clock in seconds.
  static double SteadySeconds();
  // Least time between two redraws of a bar.
  static constexpr double kRedrawInterval = 0.1;
  // Width of the bar between its brackets, as Keras's.
  static constexpr int kBarWidth = 30;

  // Writes to `out`, which must outlive this; `terminal` says whether it is
  // one (isatty), and so whether bars are drawn at all.
  Progress(std::ostream& out, bool terminal, Clock clock = SteadySeconds);
  // Erases a bar still drawn (a task that ended by an exception), so an
  // error line written next starts a clean line.
  ~Progress();
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;

  bool terminal() const { return terminal_; }

  // Writes `text` and a newline, first replacing a bar being drawn.
  void Line(std::string_view text);

  // Starts a task of `total` steps, its bar prefixed by `label` (may be
  // empty). Draws nothing yet.
  void Begin(std::string label, int64_t total);

  // `done` of the task's steps are done; `suffix` follows the ETA (for
  // example "loss: 0.4821"). On a terminal the bar is redrawn when
  // kRedrawInterval has passed since the last draw (the first Update always
  // draws); elsewhere nothing is written.
  void Update(int64_t done, std::string_view suffix = {});

  // On a terminal, shows `text` in place of any bar until the next draw or
  // line (for a step without a count); elsewhere nothing.
  void Status(std::string_view text);

  // Ends the task: the bar, if drawn, is replaced by `line` (Line).
  void End(std::string_view line) { Line(line); }

  // The bar's text for `done` of `total` steps, `elapsed` seconds in, without
  // a carriage return: `label 245/782 [=======>.....] - ETA 1s - suffix`.
  static std::string Bar(std::string_view label, int64_t done, int64_t total,
                         double elapsed, std::string_view suffix);

 private:
  void Draw(const std::string& text);

  std::ostream& out_;
  bool terminal_;
  Clock clock_;
  std::string label_;
  int64_t total_ = 0;
  double start_ = 0.0;
  double last_draw_ = 0.0;
  bool drawn_ = false;       // a draw happened in this task
  size_t shown_width_ = 0;   // characters of the bar now on screen, 0 if none
};

}  // namespace sentiment

#endif  // SENTIMENT_PROGRESS_H_
