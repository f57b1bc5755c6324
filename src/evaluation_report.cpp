#include "sentiment/evaluation_report.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <nlohmann/json.hpp>
#include <numeric>
#include <utility>

#include "sentiment/activation.h"
#include "sentiment/data_file.h"
#include "sentiment/error.h"
#include "sentiment/loss.h"
#include "sentiment/network.h"

namespace sentiment {
namespace {

constexpr int kCalibrationBins = 15;
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

double Ratio(double numerator, double denominator) {
  return denominator == 0.0 ? 0.0 : numerator / denominator;
}

// The bin of a top-class probability: the smallest b in [1, 15] with
// p <= b / 15, so bin b holds (b-1)/15 < p <= b/15 (p = 0 falls in bin 1).
int CalibrationBin(double p) {
  for (int b = 1; b < kCalibrationBins; ++b) {
    if (p <= static_cast<double>(b) / kCalibrationBins) return b;
  }
  return kCalibrationBins;
}

// Accumulates, one example at a time, everything but the ranks.
struct Tally {
  explicit Tally(int classes)
      : confusion(classes, std::vector<int64_t>(classes, 0)),
        bin_count(kCalibrationBins + 1, 0),
        bin_correct(kCalibrationBins + 1, 0),
        bin_probability(kCalibrationBins + 1, 0.0) {}

