#!/usr/bin/env bash
# --standardize unicode end to end through the executable, run by ctest:
#   unicode_cli_test.sh SENTIMENT_BINARY
# Trains on German, French and Greek reviews (one with ill-formed UTF-8),
# checks the mode and the folded vocabulary survive the model file and the
# export bundle, and that predict answers every line, ill-formed or not.
set -uo pipefail
export LC_ALL=C
bin=$1
source "$(dirname "${BASH_SOURCE[0]}")/shell_test_lib.sh"

mkdir -p "$work/reviews/pos" "$work/reviews/neg"
printf 'Die STRASSE war GROSSARTIG\xef\xbc\x81 \xc2\xabwunderbar\xc2\xbb\n' >"$work/reviews/pos/1.txt"
printf 'C\xe2\x80\x99est g\xc3\xa9nial\xe2\x80\xa6 Stra\xc3\x9fe \xce\xa3\xce\x9f\xce\xa6\xce\x9f\xce\xa3\n' >"$work/reviews/pos/2.txt"
printf 'wunderbar<BR />g\xc3\xa9nial\xe3\x80\x80\xcf\x83\xce\xbf\xcf\x86\xce\xbf\xcf\x82\n' >"$work/reviews/pos/3.txt"
printf 'Langweilig\xe2\x80\x94 schrecklich\xc2\xa0\xc2\xa1nein!\n' >"$work/reviews/neg/1.txt"
printf 'ennuyeux \xc2\xbfpourquoi? caf\xff\xc3 schrecklich\n' >"$work/reviews/neg/2.txt"
printf 'LANGWEILIG\xe2\x80\xa8ennuyeux\n' >"$work/reviews/neg/3.txt"

check "train --standardize unicode"
"$bin" train "$work/reviews" -o "$work/model" --standardize unicode --sequence-length 8 \
  --epochs 3 --batch-size 2 --validation-split 0 >"$work/out" 2>"$work/err" \
  || fail "train failed: $(cat "$work/err")"

check "the model file and the bundle record the mode"
"$bin" export "$work/model" -o "$work/bundle" 2>"$work/err" || fail "export failed: $(cat "$work/err")"
for file in model bundle; do
  "$bin" inspect "$work/$file" >"$work/out" 2>"$work/err" || fail "inspect $file: $(cat "$work/err")"
  grep -q "standardize: unicode" "$work/out" || fail "inspect $file: $(cat "$work/out")"
done

check "the vocabulary holds folded, normalized tokens without punctuation"
# Ill-formed bytes (caf\xff\xc3) pass through as they are.
"$bin" inspect "$work/bundle" --vocabulary >"$work/vocabulary" || fail "inspect --vocabulary failed"
for token in strasse wunderbar grossartig langweilig ennuyeux schrecklich \
  "$(printf 'g\xc3\xa9nial')" "$(printf '\xcf\x83\xce\xbf\xcf\x86\xce\xbf\xcf\x83')" \
  "$(printf 'caf\xff\xc3')"; do
  grep -qxF -- "$token" "$work/vocabulary" || fail "no '$token' in: $(cat "$work/vocabulary")"
done
for token in "$(printf 'stra\xc3\x9fe')" STRASSE "$(printf 'Die')" nein! ; do
  ! grep -qxF -- "$token" "$work/vocabulary" || fail "'$token' in the vocabulary"
done

check "predict answers every line, ill-formed UTF-8 included"
printf 'Stra\xc3\x9fe wunderbar\n\xc3\n\xed\xa0\x80 langweilig\ncaf\xff\xc3\n\n\xe2\x80\xa8\n' >"$work/input"
"$bin" predict "$work/bundle" <"$work/input" >"$work/predictions" 2>"$work/err" \
  || fail "predict failed: $(cat "$work/err")"
[ "$(wc -l <"$work/predictions")" -eq 6 ] || fail "expected 6 lines: $(cat "$work/predictions")"

echo "all unicode CLI checks passed"
