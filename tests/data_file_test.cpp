// Tests for reading labelled rows from CSV (RFC 4180), TSV, JSON Lines and
// fastText bytes, the class name rules, and that every malformed row is an
// error naming the file and line.
#include "sentiment/data_file.h"

#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "sentiment/error.h"

namespace sentiment {
namespace {

using namespace std::string_literals;

std::vector<LabeledRow> Parse(const std::string &bytes, InputFormat format,
                              const InputOptions &options = {}) {
  return ParseDataFile(bytes, format, options, "data");
}

// The message of the InvalidInput error parsing `bytes` throws.
std::string ErrorOf(const std::string &bytes, InputFormat format,
                    const InputOptions &options = {}) {
  try {
    Parse(bytes, format, options);
  } catch (const Error &error) {
    EXPECT_EQ(error.kind(), ErrorKind::kInvalidInput) << error.what();
    return error.what();
  }
  ADD_FAILURE() << "no error for: " << bytes;
  return "";
}

void ExpectRow(const LabeledRow &row, const std::string &text,
               const std::string &label, int64_t line) {
  EXPECT_EQ(row.text, text);
  EXPECT_EQ(row.label, label);
  EXPECT_EQ(row.line, line);
}

// ---------------------------------------------------------------- CSV

TEST(DataFileTest, CsvReadsTextAndLabelColumnsInAnyOrder) {
  const auto rows =
      Parse("id,label,text\n1,pos,great film\n2,neg,dull\n", InputFormat::kCsv);
  ASSERT_EQ(rows.size(), 2u);
  ExpectRow(rows[0], "great film", "pos", 2);
  ExpectRow(rows[1], "dull", "neg", 3);
}

TEST(DataFileTest, CsvQuotedFieldsHoldCommasDoubledQuotesAndNewlines) {
  const std::string csv = "text,label\r\n"
                          "\"a, b and c\",pos\r\n"
                          "\"she said \"\"no\"\"\",neg\r\n"
                          "\"two\r\nlines\nthree\",pos\r\n"
                          "\"\",neg\r\n"
                          "last,\"pos\""; // no final line break
  const auto rows = Parse(csv, InputFormat::kCsv);
  ASSERT_EQ(rows.size(), 5u);
  ExpectRow(rows[0], "a, b and c", "pos", 2);
  ExpectRow(rows[1], "she said \"no\"", "neg", 3);
  ExpectRow(rows[2], "two\r\nlines\nthree", "pos", 4);
  ExpectRow(rows[3], "", "neg", 7);
  ExpectRow(rows[4], "last", "pos", 8);
}

TEST(DataFileTest, CsvKeepsSpacesBytesAndSkipsAByteOrderMark) {
  const auto rows =
      Parse("\xEF\xBB\xBFtext,label\n  spaced  ,pos\nbo\xff\x00ring,neg\n"s,
            InputFormat::kCsv);
  ASSERT_EQ(rows.size(), 2u);
  ExpectRow(rows[0], "  spaced  ", "pos", 2);
  ExpectRow(rows[1], "bo\xff\x00ring"s, "neg", 3);
}

TEST(DataFileTest, CsvColumnsChosenByFlags) {
  InputOptions options;
  options.text_column = "review";
  options.label_column = "stars";
  const auto rows =
      Parse("review,stars,text\nfine,5,x\n", InputFormat::kCsv, options);
  ASSERT_EQ(rows.size(), 1u);
  ExpectRow(rows[0], "fine", "5", 2);
}

TEST(DataFileTest, LinesEndingInACarriageReturnAloneAreNamedAsSuch) {
  const std::string message =
      "data: lines end with a carriage return alone (classic Mac OS); "
      "convert them to newlines, e.g. with tr '\\r' '\\n'";
  for (const InputFormat format : {InputFormat::kCsv, InputFormat::kTsv,
                                   InputFormat::kJsonLines}) {
    EXPECT_EQ(ErrorOf("text,label\rgreat,pos\rbad,neg\r", format), message);
  }
  EXPECT_EQ(ErrorOf("__label__pos great\r__label__neg bad", InputFormat::kFastText),
            message);
  // One line ending in CR, or CRs beside LFs, are ordinary line ends.
  EXPECT_EQ(Parse("__label__pos great\r", InputFormat::kFastText).size(), 1u);
  EXPECT_EQ(Parse("text,label\r\ngreat,pos\r\n", InputFormat::kCsv).size(), 1u);
}

TEST(DataFileTest, CsvErrorsNameFileAndLine) {
  EXPECT_EQ(ErrorOf("review,label\nx,pos\n", InputFormat::kCsv),
            "data:1: no column 'text' in the header (columns: 'review', "
            "'label'); choose one with --text-column");
  EXPECT_EQ(ErrorOf("text,text,label\nx,y,pos\n", InputFormat::kCsv),
            "data:1: the header names column 'text' twice");
  EXPECT_EQ(
      ErrorOf("text,label\nok,pos\n\"a\nb\",neg,extra\n", InputFormat::kCsv),
      "data:3: 3 field(s), expected 2 as in the header");
  EXPECT_EQ(ErrorOf("text,label\nonly\n", InputFormat::kCsv),
            "data:2: 1 field(s), expected 2 as in the header");
  EXPECT_EQ(
      ErrorOf("text,label\nok,pos\n\"never\nclosed,neg\n", InputFormat::kCsv),
      "data:3: unterminated quoted field (the quote opened on this line "
      "never closes)");
  EXPECT_EQ(ErrorOf("text,label\n\"a\"b,pos\n", InputFormat::kCsv),
            "data:2: unexpected 'b' after the closing quote of a field (a "
            "quote inside a quoted field is written \"\")");
  EXPECT_EQ(ErrorOf("text,label\nsay \"hi\",pos\n", InputFormat::kCsv),
            "data:2: quote inside an unquoted field; quote the whole field "
            "and double the quote (\"\")");
  EXPECT_EQ(ErrorOf("text,label\nok,pos\n\nok,neg\n", InputFormat::kCsv),
            "data:3: empty line");
  EXPECT_EQ(ErrorOf("text,label\nok,\n", InputFormat::kCsv),
            "data:2: label '' is empty");
  EXPECT_EQ(ErrorOf("text,label\nok,\"po\ts\"\n", InputFormat::kCsv),
            "data:2: label 'po\\ts' holds a control character (U+0009); "
            "class names must be printable, without tabs or line breaks");
  EXPECT_EQ(ErrorOf("text,label\nok,\"a\nb\"\n", InputFormat::kCsv),
            "data:2: label 'a\\nb' holds a control character (U+000A); "
            "class names must be printable, without tabs or line breaks");
  EXPECT_EQ(ErrorOf("text,label\nok,p\xffs\n", InputFormat::kCsv),
            "data:2: label 'p\\xFFs' is not valid UTF-8 (byte 0xFF at offset "
            "1)");
  EXPECT_EQ(ErrorOf("", InputFormat::kCsv),
            "data: empty file; expected a header line naming the columns, "
            "then one row per text");
}

TEST(DataFileTest, TextAndLabelColumnsMustDiffer) {
  InputOptions options;
  options.label_column = "text";
  EXPECT_EQ(ErrorOf("text\nx\n", InputFormat::kCsv, options),
            "--text-column and --label-column must differ, both are 'text'");
}

// ---------------------------------------------------------------- TSV

TEST(DataFileTest, TsvSplitsAtEveryTabWithoutQuoting) {
  const auto rows =
      Parse("label\ttext\r\npos\t\"quoted\" stays, as is\r\nneg\t\n",
            InputFormat::kTsv);
  ASSERT_EQ(rows.size(), 2u);
  ExpectRow(rows[0], "\"quoted\" stays, as is", "pos", 2);
  ExpectRow(rows[1], "", "neg", 3);
}

TEST(DataFileTest, TsvErrorsNameFileAndLine) {
  EXPECT_EQ(ErrorOf("text\tlabel\na\tb\tc\n", InputFormat::kTsv),
            "data:2: 3 field(s), expected 2 as in the header");
  EXPECT_EQ(ErrorOf("text\tlabel\na\tpos\n\n", InputFormat::kTsv),
            "data:3: empty line");
  EXPECT_EQ(ErrorOf("txt\tlabel\n", InputFormat::kTsv),
            "data:1: no column 'text' in the header (columns: 'txt', "
            "'label'); choose one with --text-column");
}

// ---------------------------------------------------------- JSON Lines

TEST(DataFileTest, JsonLinesReadsStringsEscapesAndIntegerLabels) {
  const auto rows = Parse(
      "{\"text\": \"caf\\u00e9\\tok\\n\", \"label\": \"pos\", \"id\": [1]}\r\n"
      "{\"label\": 0, \"text\": \"\"}\n"
      "{\"text\": \"x\", \"label\": -12}",
      InputFormat::kJsonLines);
  ASSERT_EQ(rows.size(), 3u);
  ExpectRow(rows[0], "caf\xc3\xa9\tok\n", "pos", 1);
  ExpectRow(rows[1], "", "0", 2);
  ExpectRow(rows[2], "x", "-12", 3);
}

TEST(DataFileTest, JsonLinesErrorsNameFileAndLine) {
  const auto f = InputFormat::kJsonLines;
  EXPECT_EQ(
      ErrorOf("{\"text\": \"a\", \"label\": \"pos\"}\n{\"text\": \"b\",\n", f)
          .substr(0, 23),
      "data:2: not valid JSON:");
  EXPECT_EQ(ErrorOf("[\"a\", \"pos\"]\n", f),
            "data:1: expected a JSON object, got array");
  EXPECT_EQ(ErrorOf("{\"label\": \"pos\"}\n", f),
            "data:1: no key 'text'; choose the text's key with --text-column");
  EXPECT_EQ(ErrorOf("{\"text\": \"a\"}\n", f),
            "data:1: no key 'label'; choose the label's key with "
            "--label-column");
  EXPECT_EQ(ErrorOf("{\"text\": 5, \"label\": \"pos\"}\n", f),
            "data:1: key 'text' must be a string, got number");
  EXPECT_EQ(ErrorOf("{\"text\": \"a\", \"label\": 1.5}\n", f),
            "data:1: key 'label' must be a string or an integer, got number");
  EXPECT_EQ(ErrorOf("{\"text\": \"a\", \"label\": null}\n", f),
            "data:1: key 'label' must be a string or an integer, got null");
  EXPECT_EQ(ErrorOf("{\"text\": \"a\", \"label\": \"a\\tb\"}\n", f),
            "data:1: label 'a\\tb' holds a control character (U+0009); class "
            "names must be printable, without tabs or line breaks");
  EXPECT_EQ(ErrorOf("{\"text\": \"a\", \"label\": \"\"}\n", f),
            "data:1: label '' is empty");
  EXPECT_EQ(ErrorOf("{\"text\": \"a\", \"label\": \"p\"}\n\n", f),
            "data:2: empty line");
}

// ------------------------------------------------------------ fastText

TEST(DataFileTest, FastTextReadsOneLabelThenTheText) {
  const auto rows = Parse(
      "__label__pos great film\n__label__neg\tdull,  really\r\n__label__pos\n",
      InputFormat::kFastText);
  ASSERT_EQ(rows.size(), 3u);
  ExpectRow(rows[0], "great film", "pos", 1);
  ExpectRow(rows[1], "dull,  really", "neg", 2);
  ExpectRow(rows[2], "", "pos", 3);
}

TEST(DataFileTest, FastTextErrorsNameFileAndLine) {
  const auto f = InputFormat::kFastText;
  EXPECT_EQ(ErrorOf("__label__pos ok\ngreat film\n", f),
            "data:2: no label: a line starts with __label__NAME, then the "
            "text (fastText's format)");
  EXPECT_EQ(ErrorOf("__label__pos __label__neg mixed\n", f),
            "data:1: a second label '__label__neg'; each line has exactly one");
  EXPECT_EQ(ErrorOf("__label__pos ok then __label__neg\n", f),
            "data:1: a second label '__label__neg'; each line has exactly one");
  EXPECT_EQ(ErrorOf("__label__ text\n", f), "data:1: label '' is empty");
  EXPECT_EQ(ErrorOf("__label__p\x01s text\n", f),
            "data:1: label 'p\\x01s' holds a control character (U+0001); "
            "class names must be printable, without tabs or line breaks");
  EXPECT_EQ(ErrorOf("__label__pos a\n\n__label__neg b\n", f),
            "data:2: empty line");
}

// ------------------------------------------------- names and formats

TEST(DataFileTest, ClassNameRules) {
  EXPECT_FALSE(ClassNameProblem("pos"));
  EXPECT_FALSE(ClassNameProblem("caf\xc3\xa9 \xe2\x9c\x93 \xf0\x9f\x98\x80"));
  EXPECT_FALSE(ClassNameProblem("with space"));
  EXPECT_TRUE(ClassNameProblem(""));
  EXPECT_TRUE(ClassNameProblem("a\tb"));
  EXPECT_TRUE(ClassNameProblem("a\rb"));
  EXPECT_TRUE(ClassNameProblem("a\x7f"));
  EXPECT_TRUE(ClassNameProblem("a\xc2\x85"));        // U+0085 NEL (C1)
  EXPECT_TRUE(ClassNameProblem("\xc0\xaf"));         // overlong '/'
  EXPECT_TRUE(ClassNameProblem("\xed\xa0\x80"));     // a surrogate
  EXPECT_TRUE(ClassNameProblem("\xf4\x90\x80\x80")); // past U+10FFFF
  EXPECT_TRUE(ClassNameProblem("\xc3"));             // truncated
  EXPECT_TRUE(ClassNameProblem(std::string("a\0b", 3)));
}

TEST(DataFileTest, EscapeForMessageKeepsOneLine) {
  EXPECT_EQ(EscapeForMessage("a\tb\nc\rd\\e\x01\x7f"),
            "a\\tb\\nc\\rd\\\\e\\x01\\x7F");
  EXPECT_EQ(EscapeForMessage("caf\xc3\xa9 \xff\xc2\x85"),
            "caf\xc3\xa9 \\xFF\\u0085");
}

TEST(DataFileTest, FormatsByExtensionAndName) {
  EXPECT_EQ(InputFormatOfPath("a/b.CSV"), InputFormat::kCsv);
  EXPECT_EQ(InputFormatOfPath("b.tsv"), InputFormat::kTsv);
  EXPECT_EQ(InputFormatOfPath("b.jsonl"), InputFormat::kJsonLines);
  EXPECT_EQ(InputFormatOfPath("b.ndjson"), InputFormat::kJsonLines);
  EXPECT_EQ(InputFormatOfPath("b.ft"), InputFormat::kFastText);
  EXPECT_EQ(InputFormatOfPath("b.fasttext"), InputFormat::kFastText);
  EXPECT_EQ(InputFormatOfPath("b.txt"), std::nullopt);
  EXPECT_EQ(InputFormatOfPath("csv"), std::nullopt);
  EXPECT_EQ(ParseInputFormat("jsonl"), InputFormat::kJsonLines);
  try {
    ParseInputFormat("json");
    ADD_FAILURE();
  } catch (const Error &error) {
    EXPECT_STREQ(error.what(),
                 "--input-format must be csv, tsv, jsonl or fasttext, got "
                 "'json'");
  }
}

// Every format tells how far parsing has come: more than once on 2.5 MB,
// never going back, and at the end every byte, the byte order mark too.
TEST(DataFileTest, ParsingTellsTheBytesParsedUpToTheWholeFile) {
  const struct {
    InputFormat format;
    std::string header;
    std::string row;
  } cases[] = {
      {InputFormat::kCsv, "text,label\n", "\"a text, quoted\",pos\n"},
      {InputFormat::kTsv, "text\tlabel\n", "a text\tpos\n"},
      {InputFormat::kJsonLines, "", "{\"text\": \"a text\", \"label\": \"pos\"}\n"},
      {InputFormat::kFastText, "", "__label__pos a text\n"},
  };
  for (const auto &c : cases) {
    std::string bytes = "\xEF\xBB\xBF" + c.header;
    while (bytes.size() < 2'500'000) bytes += c.row;
    std::vector<int64_t> told;
    const std::vector<LabeledRow> rows =
        ParseDataFile(bytes, c.format, {}, "data",
                      [&](int64_t parsed) { told.push_back(parsed); });
    EXPECT_FALSE(rows.empty());
    ASSERT_GE(told.size(), 3u) << InputFormatName(c.format);
    for (size_t i = 1; i < told.size(); ++i) {
      EXPECT_LE(told[i - 1], told[i]) << InputFormatName(c.format);
    }
    EXPECT_EQ(told.back(), static_cast<int64_t>(bytes.size()))
        << InputFormatName(c.format);
  }
}

} // namespace
} // namespace sentiment
