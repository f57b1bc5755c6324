#!/usr/bin/env bash
# End-to-end test of train and evaluate on data files, run by ctest:
#   input_formats_test.sh SENTIMENT_BINARY TEST_DATA_DIR
# The same texts as class folders, CSV, TSV, JSON Lines and fastText lines
# train to byte-identical models; malformed rows and bad class names are
# errors naming file and line; the two warnings are one line each and
# training still succeeds. The data files are written by Python's csv and
# json modules, an independent writer of both formats.
set -uo pipefail
bin=$1
data=$2
source "$(dirname "${BASH_SOURCE[0]}")/shell_test_lib.sh"

error_is() {
  [ "$(cat "$work/err")" = "sentiment: $1" ] || fail "stderr was: $(cat "$work/err"); expected: sentiment: $1"
}

# The topics folders (3 classes) as data files, rows in the folders' listing
# order (classes sorted, files sorted), so the split shuffles the same texts.
# CSV and JSON Lines keep each file's bytes whole (its final newline inside a
# quoted field); TSV and fastText lines cannot hold a newline, so it is
# dropped there (whitespace, so the tokens are the same).
/usr/bin/python3 - "$data/topics" "$work" <<'EOF' || fail "could not write the data files"
import csv, json, os, sys
root, out = sys.argv[1], sys.argv[2]
rows = []
for label in sorted(os.listdir(root)):
    for name in sorted(os.listdir(os.path.join(root, label))):
        with open(os.path.join(root, label, name), encoding="utf-8", newline="") as f:
            rows.append((label, f.read()))
with open(os.path.join(out, "topics.csv"), "w", encoding="utf-8", newline="") as f:
    writer = csv.writer(f)  # RFC 4180 quoting, CRLF line ends
    writer.writerow(["id", "text", "label"])
    for i, (label, text) in enumerate(rows):
        writer.writerow([i, text, label])
with open(os.path.join(out, "topics.jsonl"), "w", encoding="utf-8") as f:
    for label, text in rows:
        f.write(json.dumps({"label": label, "text": text}) + "\n")
with open(os.path.join(out, "topics.tsv"), "w", encoding="utf-8") as f:
    f.write("label\ttext\n")
    for label, text in rows:
        f.write(label + "\t" + text.rstrip("\n") + "\n")
with open(os.path.join(out, "topics.ft"), "w", encoding="utf-8") as f:
    for label, text in rows:
        f.write("__label__" + label + " " + text.rstrip("\n") + "\n")
EOF
grep -q $'\r$' "$work/topics.csv" || fail "the CSV has no CRLF line ends"

fast=(--epochs 15 --batch-size 4 --sequence-length 12 --learning-rate 0.05
      --validation-split 0.25 --seed 7 --threads 1)

check "class folders and each data file train to byte-identical models"
expect_exit 0 "$bin" train "$data/topics" -o "$work/folder.model" "${fast[@]}"
grep -q "^Found 24 files belonging to 3 classes (animals, food, sports).$" "$work/err" \
  || fail "folder: $(cat "$work/err")"
for form in csv tsv jsonl ft; do
  expect_exit 0 "$bin" train "$work/topics.$form" -o "$work/$form.model" "${fast[@]}"
  grep -q "^Found 24 rows belonging to 3 classes (animals, food, sports).$" "$work/err" \
    || fail "$form: $(cat "$work/err")"
  grep -q "^Using 18 rows for training.$" "$work/err" || fail "$form: $(cat "$work/err")"
  cmp -s "$work/folder.model" "$work/$form.model" \
    || fail "the model trained on topics.$form differs from the folder's"
done

check "--input-format reads a data file whatever its name"
cp "$work/topics.jsonl" "$work/topics.data"
expect_exit 0 "$bin" train "$work/topics.data" --input-format jsonl -o "$work/named.model" "${fast[@]}"
cmp -s "$work/folder.model" "$work/named.model" || fail "--input-format jsonl gave another model"
expect_exit 2 "$bin" train "$work/topics.data" -o "$work/never" "${fast[@]}"
error_is "$work/topics.data: not a directory, nor a data file by its extension (.csv, .tsv, .jsonl, .ndjson, .ft, .fasttext); pass --input-format to read it as one"
expect_exit 2 "$bin" train "$work/topics.csv" --input-format json -o "$work/never"
error_is "--input-format must be csv, tsv, jsonl or fasttext, got 'json'"

check "the same predictions from each, and evaluate on a CSV"
expect_exit 0 "$bin" export "$work/folder.model" -o "$work/folder.bundle"
expect_exit 0 "$bin" export "$work/csv.model" -o "$work/csv.bundle"
printf 'the cat ran\npizza and soup\nthe team won the match\n' >"$work/lines"
"$bin" predict "$work/folder.bundle" --all <"$work/lines" >"$work/folder.pred" || fail "predict failed"
"$bin" predict "$work/csv.bundle" --all <"$work/lines" >"$work/csv.pred" || fail "predict failed"
cmp -s "$work/folder.pred" "$work/csv.pred" || fail "predictions differ"
expect_exit 0 "$bin" evaluate "$work/csv.bundle" "$data/topics"
folder_metrics=$(sed 's/ - files: 24$//' "$work/out")
expect_exit 0 "$bin" evaluate "$work/csv.bundle" "$work/topics.csv"
grep -Eq '^loss: [0-9.]+ - accuracy: [0-9.]+ - rows: 24$' "$work/out" || fail "evaluate printed: $(cat "$work/out")"
[ "$(sed 's/ - rows: 24$//' "$work/out")" = "$folder_metrics" ] \
  || fail "evaluate on the CSV: $(cat "$work/out"); on the folder: $folder_metrics"
