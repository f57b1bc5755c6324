#!/usr/bin/env bash
# End to end, calibrate through the executable, run by ctest:
#   calibrate_cli_test.sh SENTIMENT_BINARY SOURCE_DIR
# On the bundled default model and data/test: the temperature is written,
# predict --logits and the classes are byte-identical, evaluate's loss falls,
# inspect shows T, a refit replaces T; refusals exit non-zero with one line
# and write nothing. The first failure stops the script.
set -uo pipefail
bin=$1
source_dir=$2
bundle=$source_dir/models/default.sentiment
data=$source_dir/data/test
source "$(dirname "${BASH_SOURCE[0]}")/shell_test_lib.sh"

find "$data" -name '*.txt' | sort | xargs awk 1 | tr '\r' '\n' > "$work/lines.txt"

check "calibrate writes a bundle with a temperature and reports the losses"
expect_exit 0 "$bin" calibrate "$bundle" "$data" -o "$work/calibrated.sentiment"
grep -q '^Fitted on 600 files: temperature [0-9.]*\.$' "$work/err" || fail "no fit line: $(cat "$work/err")"
grep -q '^log-loss: [0-9.]* at T = 1, [0-9.]* at T = [0-9.]* - accuracy: ' "$work/err" \
  || fail "no loss line: $(cat "$work/err")"
[ -s "$work/calibrated.sentiment" ] || fail "no output file"
temperature=$(sed -n 's/^Fitted on 600 files: temperature \([0-9.]*\)\.$/\1/p' "$work/err")
[ "$temperature" != 1 ] || fail "temperature 1"

check "predict --logits and the classes are byte-identical"
"$bin" predict --logits "$bundle" "$work/lines.txt" > "$work/logits.before" || fail "predict"
"$bin" predict --logits "$work/calibrated.sentiment" "$work/lines.txt" > "$work/logits.after" || fail "predict"
cmp -s "$work/logits.before" "$work/logits.after" || fail "--logits output changed"
"$bin" predict "$bundle" "$work/lines.txt" > "$work/p.before" || fail "predict"
"$bin" predict "$work/calibrated.sentiment" "$work/lines.txt" > "$work/p.after" || fail "predict"
cmp -s "$work/p.before" "$work/p.after" && fail "the probabilities did not change"
cmp -s <(cut -f2 "$work/p.before") <(cut -f2 "$work/p.after") || fail "a class changed"

check "evaluate reports the calibrated loss, no higher, same accuracy"
before=$("$bin" evaluate "$bundle" "$data" | head -n 1) || fail "evaluate"
after=$("$bin" evaluate "$work/calibrated.sentiment" "$data" | head -n 1) || fail "evaluate"
loss_before=$(echo "$before" | sed 's/^loss: \([0-9.]*\) .*/\1/')
loss_after=$(echo "$after" | sed 's/^loss: \([0-9.]*\) .*/\1/')
awk -v a="$loss_after" -v b="$loss_before" 'BEGIN { exit !(a < b) }' \
  || fail "loss $loss_after not below $loss_before"
[ "${before#* - }" = "${after#* - }" ] || fail "accuracy changed: $before / $after"
"$bin" evaluate "$bundle" "$data" --json > "$work/before.json" || fail "evaluate --json"
"$bin" evaluate "$work/calibrated.sentiment" "$data" --json > "$work/after.json" || fail "evaluate --json"
/usr/bin/python3 - "$work/before.json" "$work/after.json" <<'PY' || fail "the JSON report ignores the temperature"
import json, sys
before, after = (json.load(open(path)) for path in sys.argv[1:])
assert after["loss"] < before["loss"], (before["loss"], after["loss"])
assert after["ece"] != before["ece"] and after["brier"] != before["brier"]
assert after["accuracy"] == before["accuracy"] and after["confusion"] == before["confusion"]
assert abs(after["roc_auc"] - before["roc_auc"]) < 1e-12  # a monotone change of the scores
PY
grep -q "^log-loss: $loss_before at T = 1, $loss_after at T = $temperature - " "$work/err" \
  || fail "calibrate's losses ($(cat "$work/err")) are not evaluate's ($loss_before, $loss_after)"

check "inspect shows the temperature and format version 4"
expect_exit 0 "$bin" inspect "$work/calibrated.sentiment"
grep -q "^  activation: sigmoid (temperature $temperature, calibrated)$" "$work/out" \
  || fail "no temperature in inspect: $(cat "$work/out")"
grep -q "format version 4)" "$work/out" || fail "not format version 4"

check "calibrating a calibrated bundle refits from the raw logits"
expect_exit 0 "$bin" calibrate "$work/calibrated.sentiment" "$data" -o "$work/again.sentiment"
grep -q "temperature $temperature (replaces $temperature; fitted from the raw logits)" "$work/err" \
  || fail "no refit line: $(cat "$work/err")"
cmp -s "$work/calibrated.sentiment" "$work/again.sentiment" || fail "the refit differs"

check "a trained model is refused, naming export"
mkdir -p "$work/data/neg" "$work/data/pos"
echo "a dull film" > "$work/data/neg/a.txt"
echo "a fine film" > "$work/data/pos/a.txt"
expect_exit 0 "$bin" train "$work/data" -o "$work/model.sentiment" --epochs 1 --validation-split 0
expect_exit 3 "$bin" calibrate "$work/model.sentiment" "$data" -o "$work/out.sentiment"
grep -q "^sentiment: .*model.sentiment: is a trained model, not an exported bundle; run 'sentiment export .* -o BUNDLE' first and calibrate with BUNDLE$" "$work/err" \
  || fail "message: $(cat "$work/err")"
[ ! -e "$work/out.sentiment" ] || fail "wrote an output"

check "data without examples, of unknown classes, or without a minimum is refused"
mkdir -p "$work/empty/neg"
expect_exit 2 "$bin" calibrate "$bundle" "$work/empty" -o "$work/out.sentiment"
mkdir -p "$work/other/spam"
echo "buy now" > "$work/other/spam/a.txt"
expect_exit 2 "$bin" calibrate "$bundle" "$work/other" -o "$work/out.sentiment"
grep -q "class 'spam' is not one of the model's (neg, pos)" "$work/err" || fail "message: $(cat "$work/err")"
# One text the model gets right: the loss falls without bound as T shrinks.
mkdir -p "$work/one/pos"
echo "The movie was great!" > "$work/one/pos/a.txt"
expect_exit 2 "$bin" calibrate "$bundle" "$work/one" -o "$work/out.sentiment"
grep -q "^sentiment: the temperature fit does not converge: .*T shrinks towards 0" "$work/err" \
  || fail "message: $(cat "$work/err")"
[ "$(wc -l < "$work/err")" -eq 1 ] || fail "not one line: $(cat "$work/err")"
[ ! -e "$work/out.sentiment" ] || fail "wrote an output"

echo "all calibrate checks passed"
