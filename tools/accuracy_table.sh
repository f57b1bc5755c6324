#!/usr/bin/env bash
# Prints one markdown table of what each training option does to test
# accuracy, measured in this one run (issue 8). From a fresh clone:
#
#   tools/setup.sh && tools/accuracy_table.sh
#
# Rows: the tutorial's settings (baseline), then each option alone
# (--ngrams 2, --mask-padding, --class-weight balanced), then all three.
# Columns, per corpus: test accuracy from `sentiment evaluate MODEL TEST`,
# balanced accuracy (mean per-class recall, from `sentiment predict` on the
# test files flattened to one line each; tools/score_predictions.py) and the
# wall time of `sentiment train`. Corpora and epochs:
#   - data/train -> data/test: UCI sentences, 2 classes, 100 epochs (the
#     tutorial's 10 barely move a model on one-sentence texts; see README);
#   - data/sotu/train -> data/sotu/test: SOTU sentences by president,
#     4 classes, 100 epochs;
#   - the benchmark's synthetic reviews (build/make_corpus --seed 1, 25,000
#     train + 25,000 test unless --train/--test say otherwise), 2 classes,
#     10 epochs, as tools/benchmark.sh trains them.
# Everything else is the tutorial's (--preset tutorial: max-tokens 10000,
# sequence length 250, dim 16, dropout 0.2, batch 32, lr 0.001, validation
# split 0.2, seed 42, no early stopping).
# A first row gives what always answering the largest class scores.
# Takes a few minutes on an idle 2-core machine (15 trainings).
#
# Options:
#   --build-dir DIR  build folder (default build; built if needed)
#   --corpus DIR     a make_corpus folder to reuse (its train/ and test/, as
#                    tools/benchmark.sh --corpus DIR leaves them); otherwise
#                    one is generated into a temporary folder
#   --train N --test N --seed S   synthetic corpus settings when generated
#   --seed-train S   the training seed (default 42)
set -euo pipefail
export LC_ALL=C
cd "$(dirname "$0")/.."
readonly root="$PWD"

build="build"
corpus=""
train_docs=25000
test_docs=25000
corpus_seed=1
train_seed=42
readonly small_epochs=100 synthetic_epochs=10

usage() { sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; }
while [ $# -gt 0 ]; do
  case "$1" in
    --build-dir) build="$2"; shift 2 ;;
    --corpus) corpus="$2"; shift 2 ;;
    --train) train_docs="$2"; shift 2 ;;
    --test) test_docs="$2"; shift 2 ;;
    --seed) corpus_seed="$2"; shift 2 ;;
    --seed-train) train_seed="$2"; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "accuracy_table.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
done

log() { echo "accuracy_table.sh: $*" >&2; }
calc() { awk "BEGIN { printf \"$1\", $2 }"; }

start_load=$(cut -d' ' -f1 /proc/loadavg)

