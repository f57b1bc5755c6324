#!/usr/bin/env bash
# The training history end to end, run by ctest:
#   plot_cli_test.sh SENTIMENT_BINARY TEST_DATA_DIR
# train records the validation logits' histograms, inspect summarises them,
# inspect --plot draws a valid PNG or SVG, --quiet silences the log, and a
# log that is not a terminal has no carriage return.
set -uo pipefail
bin=$1
data=$2
source "$(dirname "${BASH_SOURCE[0]}")/shell_test_lib.sh"

check "train's log, not a terminal, has no carriage return"
expect_exit 0 "$bin" train "$data/reviews" -o "$work/model" --sequence-length 10 \
  --epochs 5 --batch-size 4 --learning-rate 0.05 --validation-split 0.25 --patience 0
grep -q $'\r' "$work/err" && fail "carriage return in a log file"
[ "$(grep -c '^Epoch [1-5]/5 - ' "$work/err")" -eq 5 ] || fail "epoch lines: $(cat "$work/err")"

check "inspect summarises the validation margins of every epoch"
expect_exit 0 "$bin" inspect "$work/model"
grep -q '^Validation margins by true class (the logit; 40 bins over \[-10, 10\])' "$work/out" \
  || fail "no margin summary: $(cat "$work/out")"
[ "$(grep -Ec '^  Epoch [1-5]/5 - neg: [-+][0-9.]+, [0-9.]+% - pos: [-+][0-9.]+, [0-9.]+%$' "$work/out")" -eq 5 ] \
  || fail "margin lines: $(cat "$work/out")"

check "--plot FILE.png writes a PNG"
expect_exit 0 "$bin" inspect "$work/model" --plot "$work/history.png"
grep -q "^Drew the training history of .* (5 epochs) to .*history.png.$" "$work/err" \
  || fail "plot message: $(cat "$work/err")"
[ -s "$work/out" ] && fail "--plot printed on standard output: $(cat "$work/out")"
/usr/bin/python3 - "$work/history.png" <<'PY' || fail "not a PNG"
import struct, sys
data = open(sys.argv[1], "rb").read()
assert data[:8] == b"\x89PNG\r\n\x1a\n", data[:8]
length, kind, width, height = struct.unpack(">I4sII", data[8:24])
assert kind == b"IHDR" and (width, height) == (1280, 840), (kind, width, height)
assert data[-8:-4] == b"IEND"
PY
ls -a "$work" | grep -q '\.tmp-' && fail "a temporary file was left"

check "--plot FILE.svg writes SVG that parses as XML"
expect_exit 0 "$bin" inspect "$work/model" --plot "$work/history.svg" --quiet
[ -s "$work/err" ] && fail "--quiet printed: $(cat "$work/err")"
/usr/bin/python3 -c '
import sys, xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
assert root.tag.endswith("svg"), root.tag
' "$work/history.svg" || fail "the SVG does not parse"

check "--plot with another extension is refused, nothing written"
expect_exit 2 "$bin" inspect "$work/model" --plot "$work/history.gif"
grep -q "unknown figure format '.gif' (use a .png or .svg file name)" "$work/err" \
  || fail "message: $(cat "$work/err")"
[ -e "$work/history.gif" ] && fail "a .gif was written"

check "--quiet: train and export print nothing, errors still do"
expect_exit 0 "$bin" train "$data/reviews" -o "$work/quiet" --sequence-length 10 \
  --epochs 2 --batch-size 4 --validation-split 0.25 --patience 0 --quiet
[ -s "$work/err" ] && fail "train --quiet printed: $(cat "$work/err")"
expect_exit 0 "$bin" export "$work/quiet" -o "$work/quiet.bundle" -q
[ -s "$work/err" ] && fail "export --quiet printed: $(cat "$work/err")"
expect_exit 3 "$bin" export "$work/history.png" -o "$work/x" --quiet
grep -q "^sentiment: " "$work/err" || fail "--quiet hid an error"
echo "The movie was great!" > "$work/in.txt"
expect_exit 0 "$bin" predict "$work/quiet.bundle" "$work/in.txt" --quiet
[ "$(wc -l < "$work/out")" -eq 1 ] || fail "predict --quiet lost its output"
echo "all plot and progress checks passed"
