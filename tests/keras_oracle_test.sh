#!/usr/bin/env bash
# Compares the vocabulary `sentiment train` learns with the Python/numpy
# oracle of Keras's algorithm (keras_vocabulary_oracle.py), for several
# folders (2 and 4 classes), seeds, splits, caps, standardize modes and
# n-gram widths. First runs the oracle's own self-test (hand-worked n-gram
# and vocabulary examples). Run by ctest:
#   keras_oracle_test.sh SENTIMENT_BINARY REPOSITORY_ROOT
set -uo pipefail
bin=$1
root=$2
here=$(dirname "$0")
oracle="$here/keras_vocabulary_oracle.py"
source "$(dirname "${BASH_SOURCE[0]}")/shell_test_lib.sh"

/usr/bin/python3 "$oracle" --self-test || { echo "oracle self-test failed"; exit 1; }

status=0
passed=0
failed=0
while read -r dir seed split max_tokens mode ngrams; do
  # --ngrams is passed only when it is not the default, so the 1-gram cases
  # also hold for a binary that predates the flag.
  ngram_flag=()
  [[ $ngrams == 1 ]] || ngram_flag=(--ngrams "$ngrams")
  what="$dir seed=$seed split=$split max_tokens=$max_tokens $mode ngrams=$ngrams"
  if ! "$bin" train "$root/$dir" -o "$work/model" --epochs 1 --seed "$seed" \
      --validation-split "$split" --max-tokens "$max_tokens" --standardize "$mode" \
      "${ngram_flag[@]}" 2>"$work/log"; then
    echo "TRAIN FAILED: $what"
    head -5 "$work/log"
    status=1 failed=$((failed + 1))
    continue
  fi
  "$bin" inspect "$work/model" --vocabulary >"$work/ours" || exit 1
  /usr/bin/python3 "$oracle" "$root/$dir" "$seed" "$split" "$max_tokens" "$mode" \
    --ngrams "$ngrams" >"$work/oracle" || exit 1
  if cmp -s "$work/ours" "$work/oracle"; then
    echo "same vocabulary ($(wc -l <"$work/ours") tokens): $what"
    passed=$((passed + 1))
  else
    echo "DIFFERENT vocabulary: $what"
    diff "$work/ours" "$work/oracle" | head -10
    status=1 failed=$((failed + 1))
  fi
done <<'CASES'
data/train 42 0.2 10000 tutorial 1
data/train 7 0.3 60 lower_and_strip_punctuation 1
data/train 123 0.5 500 lower 1
data/train 0 0.1 300 strip_punctuation 1
data/train 42 0.2 200 none 1
tests/data/reviews 1 0.25 12 tutorial 1
data/train 42 0.2 10000 tutorial 2
data/train 7 0.3 500 lower_and_strip_punctuation 2
data/train 3 0.2 20000 tutorial 3
data/train 11 0.25 1000 none 3
tests/data/reviews 1 0.25 40 tutorial 3
data/sotu/train 42 0.2 10000 tutorial 1
data/sotu/train 5 0.1 800 lower 1
data/sotu/train 42 0.2 10000 tutorial 2
data/sotu/train 9 0.3 3000 lower_and_strip_punctuation 2
data/sotu/train 42 0.2 50000 tutorial 3
data/sotu/train 2 0.2 700 strip_punctuation 3
CASES
echo "$passed passed, $failed failed"
exit $status
