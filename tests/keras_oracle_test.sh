#!/usr/bin/env bash
# Compares the vocabulary `sentiment train` learns with the Python/numpy
# oracle of Keras's algorithm (keras_vocabulary_oracle.py), for several
# folders, seeds, splits, caps and standardize modes. Run by ctest:
#   keras_oracle_test.sh SENTIMENT_BINARY REPOSITORY_ROOT
set -uo pipefail
bin=$1
root=$2
here=$(dirname "$0")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

status=0
while read -r dir seed split max_tokens mode; do
  "$bin" train "$root/$dir" -o "$work/model" --epochs 1 --seed "$seed" \
    --validation-split "$split" --max-tokens "$max_tokens" --standardize "$mode" \
    2>"$work/log" || { cat "$work/log"; exit 1; }
  "$bin" inspect "$work/model" --vocabulary >"$work/ours" || exit 1
  /usr/bin/python3 "$here/keras_vocabulary_oracle.py" "$root/$dir" "$seed" "$split" \
    "$max_tokens" "$mode" >"$work/oracle" || exit 1
  if cmp -s "$work/ours" "$work/oracle"; then
    echo "same vocabulary ($(wc -l <"$work/ours") tokens): $dir seed=$seed split=$split max_tokens=$max_tokens $mode"
  else
    echo "DIFFERENT vocabulary: $dir seed=$seed split=$split max_tokens=$max_tokens $mode"
    diff "$work/ours" "$work/oracle" | head -10
    status=1
  fi
done <<'CASES'
data/train 42 0.2 10000 tutorial
data/train 7 0.3 60 lower_and_strip_punctuation
data/train 123 0.5 500 lower
data/train 0 0.1 300 strip_punctuation
data/train 42 0.2 200 none
tests/data/reviews 1 0.25 12 tutorial
CASES
exit $status
