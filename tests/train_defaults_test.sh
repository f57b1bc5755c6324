#!/usr/bin/env bash
# End to end, train's defaults and --preset, run by ctest:
#   train_defaults_test.sh SENTIMENT_BINARY TEST_DATA_DIR
# The defaults are the measured ones (README "Defaults"); --preset tutorial
# is every tutorial value spelled out, and explicit flags override it in any
# order; the default early stopping steps aside without a validation set.
set -uo pipefail
bin=$1
data=$2
source "$(dirname "${BASH_SOURCE[0]}")/shell_test_lib.sh"

# The value of one "  key: value" line of `inspect`.
setting() { "$bin" inspect "$1" | sed -n "s/^  $2: //p"; }

check "no flags: learning rate 0.01, up to 50 epochs, early stopping after 3"
expect_exit 0 "$bin" train "$data/reviews" -o "$work/default.model" --threads 1
[ "$(setting "$work/default.model" learning_rate)" = 0.01 ] || fail "learning_rate: $(setting "$work/default.model" learning_rate)"
[ "$(setting "$work/default.model" epochs)" = 50 ] || fail "epochs: $(setting "$work/default.model" epochs)"
setting "$work/default.model" patience | grep -q '^3' || fail "patience: $(setting "$work/default.model" patience)"
[ "$(setting "$work/default.model" ngrams)" = 1 ] || fail "ngrams"
[ "$(setting "$work/default.model" mask_padding)" = false ] || fail "mask_padding"

check "no flags: the sequence length is the 99th percentile of the training texts' terms"
# 199 texts of 5 words and one of 30: whichever 160 train, rank
# ceil(0.99 x 160) = 159 of their sorted term counts is 5.
{
  printf 'text\tlabel\n'
  for i in $(seq 1 199); do printf 'w%d good fine nice words\t%s\n' "$i" "$([ $((i % 2)) = 0 ] && echo pos || echo neg)"; done
  printf '%s\tpos\n' "$(seq -s ' ' 1 30)"
} > "$work/rows.tsv"
expect_exit 0 "$bin" train "$work/rows.tsv" -o "$work/rows.model" --epochs 1
[ "$(setting "$work/rows.model" output_sequence_length)" = 5 ] || fail "output_sequence_length: $(setting "$work/rows.model" output_sequence_length)"
grep -q "^Adapted a vocabulary of [0-9]* tokens and a sequence length of 5 (the 99th percentile of the training texts' terms), and vectorized" "$work/err" \
  || fail "stderr: $(cat "$work/err")"
expect_exit 0 "$bin" train "$work/rows.tsv" -o "$work/rows_auto.model" --epochs 1 --sequence-length auto
cmp -s "$work/rows.model" "$work/rows_auto.model" || fail "--sequence-length auto differs from the default"
expect_exit 2 "$bin" train "$work/rows.tsv" -o "$work/never" --sequence-length 0
[ "$(cat "$work/err")" = "sentiment: --sequence-length must be between 1 and 100000, or auto, got 0" ] || fail "stderr: $(cat "$work/err")"
expect_exit 0 "$bin" train "$work/rows.tsv" -o "$work/rows_tutorial.model" --epochs 1 --preset tutorial
[ "$(setting "$work/rows_tutorial.model" output_sequence_length)" = 250 ] || fail "the preset's length is not 250"

check "--preset tutorial is the tutorial's values spelled out"
expect_exit 0 "$bin" train "$data/reviews" -o "$work/preset.model" --preset tutorial --threads 1
expect_exit 0 "$bin" train "$data/reviews" -o "$work/spelled.model" --threads 1 --epochs 10 \
  --learning-rate 0.001 --batch-size 32 --embedding-dim 16 --dropout 0.2 --max-tokens 10000 \
  --sequence-length 250 --validation-split 0.2 --seed 42 --ngrams 1 --patience 0 \
  --standardize tutorial --class-weight none
cmp -s "$work/preset.model" "$work/spelled.model" || fail "--preset tutorial differs from its values spelled out"
cmp -s "$work/preset.model" "$work/default.model" && fail "the defaults are the tutorial's"

check "explicit flags override the preset before or after it"
for order in before after; do
  if [ "$order" = before ]; then
    expect_exit 0 "$bin" train "$data/reviews" -o "$work/$order.model" --epochs 12 --learning-rate 0.05 --preset tutorial --threads 1
  else
    expect_exit 0 "$bin" train "$data/reviews" -o "$work/$order.model" --preset tutorial --epochs 12 --learning-rate 0.05 --threads 1
  fi
  [ "$(grep -c '^Epoch' "$work/err")" -eq 12 ] || fail "flags $order --preset: $(grep -c '^Epoch' "$work/err") epochs"
  [ "$(setting "$work/$order.model" learning_rate)" = 0.05 ] || fail "learning rate $order --preset"
  setting "$work/$order.model" patience | grep -q '^0' || fail "patience $order --preset is not the tutorial's"
done
cmp -s "$work/before.model" "$work/after.model" || fail "flag order changed the model"

check "an unknown preset is named"
expect_exit 2 "$bin" train "$data/reviews" -o "$work/never" --preset keras
[ "$(cat "$work/err")" = "sentiment: unknown preset 'keras' (known: tutorial)" ] || fail "stderr: $(cat "$work/err")"
[ ! -e "$work/never" ] || fail "a refused run wrote a model"

check "no validation set: the default early stopping steps aside, an explicit one is refused"
expect_exit 0 "$bin" train "$data/reviews" -o "$work/all.model" --validation-split 0 --epochs 3
grep -q "^warning: no validation files to stop early on: training all 3 epochs (set --epochs, or a --validation-split that holds some files)$" "$work/err" \
  || fail "stderr: $(cat "$work/err")"
[ "$(grep -c '^Epoch' "$work/err")" -eq 3 ] || fail "expected 3 epochs"
expect_exit 2 "$bin" train "$data/reviews" -o "$work/never" --validation-split 0 --patience 2
grep -q "patience needs a validation set" "$work/err" || fail "stderr: $(cat "$work/err")"

echo "train_defaults_test: all checks passed"
