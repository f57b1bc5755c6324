// The evaluation report: per-class precision, recall, F1 and support, their
// macro and support-weighted averages, the confusion matrix, and the
// probabilistic scores (log-loss, Brier score, expected calibration error,
// ROC-AUC), computed from the labels and the network's logits alone, so
// tests need no files. Follows scikit-learn's definitions
// (precision_recall_fscore_support with zero_division=0, confusion_matrix,
// roc_auc_score) unless a field's comment says otherwise.
#ifndef SENTIMENT_EVALUATION_REPORT_H_
#define SENTIMENT_EVALUATION_REPORT_H_

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace sentiment {

struct ClassScores {
  std::string name;        // the model's class name, as stored
  double precision = 0.0;  // TP / (TP + FP); 0 when nothing is predicted as it
  double recall = 0.0;     // TP / support; 0 when the class is absent
  double f1 = 0.0;         // 2TP / (2TP + FP + FN); 0 when that is 0 / 0
  int64_t support = 0;     // examples whose true class it is
};

struct AverageScores {
  double precision = 0.0;
  double recall = 0.0;
  double f1 = 0.0;
};

struct EvaluationReport {
  int64_t examples = 0;
  // The fields below are NaN for no examples.
  double accuracy = 0.0;  // fraction whose PredictedClass is the label
  double loss = 0.0;      // mean LossFromLogits: the model's cross-entropy
  // Binary: mean (p - y)^2, p the second class's probability. K > 2: mean
  // of sum_k (p_k - [y = k])^2.
  double brier = 0.0;
  // Expected calibration error over 15 equal-width bins of the predicted
  // class's probability p, bin b holding (b-1)/15 < p <= b/15:
  // sum_b (n_b / N) |accuracy_b - mean p in b|.
  double ece = 0.0;
  // Binary: ROC-AUC of the second class's probability. K > 2: the mean over
  // classes of each one-vs-rest ROC-AUC of its probability (scikit-learn's
  // multi_class="ovr", average="macro"). Ties count half (average ranks).
  // Empty when undefined: a class (of the K) without examples, or no
  // example outside it.
  std::optional<double> roc_auc;
  // confusion[t][p]: examples of true class t predicted as class p, K x K.
  std::vector<std::vector<int64_t>> confusion;
  std::vector<ClassScores> classes;  // the model's K classes, in class order
  AverageScores macro;     // unweighted mean over the K classes
  AverageScores weighted;  // mean weighted by support (0 for no examples)
};

// The report for examples with the given labels (class indexes in
// [0, K), K = class_names.size() >= 2) and logits (row-major, one row of
// OutputsForClasses(K) values per example: one logit for two classes).
// Probabilities are ClassProbabilities at `temperature` (the export
// pipeline's activation; a calibrated bundle's T) and the loss is of
// logits / temperature; classes are PredictedClass, which T never changes.
// Throws Error(kInvalidInput) if the sizes disagree or a label is out of
// range.
EvaluationReport MakeEvaluationReport(
    std::span<const int32_t> labels, std::span<const float> logits,
    const std::vector<std::string>& class_names, float temperature = 1.0f);

// ROC-AUC of `scores` for the examples marked positive: the probability
// that a random positive scores above a random negative, ties counting one
// half (Mann-Whitney U with average ranks, equal to scikit-learn's
// trapezoidal roc_auc_score). Empty when either group has no example.
// Precondition: the spans have the same size.
std::optional<double> RocAuc(std::span<const double> scores,
                             const std::vector<bool>& positive);

// The report as text, after evaluate's first line: a table like
// scikit-learn's classification_report (precision, recall, f1-score,
// support per class, then macro avg and weighted avg), the confusion matrix
// labelled with the class names (rows true, columns predicted), and one line
// "log-loss L - brier B - ece E - roc_auc A" (roc_auc "n/a" when
// undefined). Names are escaped as EscapeForMessage does and aligned by
// code points (wide and combining characters can shift a column).
std::string FormatEvaluationReport(const EvaluationReport& report);

// The report as one JSON object on one line, keys: examples, accuracy,
// loss, brier, ece, roc_auc, confusion, classes ([{name, precision, recall,
// f1, support}]), macro and weighted ({precision, recall, f1}). Undefined
// numbers (NaN, an empty roc_auc) are null; invalid UTF-8 in a name
// becomes U+FFFD.
std::string EvaluationReportJson(const EvaluationReport& report);

}  // namespace sentiment

#endif  // SENTIMENT_EVALUATION_REPORT_H_
