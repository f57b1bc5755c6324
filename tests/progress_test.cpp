#include "sentiment/progress.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <sstream>
#include <string>

namespace sentiment {
namespace {

// A clock the test moves by hand.
struct FakeClock {
  double now = 100.0;
  Progress::Clock clock() {
    return [this] { return now; };
  }
};

TEST(ProgressTest, BarLooksLikeKeras) {
  EXPECT_EQ(Progress::Bar("", 245, 782, 0.5, "loss: 0.4821"),
            "245/782 [=========>....................] - ETA 1s - loss: 0.4821");
  EXPECT_EQ(Progress::Bar("Epoch 2/10", 5, 100, 1.0, ""),
            "Epoch 2/10   5/100 [=>............................] - ETA 19s");
  // Done: a full bar and no ETA.
  EXPECT_EQ(Progress::Bar("", 4, 4, 9.0, "loss: 1.0000"),
            "4/4 [==============================] - loss: 1.0000");
  EXPECT_EQ(Progress::Bar("", 1, 1000, 1.0, ""),
            "   1/1000 [>.............................] - ETA 16:39");
}

TEST(ProgressTest, NotATerminalWritesOnlyTheEndLinesWithoutCarriageReturns) {
  std::ostringstream out;
  FakeClock time;
  Progress progress(out, /*terminal=*/false, time.clock());
  progress.Begin("Epoch 1/1", 3);
  for (int i = 1; i <= 3; ++i) {
    time.now += 1.0;
    progress.Update(i, "loss: 0.5000");
  }
  progress.Status("Adapting...");
  progress.End("Epoch 1/1 - 3.00s - loss: 0.5000");
  progress.Line("Saved.");
  EXPECT_EQ(out.str(), "Epoch 1/1 - 3.00s - loss: 0.5000\nSaved.\n");
}

TEST(ProgressTest, TerminalRedrawsAtMostTenTimesASecond) {
  std::ostringstream out;
  FakeClock time;
  Progress progress(out, /*terminal=*/true, time.clock());
  progress.Begin("", 1000);
  int draws_expected = 0;
  for (int i = 1; i <= 1000; ++i) {
    time.now += 0.001;  // 1000 steps in one second
    progress.Update(i);
  }
  const std::string text = out.str();
  const size_t draws = std::count(text.begin(), text.end(), '\r');
  // The first update, then one per 0.1 s: about 10 in the second.
  draws_expected = 10;
  EXPECT_GE(draws, static_cast<size_t>(draws_expected));
  EXPECT_LE(draws, static_cast<size_t>(draws_expected + 1));
  EXPECT_EQ(text.find('\n'), std::string::npos);
}

TEST(ProgressTest, TerminalEndReplacesTheBarWithTheLine) {
  std::ostringstream out;
  FakeClock time;
  Progress progress(out, /*terminal=*/true, time.clock());
  progress.Begin("", 4);
  progress.Update(1, "loss: 0.7000");
  const std::string bar = Progress::Bar("", 1, 4, 0.0, "loss: 0.7000");
  EXPECT_EQ(out.str(), "\r" + bar);
  progress.End("done");
  // The line overwrites the bar, padded with spaces to its width.
  EXPECT_EQ(out.str(), "\r" + bar + "\rdone" + std::string(bar.size() - 4, ' ') + "\n");
  // A line with no bar on screen is plain.
  progress.Line("next");
  EXPECT_TRUE(out.str().ends_with("\nnext\n"));
}

// A task that ends by an exception leaves no bar for the error line.
TEST(ProgressTest, DestructionErasesABarStillDrawn) {
  std::ostringstream out;
  FakeClock time;
  {
    Progress progress(out, /*terminal=*/true, time.clock());
    progress.Begin("", 4);
    progress.Update(2);
  }
  const std::string bar = Progress::Bar("", 2, 4, 0.0, "");
  EXPECT_EQ(out.str(), "\r" + bar + "\r" + std::string(bar.size(), ' ') + "\r");
}

TEST(ProgressTest, EachTaskDrawsItsFirstUpdate) {
  std::ostringstream out;
  FakeClock time;
  Progress progress(out, /*terminal=*/true, time.clock());
  progress.Begin("a", 2);
  progress.Update(1);
  progress.End("a done");
  progress.Begin("b", 2);
  progress.Update(1);  // at once, still drawn: a new task
  EXPECT_NE(out.str().find("b 1/2"), std::string::npos);
}

}  // namespace
}  // namespace sentiment
