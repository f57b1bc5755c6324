#!/usr/bin/env bash
# Robustness cases that need changes outside the files the robustness work
# owns; they fail until those land. Off by default: configure with
# -DSENTIMENT_PENDING_TESTS=ON to run them as ctest "cli_robustness_pending".
#   robustness_pending_test.sh SENTIMENT_BINARY TEST_DATA_DIR
#
# 1. src/trainer.cpp, Fit: Adam at --learning-rate 1e6 blows the loss up to
#    ~1e11 but never past FLT_MAX, so "the loss is not finite" never fires
#    and a useless model is written. Proposed: also stop when the epoch's
#    mean loss exceeds 1000 (it starts near log 2 = 0.69).
# 2. src/commands.cpp, RunExport: exporting a bundle is a wrong-kind model
#    file, exit 3 as the README's exit-code table says (predict on a trained
#    model is already 3), not InvalidInput (2).
set -uo pipefail
bin=$1
data=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
check() { echo "check: $*"; }

check "--learning-rate 1e6 diverges: exit 2, a clear message, no model"
timeout 300 "$bin" train "$data/reviews" -o "$work/model" --sequence-length 10 \
  --epochs 10 --learning-rate 1e6 >/dev/null 2>"$work/err"
code=$?
[ "$code" -eq 2 ] || fail "exited $code, expected 2: $(tail -n 1 "$work/err")"
tail -n 1 "$work/err" | grep -q '^sentiment: training diverged: ' \
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

echo "all pending robustness checks passed"