printf 'review,topic\n"the cat sat",animals\n"hot soup",food\n"a goal",sports\n' >"$work/cols.csv"
expect_exit 0 "$bin" evaluate "$work/csv.bundle" "$work/cols.csv" --text-column review --label-column topic
grep -Eq ' - rows: 3$' "$work/out" || fail "evaluate printed: $(cat "$work/out")"
printf 'text,label\n"the cat sat",animals\n"hot soup",food\n' >"$work/two.csv"
expect_exit 0 "$bin" evaluate "$work/csv.bundle" "$work/two.csv"
grep -Eq ' - rows: 2$' "$work/out" || fail "evaluate on a CSV lacking a class printed: $(cat "$work/out")"
printf 'text,label\n"the cat sat",animals\n"a rose",plants\n' >"$work/unknown.csv"
expect_exit 2 "$bin" evaluate "$work/csv.bundle" "$work/unknown.csv"
error_is "$work/unknown.csv: class 'plants' is not one of the model's (animals, food, sports)"

check "malformed rows are errors naming file and line"
printf 'text,label\n"a, b",pos\n"never closed,neg\nc,pos\n' >"$work/bad.csv"
expect_exit 2 "$bin" train "$work/bad.csv" -o "$work/never"
error_is "$work/bad.csv:3: unterminated quoted field (the quote opened on this line never closes)"
printf 'text,label\na,pos\nb,neg,x\n' >"$work/bad.csv"
expect_exit 2 "$bin" train "$work/bad.csv" -o "$work/never"
error_is "$work/bad.csv:3: 3 field(s), expected 2 as in the header"
printf '{"text": "a", "label": "pos"}\n{"text": "b"}\n' >"$work/bad.jsonl"
expect_exit 2 "$bin" train "$work/bad.jsonl" -o "$work/never"
error_is "$work/bad.jsonl:2: no key 'label'; choose the label's key with --label-column"
printf '__label__pos good\nbad line\n' >"$work/bad.ft"
expect_exit 2 "$bin" train "$work/bad.ft" -o "$work/never"
error_is "$work/bad.ft:2: no label: a line starts with __label__NAME, then the text (fastText's format)"
[ ! -e "$work/never" ] || fail "a failed train wrote a model"

check "class names with a tab, a newline or invalid UTF-8 are refused on one line"
printf 'text,label\na,pos\n"b","ne\tg"\n' >"$work/tab.csv"
expect_exit 2 "$bin" train "$work/tab.csv" -o "$work/never"
error_is "$work/tab.csv:3: label 'ne\\tg' holds a control character (U+0009); class names must be printable, without tabs or line breaks"
printf '{"text": "a", "label": "pos"}\n{"text": "b", "label": "ne\\ng"}\n' >"$work/nl.jsonl"
expect_exit 2 "$bin" train "$work/nl.jsonl" -o "$work/never"
[ "$(wc -l <"$work/err")" -eq 1 ] || fail "the error is not one line: $(cat "$work/err")"
mkdir -p "$work/names/pos" "$work/names/ne"$'\xff'"g"
echo good >"$work/names/pos/a.txt"
echo bad >"$work/names/ne"$'\xff'"g/a.txt"
expect_exit 2 "$bin" train "$work/names" -o "$work/never"
error_is "$work/names: class folder 'ne\\xFFg' is not valid UTF-8 (byte 0xFF at offset 2); rename the folder"

check "warning: class folders named like a split; training still succeeds"
mkdir -p "$work/split"
cp -r "$data/reviews/neg" "$work/split/train"
cp -r "$data/reviews/pos" "$work/split/test"
expect_exit 0 "$bin" train "$work/split" -o "$work/split.model" --epochs 1 --sequence-length 8
# (One epoch may also earn the majority-class warning, checked below.)
[ "$(grep -c 'named like a split' "$work/err")" -eq 1 ] || fail "stderr: $(cat "$work/err")"
grep -qx "warning: $work/split: class folders named like a split (test, train); each subfolder is a class, so these are trained as classes; did you mean $work/split/train?" "$work/err" \
  || fail "stderr: $(cat "$work/err")"
[ -s "$work/split.model" ] || fail "no model written"

check "warning: validation accuracy no better than the majority class"
# Every text is the same, so every prediction is one class: at best the
# majority's share of the validation rows.
{ echo "text,label"; for i in $(seq 1 12); do echo "same words,pos"; done
  for i in $(seq 1 4); do echo "same words,neg"; done; } >"$work/flat.csv"
expect_exit 0 "$bin" train "$work/flat.csv" -o "$work/flat.model" --epochs 2 --sequence-length 4 --seed 3
[ "$(grep -c 'warning: ' "$work/err")" -eq 1 ] || fail "stderr: $(cat "$work/err")"
grep -Eq "^warning: the final val_accuracy [0-9.]+ is no better than always predicting the majority class (neg|pos) \([0-9.]+ of the validation rows\); try more --epochs, a larger --learning-rate, --class-weight balanced, or more data$" "$work/err" \
  || fail "stderr: $(cat "$work/err")"
[ -s "$work/flat.model" ] || fail "no model written"
expect_exit 0 "$bin" train "$data/topics" -o "$work/quiet.model" --epochs 60 --batch-size 4 \
  --sequence-length 12 --learning-rate 0.05 --validation-split 0.25 --seed 7 --threads 1 --patience 0
grep -q "warning" "$work/err" && fail "a model that learns was warned about: $(cat "$work/err")"

echo "input formats: all checks passed"
