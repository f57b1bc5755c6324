#!/usr/bin/env bash
# End-to-end test of the sentiment executable, run by ctest:
#   cli_test.sh SENTIMENT_BINARY TEST_DATA_DIR DEFAULT_BUNDLE
# Each check prints what it tests; the first failure stops the script.
set -uo pipefail
bin=$1
data=$2
default_bundle=$3
source "$(dirname "${BASH_SOURCE[0]}")/shell_test_lib.sh"

check "--help explains every subcommand"
expect_exit 0 "$bin" --help
for sub in train evaluate export predict inspect; do
  grep -q "$sub" "$work/out" || fail "--help does not mention $sub"
done
expect_exit 0 "$bin" train --help
grep -q -- "--learning-rate" "$work/out" || fail "train --help lacks --learning-rate"

check "train, export, evaluate"
expect_exit 0 "$bin" train "$data/reviews" -o "$work/model" --sequence-length 10 \
  --epochs 60 --batch-size 4 --learning-rate 0.05 --validation-split 0.25
grep -Eq "Epoch 60/60 - [0-9.]+s - loss: " "$work/err" || fail "train printed no epoch progress"
expect_exit 0 "$bin" export "$work/model" -o "$work/bundle"
expect_exit 0 "$bin" evaluate "$work/bundle" "$data/reviews"
grep -Eq '^loss: [0-9.]+ - accuracy: [0-9.]+ - files: 16$' "$work/out" \
  || fail "evaluate printed: $(cat "$work/out")"

check "predict: one line out per line in, sigmoid(--logits) equals the default"
printf 'great fun\n\nterrible, boring\r\nloved it' >"$work/input"
"$bin" predict "$work/bundle" <"$work/input" >"$work/probabilities" || fail "predict failed"
"$bin" predict "$work/bundle" --logits <"$work/input" >"$work/logits" || fail "predict --logits failed"
[ "$(wc -l <"$work/probabilities")" -eq 4 ] || fail "expected 4 output lines"
paste "$work/logits" "$work/probabilities" | awk -F'\t' '
  { p = 1 / (1 + exp(-$1)); d = p - $3; if (d < 0) d = -d;
    if (d > 1e-5) { print "line " NR ": sigmoid(" $1 ") != " $3; bad = 1 }
    if ($2 != $4) { print "line " NR ": classes differ"; bad = 1 } }
  END { exit bad }' || fail "sigmoid of the logits differs from the probabilities"
sed -n 1p "$work/probabilities" | grep -q "pos$" || fail "'great fun' not positive"
sed -n 3p "$work/probabilities" | grep -q "neg$" || fail "'terrible, boring' not negative"

check "predict refuses a trained model and names the export command"
expect_exit 3 "$bin" predict "$work/model" </dev/null
grep -q "sentiment export" "$work/err" || fail "no export hint: $(cat "$work/err")"

check "inspect: summary and vocabulary"
expect_exit 0 "$bin" inspect "$work/bundle"
grep -q "activation (Activation: sigmoid)" "$work/out" || fail "inspect lacks the activation stage"
grep -q "Total params" "$work/out" || fail "inspect lacks the parameter count"
# Batches this small train on one thread whatever --threads asks (the
# default is every core); the file records the one.
grep -q "^  threads: 1 (of the training steps)$" "$work/out" \
  || fail "inspect lacks the training threads: $(cat "$work/out")"
expect_exit 0 "$bin" inspect "$work/bundle" --vocabulary
[ "$(sed -n 1p "$work/out")" = "" ] || fail "vocabulary line 1 is not the padding token"
[ "$(sed -n 2p "$work/out")" = "[UNK]" ] || fail "vocabulary line 2 is not [UNK]"

check "bad input: clear message, documented exit code, no output file"
expect_exit 2 "$bin" train "$work/missing" -o "$work/never"
grep -q "$work/missing" "$work/err" || fail "error does not name the directory"
[ ! -e "$work/never" ] || fail "a failed train wrote a file"
expect_exit 2 "$bin" train "$data/reviews" -o "$work/never" --epochs abc
expect_exit 2 "$bin" train "$data/reviews" -o "$work/never" --epochs 0
expect_exit 2 "$bin" train "$data/reviews" -o "$work/never" --standardize shout
expect_exit 2 "$bin" train "$data/reviews" -o "$work/never" --validation-split 1
[ ! -e "$work/never" ] || fail "a rejected train wrote a file"
echo "not a model" >"$work/junk"
expect_exit 3 "$bin" predict "$work/junk" </dev/null
grep -q "junk: not a sentiment model file" "$work/err" || fail "junk model: $(cat "$work/err")"
expect_exit 4 "$bin" predict "$work/nothing-here" </dev/null

check "three classes: train, export (softmax), predict --all and --logits, evaluate"
expect_exit 0 "$bin" train "$data/topics" -o "$work/topics_model" --sequence-length 8 \
  --epochs 60 --batch-size 4 --learning-rate 0.05 --validation-split 0.25 \
  --ngrams 2 --mask-padding --class-weight balanced
grep -q "Found 24 files belonging to 3 classes (animals, food, sports)" "$work/err" \
  || fail "train did not report 3 classes: $(cat "$work/err")"