log "building $build (Release)"
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release > /dev/null
cmake --build "$build" --target sentiment_cli make_corpus >&2
case "$build" in
  /*) bin="$build" ;;
  *) bin="$root/$build" ;;
esac
sentiment="$bin/sentiment"

work="$(mktemp -d "${TMPDIR:-/tmp}/sentiment-accuracy.XXXXXX")"
trap 'rm -rf "$work"' EXIT

if [ -n "$corpus" ] && [ -d "$corpus/train" ] && [ -d "$corpus/test" ]; then
  log "reusing the synthetic corpus in $corpus"
  synthetic_note="the make_corpus folder $corpus"
  if [ -f "$corpus/.make_corpus_stamp" ]; then  # written by tools/benchmark.sh
    synthetic_note="make_corpus $(cut -d' ' -f1-3 "$corpus/.make_corpus_stamp" |
      sed 's/seed=/--seed /; s/train=/--train /; s/test=/--test /'), reused"
  fi
else
  corpus="$work/synthetic"
  log "generating the synthetic corpus ($train_docs + $test_docs reviews, seed $corpus_seed)"
  "$bin/make_corpus" --out "$corpus" --train "$train_docs" --test "$test_docs" \
    --seed "$corpus_seed" --predict-lines-mb 0 >&2
  synthetic_note="make_corpus --seed $corpus_seed --train $train_docs --test $test_docs"
fi

# name|train dir|test dir|epochs|column title
corpora=(
  "uci|data/train|data/test|$small_epochs|data: UCI sentences, 2 classes"
  "sotu|data/sotu/train|data/sotu/test|$small_epochs|data/sotu: presidents, 4 classes"
  "synthetic|$corpus/train|$corpus/test|$synthetic_epochs|synthetic reviews, 2 classes"
)
# label|flags
options=(
  "baseline (tutorial settings)|"
  "\`--ngrams 2\`|--ngrams 2"
  "\`--mask-padding\`|--mask-padding"
  "\`--class-weight balanced\`|--class-weight balanced"
  "all three|--ngrams 2 --mask-padding --class-weight balanced"
)

declare -A accuracy balanced seconds majority chance files
for entry in "${corpora[@]}"; do
  IFS='|' read -r name train_dir test_dir epochs _ <<<"$entry"
  # The test files as one line each (newlines to spaces: the whitespace
  # split makes that the same tokens), labelled, in folder order.
  tools/folders_to_fasttext.py "$test_dir" "$work/$name.ft" --shuffle-seed -1 2> /dev/null
  cut -d' ' -f2- "$work/$name.ft" > "$work/$name.txt"
  files[$name]=$(wc -l < "$work/$name.ft")
  classes=$(cut -d' ' -f1 "$work/$name.ft" | sort -u | wc -l)
  majority[$name]=$(calc "%.4f" "$(cut -d' ' -f1 "$work/$name.ft" | sort | uniq -c | sort -rn | awk 'NR == 1 { print $1 }') / ${files[$name]}")
  chance[$name]=$(calc "%.4f" "1 / $classes")
  for i in "${!options[@]}"; do
    IFS='|' read -r label flags <<<"${options[$i]}"
    log "$name: ${label//\`/} ($epochs epochs)"
    model="$work/$name.$i.sentiment"
    # shellcheck disable=SC2086  # flags are words
    start=$EPOCHREALTIME
    "$sentiment" train "$train_dir" -o "$model" --preset tutorial --epochs "$epochs" --seed "$train_seed" $flags \
      > /dev/null 2> "$work/train.err" || { cat "$work/train.err" >&2; exit 1; }
    end=$EPOCHREALTIME
    seconds[$name.$i]=$(calc "%.1f" "$end - $start")
    accuracy[$name.$i]=$("$sentiment" evaluate "$model" "$test_dir" | grep -o 'accuracy: [0-9.]*' | awk '{ print $2 }')
    "$sentiment" export "$model" -o "$model.bundle" > /dev/null 2>&1
    "$sentiment" predict "$model.bundle" < "$work/$name.txt" > "$work/$name.pred"
    read -r predicted_accuracy balanced[$name.$i] _ < <(tools/score_predictions.py "$work/$name.ft" "$work/$name.pred")
    if [ "$predicted_accuracy" != "${accuracy[$name.$i]}" ]; then
      log "warning: $name ${label//\`/}: predict scores $predicted_accuracy on the flattened test lines, evaluate ${accuracy[$name.$i]}"
    fi
  done
done

header="| option |"
rule="|---|"
for entry in "${corpora[@]}"; do
  IFS='|' read -r _ _ _ _ title <<<"$entry"
  header+=" $title: accuracy | balanced | train s |"
  rule+="---:|---:|---:|"
done
revision=$(git -C "$root" describe --always --dirty 2>/dev/null || echo unknown)

echo "## What each training option does to test accuracy"
echo
echo "- date: $(date -u '+%Y-%m-%d %H:%M UTC'); sentiment $revision; $(nproc) cores; load average $start_load at the start, $(cut -d' ' -f1 /proc/loadavg) at the end"
echo "- data/train -> data/test ($(wc -l < "$work/uci.ft") test files) and data/sotu/train -> data/sotu/test (${files[sotu]}): $small_epochs epochs; synthetic reviews ($synthetic_note; ${files[synthetic]} test files): $synthetic_epochs epochs"
echo "- otherwise the tutorial's settings: max-tokens 10000 (unigrams and n-grams share them), sequence length 250 (n-grams come after the unigrams, so a long text's n-grams are cut), dim 16, dropout 0.2, batch 32, Adam lr 0.001, validation split 0.2 (the model trains on 80% of train), seed $train_seed, one run each"
echo "- accuracy: \`sentiment evaluate\`; balanced: mean per-class recall of \`sentiment predict\` on the same files; train s: wall time of \`sentiment train\` (read, adapt, epochs)"
echo
echo "$header"
echo "$rule"
row="| always the largest class |"
for entry in "${corpora[@]}"; do
  IFS='|' read -r name _ <<<"$entry"
  row+=" ${majority[$name]} | ${chance[$name]} | |"
done
echo "$row"
for i in "${!options[@]}"; do
  IFS='|' read -r label _ <<<"${options[$i]}"
  row="| $label |"
  for entry in "${corpora[@]}"; do
    IFS='|' read -r name _ <<<"$entry"
    row+=" ${accuracy[$name.$i]} | ${balanced[$name.$i]} | ${seconds[$name.$i]} |"
  done
  echo "$row"
done
