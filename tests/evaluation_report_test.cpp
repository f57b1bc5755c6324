#include "sentiment/evaluation_report.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "sentiment/error.h"

namespace sentiment {
namespace {

// Logits giving round probabilities: sigmoid(ln 3) = 3/4, and softmax of
// (ln 2, 0, 0) = (1/2, 1/4, 1/4).
const float kLn3 = std::log(3.0f);
const float kLn2 = std::log(2.0f);
constexpr double kTolerance = 1e-6;

// Binary, worked by hand. p(second class) per example: .75 (true 1),
// .25 (true 1), .25 (true 0), .5 (true 0, logit 0 predicts the first
// class), .75 (true 0).
EvaluationReport BinaryReport() {
  const std::vector<int32_t> labels = {1, 1, 0, 0, 0};
  const std::vector<float> logits = {kLn3, -kLn3, -kLn3, 0.0f, kLn3};
  return MakeEvaluationReport(labels, logits, {"neg", "pos"});
}

TEST(EvaluationReportTest, BinaryConfusionAndPerClassScores) {
  const EvaluationReport report = BinaryReport();
  EXPECT_EQ(report.examples, 5);
  EXPECT_EQ(report.confusion,
            (std::vector<std::vector<int64_t>>{{2, 1}, {1, 1}}));
  ASSERT_EQ(report.classes.size(), 2u);
  EXPECT_EQ(report.classes[0].name, "neg");
  EXPECT_NEAR(report.classes[0].precision, 2.0 / 3.0, 1e-12);
  EXPECT_NEAR(report.classes[0].recall, 2.0 / 3.0, 1e-12);
  EXPECT_NEAR(report.classes[0].f1, 2.0 / 3.0, 1e-12);
  EXPECT_EQ(report.classes[0].support, 3);
  EXPECT_NEAR(report.classes[1].precision, 0.5, 1e-12);
  EXPECT_NEAR(report.classes[1].recall, 0.5, 1e-12);
  EXPECT_NEAR(report.classes[1].f1, 0.5, 1e-12);
  EXPECT_EQ(report.classes[1].support, 2);
  EXPECT_NEAR(report.macro.precision, 7.0 / 12.0, 1e-12);
  EXPECT_NEAR(report.macro.recall, 7.0 / 12.0, 1e-12);
  EXPECT_NEAR(report.macro.f1, 7.0 / 12.0, 1e-12);
  EXPECT_NEAR(report.weighted.precision, 0.6, 1e-12);
  EXPECT_NEAR(report.weighted.recall, 0.6, 1e-12);
  EXPECT_NEAR(report.weighted.f1, 0.6, 1e-12);
  EXPECT_NEAR(report.accuracy, 0.6, 1e-12);
}

TEST(EvaluationReportTest, BinaryProbabilisticScores) {
  const EvaluationReport report = BinaryReport();
  // -log p(true): 2 log(4/3) + 2 log 4 + log 2 = 9 log 2 - 2 log 3.
  EXPECT_NEAR(report.loss, (9 * std::log(2.0) - 2 * std::log(3.0)) / 5,
              kTolerance);
  // (p - y)^2: 1/16 + 9/16 + 1/16 + 1/4 + 9/16 = 3/2.
  EXPECT_NEAR(report.brier, 0.3, kTolerance);
  // Top-class probability .75 four times (bin 12: 2 of 4 right), .5 once
  // (bin 8: right): 4/5 * |1/2 - 3/4| + 1/5 * |1 - 1/2|.
  EXPECT_NEAR(report.ece, 0.3, kTolerance);
  // Positives score .75 and .25, negatives .25, .5, .75: the pairs give
  // 1 + 1 + 1/2 (tie) for .75 and 1/2 (tie) for .25, out of 6.
  ASSERT_TRUE(report.roc_auc.has_value());
  EXPECT_NEAR(*report.roc_auc, 0.5, kTolerance);
}

// K = 3, the third class absent from the data. Probabilities:
// (1/2, 1/4, 1/4) true a; (1/4, 1/4, 1/2) true a; (1/4, 1/2, 1/4) true b;
// (1/3, 1/3, 1/3) true b, a tie predicting the first class.
EvaluationReport ThreeClassReportLackingAClass() {
  const std::vector<int32_t> labels = {0, 0, 1, 1};
  const std::vector<float> logits = {kLn2, 0, 0,    0, 0, kLn2,
                                     0,    kLn2, 0, 0, 0, 0};
  return MakeEvaluationReport(labels, logits, {"a", "b", "c"});
}

TEST(EvaluationReportTest, AbsentClassScoresZeroAndCountsInTheMacroAverage) {
  const EvaluationReport report = ThreeClassReportLackingAClass();
  EXPECT_EQ(report.confusion, (std::vector<std::vector<int64_t>>{
                                  {1, 0, 1}, {1, 1, 0}, {0, 0, 0}}));
  ASSERT_EQ(report.classes.size(), 3u);
  EXPECT_NEAR(report.classes[0].precision, 0.5, 1e-12);
  EXPECT_NEAR(report.classes[0].recall, 0.5, 1e-12);
  EXPECT_NEAR(report.classes[0].f1, 0.5, 1e-12);
  EXPECT_NEAR(report.classes[1].precision, 1.0, 1e-12);
  EXPECT_NEAR(report.classes[1].recall, 0.5, 1e-12);
  EXPECT_NEAR(report.classes[1].f1, 2.0 / 3.0, 1e-12);
  // Predicted once, never right, no support: every score 0.
  EXPECT_EQ(report.classes[2].precision, 0.0);
  EXPECT_EQ(report.classes[2].recall, 0.0);
  EXPECT_EQ(report.classes[2].f1, 0.0);
  EXPECT_EQ(report.classes[2].support, 0);
  EXPECT_NEAR(report.macro.precision, 0.5, 1e-12);
  EXPECT_NEAR(report.macro.recall, 1.0 / 3.0, 1e-12);
  EXPECT_NEAR(report.macro.f1, 7.0 / 18.0, 1e-12);
  EXPECT_NEAR(report.weighted.precision, 0.75, 1e-12);
  EXPECT_NEAR(report.weighted.recall, 0.5, 1e-12);
  EXPECT_NEAR(report.weighted.f1, 7.0 / 12.0, 1e-12);
  EXPECT_NEAR(report.accuracy, 0.5, 1e-12);
}

TEST(EvaluationReportTest, ThreeClassProbabilisticScores) {
  const EvaluationReport report = ThreeClassReportLackingAClass();
  // -log p(true): log 2 + log 4 + log 2 + log 3.
  EXPECT_NEAR(report.loss, (4 * std::log(2.0) + std::log(3.0)) / 4,
              kTolerance);
  // Sum over classes of (p_k - [y = k])^2: 3/8, 7/8, 3/8, 2/3.
  EXPECT_NEAR(report.brier, (3.0 / 8 + 7.0 / 8 + 3.0 / 8 + 2.0 / 3) / 4,
              kTolerance);
  // Top probability 1/2 three times (2 right), 1/3 once (wrong), in
  // different bins: 3/4 * |2/3 - 1/2| + 1/4 * |0 - 1/3|.
  EXPECT_NEAR(report.ece, 3.0 / 4 / 6 + 1.0 / 12, kTolerance);
  // One-vs-rest is undefined for the class without examples.
  EXPECT_FALSE(report.roc_auc.has_value());
}

TEST(EvaluationReportTest, ThreeClassRocAucIsTheMacroOneVsRestMean) {
  // The examples above plus (1/4, 1/4, 1/2) true c. One-vs-rest: a 4/6
  // (a tie at 1/4 with two negatives), b 6/6, c 3.5/4 (a tie at 1/2).
  const std::vector<int32_t> labels = {0, 0, 1, 1, 2};
  const std::vector<float> logits = {kLn2, 0, 0,    0, 0, kLn2, 0, kLn2,
                                     0,    0, 0, 0, 0, 0, kLn2};
  const EvaluationReport report =
      MakeEvaluationReport(labels, logits, {"a", "b", "c"});
  ASSERT_TRUE(report.roc_auc.has_value());
  EXPECT_NEAR(*report.roc_auc, 61.0 / 72.0, kTolerance);
}

TEST(EvaluationReportTest, BinaryDataOfOneClassHasNoRocAuc) {
  const std::vector<int32_t> labels = {1, 1};
  const std::vector<float> logits = {1.0f, -1.0f};
  const EvaluationReport report =
      MakeEvaluationReport(labels, logits, {"neg", "pos"});
  EXPECT_FALSE(report.roc_auc.has_value());
  EXPECT_EQ(report.classes[0].precision, 0.0);  // predicted once, wrong
  EXPECT_EQ(report.classes[0].recall, 0.0);
  EXPECT_EQ(report.classes[0].support, 0);
}

TEST(EvaluationReportTest, RocAucCountsTiesAsHalf) {
  // As scikit-learn's trapezoid: positives 2 and 3 against negatives 1 and
  // 2 win 1 + 1/2 + 1 + 1 of 4 pairs.
  EXPECT_NEAR(*RocAuc(std::vector<double>{1, 2, 2, 3},
                      {false, true, false, true}),
              3.5 / 4, 1e-12);
  EXPECT_NEAR(*RocAuc(std::vector<double>{0.5, 0.5, 0.5, 0.5},
                      {true, false, true, false}),
              0.5, 1e-12);
  EXPECT_NEAR(*RocAuc(std::vector<double>{3, 1, 2}, {false, true, true}), 0.0,
              1e-12);
  EXPECT_FALSE(RocAuc(std::vector<double>{1, 2}, {true, true}).has_value());
  EXPECT_FALSE(RocAuc(std::vector<double>{}, {}).has_value());
}

TEST(EvaluationReportTest, CalibrationUsesFifteenEqualBins) {
  // A right answer at top-class probability .5 (bin 8, (7/15, 8/15]) and a
  // wrong one at .52 share a bin: |1/2 - .51|. At .54 the wrong one is in
  // bin 9: (|1 - .5| + |0 - .54|) / 2.
  const std::vector<int32_t> labels = {0, 0};
  const auto ece = [&](double wrong_probability) {
    const std::vector<float> logits = {
        0.0f, static_cast<float>(std::log(wrong_probability /
                                          (1 - wrong_probability)))};
    return MakeEvaluationReport(labels, logits, {"neg", "pos"}).ece;
  };
  EXPECT_NEAR(ece(0.52), 0.01, kTolerance);
  EXPECT_NEAR(ece(0.54), 0.52, kTolerance);
}

TEST(EvaluationReportTest, NoExamplesGivesUndefinedScores) {
  const EvaluationReport report = MakeEvaluationReport({}, {}, {"a", "b", "c"});
  EXPECT_EQ(report.examples, 0);
  EXPECT_TRUE(std::isnan(report.accuracy));
  EXPECT_TRUE(std::isnan(report.loss));
  EXPECT_FALSE(report.roc_auc.has_value());
  const auto json = nlohmann::json::parse(EvaluationReportJson(report));
  EXPECT_TRUE(json["accuracy"].is_null());
  EXPECT_TRUE(json["loss"].is_null());
  EXPECT_EQ(json["weighted"]["f1"], 0.0);
}

TEST(EvaluationReportTest, RejectsMismatchedSizesAndLabels) {
  const std::vector<int32_t> labels = {0, 1};
  EXPECT_THROW(MakeEvaluationReport(labels, std::vector<float>{1.0f},
                                    {"neg", "pos"}),
               Error);
  EXPECT_THROW(MakeEvaluationReport(labels, std::vector<float>{1, 2, 3, 4},
                                    {"a", "b", "c"}),
               Error);
  EXPECT_THROW(MakeEvaluationReport(std::vector<int32_t>{0, 2},
                                    std::vector<float>{1.0f, 2.0f},
                                    {"neg", "pos"}),
               Error);
}

TEST(EvaluationReportTest, JsonHasExactlyTheDocumentedKeys) {
  const auto json = nlohmann::json::parse(
      EvaluationReportJson(ThreeClassReportLackingAClass()));
  std::vector<std::string> keys;
  for (const auto& item : json.items()) keys.push_back(item.key());
  std::sort(keys.begin(), keys.end());
  EXPECT_EQ(keys, (std::vector<std::string>{
                      "accuracy", "brier", "classes", "confusion", "ece",
                      "examples", "loss", "macro", "roc_auc", "weighted"}));
  EXPECT_EQ(json["examples"], 4);
  EXPECT_TRUE(json["roc_auc"].is_null());
  EXPECT_EQ(json["confusion"],
            nlohmann::json::parse("[[1,0,1],[1,1,0],[0,0,0]]"));
  ASSERT_EQ(json["classes"].size(), 3u);
  EXPECT_EQ(json["classes"][2],
            nlohmann::json::parse(R"({"name": "c", "precision": 0.0,
                "recall": 0.0, "f1": 0.0, "support": 0})"));
  EXPECT_NEAR(json["classes"][1]["f1"].get<double>(), 2.0 / 3.0, 1e-15);
  EXPECT_NEAR(json["macro"]["f1"].get<double>(), 7.0 / 18.0, 1e-15);
  EXPECT_NEAR(json["weighted"]["precision"].get<double>(), 0.75, 1e-15);
  EXPECT_NEAR(json["accuracy"].get<double>(), 0.5, 1e-15);
  // Full precision: the loss survives the round trip.
  EXPECT_EQ(json["loss"].get<double>(), ThreeClassReportLackingAClass().loss);
}

TEST(EvaluationReportTest, JsonKeepsNamesAsJsonStrings) {
  const std::vector<int32_t> labels = {0, 1};
  const std::vector<float> logits = {-1.0f, 1.0f};
  const auto json = nlohmann::json::parse(EvaluationReportJson(
      MakeEvaluationReport(labels, logits, {"tab\there", "bad\xff"})));
  EXPECT_EQ(json["classes"][0]["name"], "tab\there");
  EXPECT_EQ(json["classes"][1]["name"], "bad\xef\xbf\xbd");  // U+FFFD
}

TEST(EvaluationReportTest, TextLooksLikeClassificationReport) {
  const std::string text = FormatEvaluationReport(BinaryReport());
  EXPECT_EQ(text,
            "\n"
            "             precision    recall  f1-score   support\n"
            "\n"
            "         neg    0.6667    0.6667    0.6667         3\n"
            "         pos    0.5000    0.5000    0.5000         2\n"
            "\n"
            "   macro avg    0.5833    0.5833    0.5833         5\n"
            "weighted avg    0.6000    0.6000    0.6000         5\n"
            "\n"
            "true \\ predicted  neg  pos\n"
            "neg                 2    1\n"
            "pos                 1    1\n"
            "\n"
            "log-loss 0.8082 - brier 0.3000 - ece 0.3000 - roc_auc 0.5000\n");
}

TEST(EvaluationReportTest, TextEscapesAndAlignsNamesByCodePoint) {
  const std::vector<int32_t> labels = {0, 1, 2};
  const std::vector<float> logits = {1, 0, 0, 0, 1, 0, 0, 0, 1};
  const std::string text = FormatEvaluationReport(MakeEvaluationReport(
      labels, logits, {"caf\xc3\xa9", "new\nline", "a_rather_long_class_name"}));
  // The longest name sets the label column; the two-byte é counts once.
  EXPECT_NE(text.find("\n                    caf\xc3\xa9    1.0000"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("new\\nline"), std::string::npos) << text;
  EXPECT_EQ(text.find("new\nline"), std::string::npos) << text;
  EXPECT_NE(text.find("true \\ predicted          caf\xc3\xa9  new\\nline  "
                      "a_rather_long_class_name\n"
                      "caf\xc3\xa9                         1          0"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("roc_auc 1.0000\n"), std::string::npos) << text;
}

}  // namespace
}  // namespace sentiment