expect_exit 0 "$bin" export "$work/topics_model" -o "$work/topics_bundle"
grep -q "softmax" "$work/err" || fail "export did not add softmax: $(cat "$work/err")"
expect_exit 0 "$bin" inspect "$work/topics_bundle"
grep -q "dense (Dense) .*(None, 3)" "$work/out" || fail "inspect: $(cat "$work/out")"
grep -q "activation (Activation: softmax)" "$work/out" || fail "inspect lacks softmax"
grep -q "^  ngrams: 2$" "$work/out" || fail "inspect lacks ngrams"
grep -q "^  mask_padding: true$" "$work/out" || fail "inspect lacks mask_padding"
grep -q "^  class_weight: balanced$" "$work/out" || fail "inspect lacks class_weight"
# Every file of the folder, one text per line, with its true class.
: >"$work/topics_input"; : >"$work/topics_truth"
for class in animals food sports; do
  for f in "$data/topics/$class"/*.txt; do
    tr '\n' ' ' <"$f" >>"$work/topics_input"; echo >>"$work/topics_input"
    echo "$class" >>"$work/topics_truth"
  done
done
"$bin" predict "$work/topics_bundle" --all <"$work/topics_input" >"$work/all" || fail "predict --all"
"$bin" predict "$work/topics_bundle" --logits <"$work/topics_input" >"$work/logits3" || fail "predict --logits"
"$bin" predict "$work/topics_bundle" <"$work/topics_input" >"$work/top" || fail "predict"
[ "$(wc -l <"$work/all")" -eq 24 ] || fail "predict --all: expected 24 lines"
awk -F'\t' 'NF != 4 { print "line " NR ": " NF " fields"; bad = 1 } END { exit bad }' "$work/all" \
  || fail "predict --all does not print 3 probabilities and a class"
# softmax(logits) equals the probabilities; the top one is the default output.
paste "$work/logits3" "$work/all" "$work/top" | awk -F'\t' '
  { m = $1; for (k = 2; k <= 3; k++) if ($k > m) m = $k
    s = 0; for (k = 1; k <= 3; k++) s += exp($k - m)
    top = 0
    for (k = 1; k <= 3; k++) {
      p = exp($k - m) / s; d = p - $(k + 4); if (d < 0) d = -d
      if (d > 1e-5) { print "line " NR ": softmax(" $k ") = " p " != " $(k + 4); bad = 1 }
      if ($(k + 4) > top) top = $(k + 4)
    }
    if ($4 != $8 || $8 != $10) { print "line " NR ": classes differ"; bad = 1 }
    d = top - $9; if (d < 0) d = -d
    if (d > 1e-6) { print "line " NR ": default output is not the top probability"; bad = 1 } }
  END { exit bad }' || fail "softmax of the logits differs from the probabilities"
correct=$(paste "$work/top" "$work/topics_truth" | awk -F'\t' '$2 == $3 { n++ } END { print n + 0 }')
expect_exit 0 "$bin" evaluate "$work/topics_bundle" "$data/topics"
predicted=$(awk -v c="$correct" 'BEGIN { printf "%.4f", c / 24 }')
grep -q "accuracy: $predicted - files: 24" "$work/out" \
  || fail "evaluate ($(cat "$work/out")) differs from predict's accuracy $predicted"

check "train --autotune-trials 3: three trial lines, a model that predicts, the same bytes twice"
expect_exit 0 "$bin" train "$data/reviews" -o "$work/tuned" --sequence-length 10 \
  --batch-size 4 --learning-rate 0.05 --validation-split 0.25 --threads 1 --autotune-trials 3
[ "$(grep -Ec '^Trial [0-9]+: learning_rate [0-9.e-]+, embedding_dim [0-9]+, ngrams [12], mask_padding (on|off), max_tokens [0-9]+ -> best epoch [0-9]+ of [0-9]+, val_loss [0-9.]+, val_accuracy [0-9.]+, [0-9.]+s$' "$work/err")" -eq 3 ] \
  || fail "expected 3 trial lines: $(cat "$work/err")"
grep -q '^Chose trial [1-3] of 3 ' "$work/err" || fail "no choice line: $(cat "$work/err")"
grep -q '^Epoch ' "$work/err" && fail "autotune printed epoch lines"
expect_exit 0 "$bin" train "$data/reviews" -o "$work/tuned2" --sequence-length 10 \
  --batch-size 4 --learning-rate 0.05 --validation-split 0.25 --threads 1 --autotune-trials 3
cmp -s "$work/tuned" "$work/tuned2" || fail "two runs of --autotune-trials 3 wrote different bytes"
expect_exit 0 "$bin" export "$work/tuned" -o "$work/tuned_bundle"
echo "Great fun, loved it!" | "$bin" predict "$work/tuned_bundle" >"$work/out" \
  || fail "predict with the autotuned model failed"
grep -Eq $'^[0-9.e-]+\t(pos|neg)$' "$work/out" || fail "autotuned predict printed: $(cat "$work/out")"
expect_exit 2 "$bin" train "$data/reviews" -o "$work/untuned" --validation-split 0 --autotune 5
grep -q "needs a validation set" "$work/err" || fail "validation split 0: $(cat "$work/err")"
[ ! -e "$work/untuned" ] || fail "a refused autotune wrote a model"
expect_exit 2 "$bin" train "$data/reviews" -o "$work/untuned" --autotune 0
grep -q -- "--autotune must be a positive number" "$work/err" || fail "--autotune 0: $(cat "$work/err")"

check "the bundled default model calls a glowing review positive"
echo "The movie was great!" | "$bin" predict "$default_bundle" >"$work/out" || fail "default model failed"
awk -F'\t' '{ exit !($1 > 0.7 && $2 == "pos") }' "$work/out" || fail "default model said: $(cat "$work/out")"

echo "all CLI checks passed"
