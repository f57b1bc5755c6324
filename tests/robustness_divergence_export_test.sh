#!/usr/bin/env bash
# Robustness cases for training that diverges without overflowing and for
# exporting a bundle again (exit 3). Run by ctest as
# "cli_robustness_divergence_and_export".
#   robustness_divergence_export_test.sh SENTIMENT_BINARY TEST_DATA_DIR
#
# 1. Adam at --learning-rate 1e6 blows the loss up to ~1e11 but never past
#    FLT_MAX; Fit also stops when an epoch's mean loss exceeds 1000.
# 2. Exporting a bundle is a wrong-kind model file: exit 3, like predict on
#    a trained model.
set -uo pipefail
bin=$1
data=$2
source "$(dirname "${BASH_SOURCE[0]}")/shell_test_lib.sh"

check "--learning-rate 1e6 diverges: exit 2, a clear message, no model"
timeout 300 "$bin" train "$data/reviews" -o "$work/model" --sequence-length 10 \
  --epochs 10 --learning-rate 1e6 >/dev/null 2>"$work/err"
code=$?
[ "$code" -eq 2 ] || fail "exited $code, expected 2: $(tail -n 1 "$work/err")"
tail -n 1 "$work/err" | grep -q '^sentiment: training diverged in epoch ' \
  || fail "message: $(tail -n 1 "$work/err")"
[ ! -e "$work/model" ] || fail "a diverged training wrote a model"

check "export of a bundle is a wrong-kind model file: exit 3"
"$bin" train "$data/reviews" -o "$work/trained" --sequence-length 10 --epochs 2 \
  >/dev/null 2>&1 || fail "train failed"
"$bin" export "$work/trained" -o "$work/bundle" >/dev/null 2>&1 || fail "export failed"
"$bin" export "$work/bundle" -o "$work/again" >/dev/null 2>"$work/err"
code=$?
[ "$code" -eq 3 ] || fail "exited $code, expected 3: $(cat "$work/err")"
[ "$(cat "$work/err")" = "sentiment: $work/bundle: is already an exported bundle" ] \
  || fail "message: $(cat "$work/err")"
[ ! -e "$work/again" ] || fail "a refused export wrote a file"

echo "divergence and export checks passed"