  std::vector<std::vector<int64_t>> confusion;
  double loss_sum = 0.0;
  double brier_sum = 0.0;
  std::vector<int64_t> bin_count;  // indexed by bin, 1..15
  std::vector<int64_t> bin_correct;
  std::vector<double> bin_probability;
};

void ScoreClasses(EvaluationReport& report,
                  const std::vector<std::string>& class_names) {
  const size_t classes = class_names.size();
  int64_t total = 0;
  for (size_t k = 0; k < classes; ++k) {
    int64_t support = 0, predicted = 0;
    for (size_t j = 0; j < classes; ++j) {
      support += report.confusion[k][j];
      predicted += report.confusion[j][k];
    }
    const double tp = static_cast<double>(report.confusion[k][k]);
    ClassScores scores;
    scores.name = class_names[k];
    scores.support = support;
    scores.precision = Ratio(tp, static_cast<double>(predicted));
    scores.recall = Ratio(tp, static_cast<double>(support));
    scores.f1 = Ratio(2.0 * tp, static_cast<double>(support + predicted));
    report.classes.push_back(scores);
    total += support;
  }
  const double k = static_cast<double>(classes);
  for (const ClassScores& scores : report.classes) {
    report.macro.precision += scores.precision / k;
    report.macro.recall += scores.recall / k;
    report.macro.f1 += scores.f1 / k;
    const double weight = Ratio(static_cast<double>(scores.support),
                                static_cast<double>(total));
    report.weighted.precision += scores.precision * weight;
    report.weighted.recall += scores.recall * weight;
    report.weighted.f1 += scores.f1 * weight;
  }
}

double ExpectedCalibrationError(const Tally& tally, int64_t examples) {
  double ece = 0.0;
  for (int b = 1; b <= kCalibrationBins; ++b) {
    if (tally.bin_count[b] == 0) continue;
    const double count = static_cast<double>(tally.bin_count[b]);
    const double gap =
        static_cast<double>(tally.bin_correct[b]) / count -
        tally.bin_probability[b] / count;
    ece += count / static_cast<double>(examples) * std::abs(gap);
  }
  return ece;
}

// Binary: ROC-AUC of the second class's probability; K > 2: the mean of the
// one-vs-rest ROC-AUCs, empty if any is undefined.
std::optional<double> MacroRocAuc(std::span<const int32_t> labels,
                                  const std::vector<float>& probabilities,
                                  size_t classes) {
  const size_t n = labels.size();
  std::vector<double> scores(n);
  std::vector<bool> positive(n);
  const size_t first = classes == 2 ? 1 : 0;
  double sum = 0.0;
  for (size_t k = first; k < classes; ++k) {
    for (size_t i = 0; i < n; ++i) {
      scores[i] = probabilities[i * classes + k];
      positive[i] = labels[i] == static_cast<int32_t>(k);
    }
    const std::optional<double> auc = RocAuc(scores, positive);
    if (!auc) return std::nullopt;
    sum += *auc;
  }
  return sum / static_cast<double>(classes - first);
}

}  // namespace

std::optional<double> RocAuc(std::span<const double> scores,
                             const std::vector<bool>& positive) {
  const size_t n = scores.size();
  std::vector<size_t> order(n);
  std::iota(order.begin(), order.end(), size_t{0});
  std::sort(order.begin(), order.end(),
            [&](size_t a, size_t b) { return scores[a] < scores[b]; });
  // Sum of the positives' ranks (1-based), a tied run sharing its mean rank.
  double positive_rank_sum = 0.0;
  double positives = 0.0;
  for (size_t begin = 0; begin < n;) {
    size_t end = begin + 1;
    while (end < n && scores[order[end]] == scores[order[begin]]) ++end;
    const double mean_rank = (static_cast<double>(begin + 1 + end)) / 2.0;
    for (size_t i = begin; i < end; ++i) {
      if (positive[order[i]]) {
        positive_rank_sum += mean_rank;
        positives += 1.0;
      }
    }
    begin = end;
  }
  const double negatives = static_cast<double>(n) - positives;
  if (positives == 0.0 || negatives == 0.0) return std::nullopt;
  return (positive_rank_sum - positives * (positives + 1.0) / 2.0) /
         (positives * negatives);
}

EvaluationReport MakeEvaluationReport(
    std::span<const int32_t> labels, std::span<const float> logits,
    const std::vector<std::string>& class_names, float temperature) {
  const size_t classes = class_names.size();
  if (classes < 2) {
    throw InvalidInput("an evaluation report needs at least 2 classes, got " +
                       std::to_string(classes));
  }
  const size_t outputs =
      static_cast<size_t>(OutputsForClasses(static_cast<int>(classes)));
  const size_t n = labels.size();
  if (logits.size() != n * outputs) {
    throw InvalidInput("evaluation report: " + std::to_string(logits.size()) +
                       " logits for " + std::to_string(n) + " examples of " +
                       std::to_string(outputs) + " each");
  }
  Tally tally(static_cast<int>(classes));
  std::vector<float> probabilities(n * classes);
  std::vector<float> scaled;  // logits / temperature, for the loss
  for (size_t i = 0; i < n; ++i) {
    const int32_t label = labels[i];
    if (label < 0 || static_cast<size_t>(label) >= classes) {
      throw InvalidInput("evaluation report: label " + std::to_string(label) +
                         " is not one of " + std::to_string(classes) +
                         " classes");
    }
    const std::span<const float> row = logits.subspan(i * outputs, outputs);
    const std::span<float> p(probabilities.data() + i * classes, classes);
    ClassProbabilities(row, p, temperature);
    const int predicted = PredictedClass(row);
    ++tally.confusion[label][predicted];
    if (temperature == 1.0f) {
      tally.loss_sum += LossFromLogits(row, label);
    } else {
      scaled.assign(row.begin(), row.end());
      for (float& z : scaled) z /= temperature;
      tally.loss_sum += LossFromLogits(scaled, label);
    }
    if (classes == 2) {
      const double gap = static_cast<double>(p[1]) - (label == 1 ? 1.0 : 0.0);
      tally.brier_sum += gap * gap;
    } else {
      for (size_t k = 0; k < classes; ++k) {
        const double gap = static_cast<double>(p[k]) -
                           (static_cast<size_t>(label) == k ? 1.0 : 0.0);
        tally.brier_sum += gap * gap;
      }
    }
    const double top = p[static_cast<size_t>(predicted)];
    const int bin = CalibrationBin(top);
    ++tally.bin_count[bin];
    tally.bin_correct[bin] += predicted == label;
    tally.bin_probability[bin] += top;
  }

  EvaluationReport report;
  report.examples = static_cast<int64_t>(n);
  report.confusion = tally.confusion;
  ScoreClasses(report, class_names);
  if (n == 0) {
    report.accuracy = report.loss = report.brier = report.ece = kNaN;
    return report;
  }
  int64_t correct = 0;
  for (size_t k = 0; k < classes; ++k) correct += tally.confusion[k][k];
  const double count = static_cast<double>(n);
  report.accuracy = static_cast<double>(correct) / count;
  report.loss = tally.loss_sum / count;
  report.brier = tally.brier_sum / count;
  report.ece = ExpectedCalibrationError(tally, report.examples);
  report.roc_auc = MacroRocAuc(labels, probabilities, classes);
  return report;
}

namespace {

// Code points of valid UTF-8 (continuation bytes do not count).
size_t DisplayLength(const std::string& text) {
  size_t length = 0;
  for (unsigned char c : text) length += (c & 0xC0) != 0x80;
  return length;
}

// `text` padded with spaces to `width` code points, on the left (right
// aligned) or on the right.
std::string Pad(const std::string& text, size_t width, bool right_align) {
  const size_t length = DisplayLength(text);
  const std::string spaces(width > length ? width - length : 0, ' ');
  return right_align ? spaces + text : text + spaces;
}

std::string Fixed(double value) {
  if (std::isnan(value)) return "n/a";
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.4f", value);
  return buffer;
}

}  // namespace

std::string FormatEvaluationReport(const EvaluationReport& report) {
  std::vector<std::string> names;
  for (const ClassScores& scores : report.classes) {
    names.push_back(EscapeForMessage(scores.name));
  }
  std::string text;
  // The table: scikit-learn's classification_report layout, 4 digits.
  const std::string weighted_label = "weighted avg";
  size_t name_width = weighted_label.size();
  for (const std::string& name : names) {
    name_width = std::max(name_width, DisplayLength(name));
  }
  constexpr size_t kColumn = 10;
  const auto row = [&](const std::string& label, double precision,
                       double recall, double f1, int64_t support) {
    text += Pad(label, name_width, true) + Pad(Fixed(precision), kColumn, true) +
            Pad(Fixed(recall), kColumn, true) + Pad(Fixed(f1), kColumn, true) +
            Pad(std::to_string(support), kColumn, true) + "\n";
  };
  text += "\n" + std::string(name_width, ' ') + Pad("precision", kColumn, true) +
          Pad("recall", kColumn, true) + Pad("f1-score", kColumn, true) +
          Pad("support", kColumn, true) + "\n\n";
  for (size_t k = 0; k < names.size(); ++k) {
    const ClassScores& s = report.classes[k];
    row(names[k], s.precision, s.recall, s.f1, s.support);
  }
  text += "\n";
  row("macro avg", report.macro.precision, report.macro.recall,
      report.macro.f1, report.examples);
  row(weighted_label, report.weighted.precision, report.weighted.recall,
      report.weighted.f1, report.examples);

  // The confusion matrix: rows true class, columns predicted class.
  const std::string corner = "true \\ predicted";
  size_t label_width = corner.size();
  for (const std::string& name : names) {
    label_width = std::max(label_width, DisplayLength(name));
  }
  std::vector<size_t> widths;
  for (size_t j = 0; j < names.size(); ++j) {
    size_t width = DisplayLength(names[j]);
    for (const auto& counts : report.confusion) {
      width = std::max(width, std::to_string(counts[j]).size());
    }
    widths.push_back(width);
  }
  text += "\n" + Pad(corner, label_width, false);
  for (size_t j = 0; j < names.size(); ++j) {
    text += "  " + Pad(names[j], widths[j], true);
  }
  text += "\n";
  for (size_t t = 0; t < names.size(); ++t) {
    text += Pad(names[t], label_width, false);
    for (size_t j = 0; j < names.size(); ++j) {
      text += "  " + Pad(std::to_string(report.confusion[t][j]), widths[j], true);
    }
    text += "\n";
  }

  text += "\nlog-loss " + Fixed(report.loss) + " - brier " +
          Fixed(report.brier) + " - ece " + Fixed(report.ece) + " - roc_auc " +
          (report.roc_auc ? Fixed(*report.roc_auc) : std::string("n/a")) +
          "\n";
  return text;
}

namespace {

nlohmann::ordered_json Number(double value) {
  if (!std::isfinite(value)) return nullptr;
  return value;
}

nlohmann::ordered_json AverageJson(const AverageScores& scores) {
  return {{"precision", Number(scores.precision)},
          {"recall", Number(scores.recall)},
          {"f1", Number(scores.f1)}};
}

}  // namespace

std::string EvaluationReportJson(const EvaluationReport& report) {
  nlohmann::ordered_json classes = nlohmann::ordered_json::array();
  for (const ClassScores& scores : report.classes) {
    nlohmann::ordered_json entry = {{"name", scores.name},
                                    {"precision", Number(scores.precision)},
                                    {"recall", Number(scores.recall)},
                                    {"f1", Number(scores.f1)},
                                    {"support", scores.support}};
    classes.push_back(std::move(entry));
  }
  nlohmann::ordered_json json = {
      {"examples", report.examples},
      {"accuracy", Number(report.accuracy)},
      {"loss", Number(report.loss)},
      {"brier", Number(report.brier)},
      {"ece", Number(report.ece)},
      {"roc_auc", report.roc_auc ? Number(*report.roc_auc)
                                 : nlohmann::ordered_json(nullptr)},
      {"confusion", report.confusion},
      {"classes", std::move(classes)},
      {"macro", AverageJson(report.macro)},
      {"weighted", AverageJson(report.weighted)},
  };
  return json.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

}  // namespace sentiment
