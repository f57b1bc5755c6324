#!/usr/bin/env bash
# End to end, predict at scale, run by ctest:
#   predict_cli_test.sh SENTIMENT_BINARY SOURCE_DIR
# File arguments (- is standard input), --files on files and folders,
# --threshold, --threads giving the same bytes for any count, --format jsonl
# and --explain, all on the bundled default model. The first failure stops the script.
set -uo pipefail
bin=$1
source_dir=$2
bundle=$source_dir/models/default.sentiment
source "$(dirname "${BASH_SOURCE[0]}")/shell_test_lib.sh"

# Every line of the test set's texts, flattened: many blocks of lines.
find "$source_dir/data/test" -name '*.txt' | sort | xargs awk 1 | tr '\r' '\n' > "$work/lines.txt"
for i in 1 2 3 4; do cat "$work/lines.txt"; done > "$work/many.txt"
printf 'The movie was great!\nawful, a waste of time' > "$work/a.txt"  # no final newline
printf 'I loved every minute of it\n' > "$work/b.txt"

check "--threads 1, 2 and 7 write the same bytes"
"$bin" predict "$bundle" --threads 1 < "$work/many.txt" > "$work/t1" || fail "predict --threads 1"
[ "$(wc -l < "$work/t1")" -eq "$(wc -l < "$work/many.txt")" ] || fail "not one line per input line"
for threads in 2 7; do
  "$bin" predict "$bundle" --threads "$threads" < "$work/many.txt" > "$work/t$threads" \
    || fail "predict --threads $threads"
  cmp -s "$work/t1" "$work/t$threads" || fail "--threads $threads changed the output"
done
cat "$work/many.txt" | "$bin" predict "$bundle" --threads 2 --all --logits > "$work/piped" \
  || fail "piped predict"
"$bin" predict "$bundle" --threads 1 --all --logits < "$work/many.txt" | cmp -s - "$work/piped" \
  || fail "piped input with 2 threads differs from 1 thread"

check "FILE arguments are read in order, - is standard input"
expect_exit 0 "$bin" predict "$bundle" "$work/a.txt" - "$work/b.txt" < "$work/b.txt"
{ cat "$work/a.txt"; echo; cat "$work/b.txt" "$work/b.txt"; } | "$bin" predict "$bundle" > "$work/want"
cmp -s "$work/out" "$work/want" || fail "files and stdin: $(cat "$work/out")"
[ "$(wc -l < "$work/out")" -eq 4 ] || fail "expected 4 lines: $(cat "$work/out")"

check "a missing file is named before any output; a folder points to --files"
expect_exit 2 "$bin" predict "$bundle" "$work/a.txt" "$work/missing.txt"
[ "$(cat "$work/err")" = "sentiment: $work/missing.txt: no such file" ] || fail "stderr: $(cat "$work/err")"
[ ! -s "$work/out" ] || fail "output before the error: $(cat "$work/out")"
expect_exit 2 "$bin" predict "$bundle" "$work"
grep -q "is a directory (predict --files" "$work/err" || fail "stderr: $(cat "$work/err")"

check "--files: each file, or each .txt under a folder, is one text after its path"
mkdir -p "$work/mail/inner"
printf 'The movie\nwas great!\n' > "$work/mail/b.txt"
printf 'awful\r\nwaste of time' > "$work/mail/a.TXT"
printf 'ignored' > "$work/mail/c.eml"
printf 'I loved every minute of it' > "$work/mail/inner/z.txt"
expect_exit 0 "$bin" predict "$bundle" --files "$work/mail" "$work/b.txt"
{
  printf '%s\t' "$work/mail/a.TXT"; echo 'awful  waste of time' | "$bin" predict "$bundle"
  printf '%s\t' "$work/mail/b.txt"; echo 'The movie was great! ' | "$bin" predict "$bundle"
  printf '%s\t' "$work/mail/inner/z.txt"; echo 'I loved every minute of it' | "$bin" predict "$bundle"
  printf '%s\t' "$work/b.txt"; "$bin" predict "$bundle" < "$work/b.txt"
} > "$work/want"
cmp -s "$work/out" "$work/want" || fail "--files output: $(cat "$work/out") wanted $(cat "$work/want")"
"$bin" predict "$bundle" --files "$work/mail" "$work/b.txt" --threads 1 | cmp -s - "$work/out" \
  || fail "--files with 1 thread differs"
printf 'great' > "$work/mail/tab	name.txt"
expect_exit 0 "$bin" predict "$bundle" --files "$work/mail"
grep -qF "$work/mail/tab\\tname.txt	" "$work/out" || fail "a tab in a path is not escaped: $(cat "$work/out")"
[ "$(wc -l < "$work/out")" -eq 4 ] || fail "--files: one line per document"
expect_exit 2 "$bin" predict "$bundle" --files
[ "$(cat "$work/err")" = "sentiment: --files needs at least one FILE (a file or a folder)" ] \
  || fail "stderr: $(cat "$work/err")"

check "--threshold P: the second class when its printed probability is at least P"
head -n 200 "$work/lines.txt" > "$work/some.txt"
"$bin" predict "$bundle" --no-class < "$work/some.txt" > "$work/probabilities"
for p in 0 0.3 0.5 0.8 1 "$(sed -n 7p "$work/probabilities")"; do
  "$bin" predict "$bundle" --threshold "$p" < "$work/some.txt" > "$work/classes" \
    || fail "--threshold $p"
  awk -v p="$p" '{ print $1 "\t" ($1 + 0 >= p + 0 ? "pos" : "neg") }' "$work/probabilities" \
    | cmp -s - "$work/classes" || fail "--threshold $p disagrees with the probabilities"
done
expect_exit 2 "$bin" predict "$bundle" --threshold 1.5 < /dev/null
[ "$(cat "$work/err")" = "sentiment: --threshold must be in [0, 1], got 1.5" ] || fail "stderr: $(cat "$work/err")"
expect_exit 2 "$bin" predict "$bundle" --threshold high < /dev/null
[ "$(cat "$work/err")" = "sentiment: --threshold must be a finite number, got 'high'" ] \
  || fail "stderr: $(cat "$work/err")"
expect_exit 2 "$bin" predict "$bundle" --threads 0 < /dev/null
[ "$(cat "$work/err")" = "sentiment: --threads must be between 1 and 1024, got 0" ] \
  || fail "stderr: $(cat "$work/err")"

check "--format tsv is the default; --format jsonl and --explain: one valid line per input"
"$bin" predict "$bundle" --format tsv --threads 1 < "$work/many.txt" | cmp -s - "$work/t1" \
  || fail "--format tsv differs from the default output"
printf 'caf\xe9 \xff "quoted" back\\slash\n' >> "$work/some.txt"
for threads in 1 2; do
  "$bin" predict "$bundle" --format jsonl --explain --threads "$threads" < "$work/many.txt" \
    > "$work/j$threads" || fail "predict --format jsonl --explain --threads $threads"
done
cmp -s "$work/j1" "$work/j2" || fail "--format jsonl --explain: --threads 2 changed the output"
"$bin" predict "$bundle" --format jsonl --explain < "$work/some.txt" > "$work/some.jsonl" \
  || fail "--format jsonl on odd bytes"
"$bin" predict "$bundle" --explain < "$work/some.txt" > "$work/some.tsv" || fail "--explain"
"$bin" predict "$bundle" < "$work/some.txt" > "$work/some.plain" || fail "predict"
python3 - "$work/many.txt" "$work/j1" "$work/some.txt" "$work/some.jsonl" "$work/some.tsv" \
  "$work/some.plain" <<'PY' || fail "the JSON Lines output"
import json, math, sys
def lines(path):
    with open(path, 'rb') as f:
        return f.read().split(b'\n')[:-1]
for texts, results in ((sys.argv[1], sys.argv[2]), (sys.argv[3], sys.argv[4])):
    texts, results = lines(texts), lines(results)
    assert len(texts) == len(results), (len(texts), len(results))
    for number, line in enumerate(results, 1):
        result = json.loads(line)
        assert list(result) == ['class', 'probabilities', 'logits', 'explanation'], line
        assert len(result['probabilities']) == 2 and len(result['logits']) == 1, line
        assert result['class'] == ('pos' if result['logits'][0] > 0 else 'neg'), line
        assert abs(sum(result['probabilities']) - 1) < 1e-6, line
        e = result['explanation']
        assert list(e) == ['class', 'bias', 'padding', 'tokens'] and e['class'] == 'pos', line
        parts = [e['bias'], e['padding']] + [c for _, _, c in e['tokens']]
        logit = result['logits'][0]
        assert abs(sum(parts) - logit) <= max(1e-5 * abs(logit),
                                              1e-6 * sum(map(abs, parts))), (number, line)
        assert len(e['tokens']) <= 250
        assert all(isinstance(t, str) and isinstance(i, int) for t, i, _ in e['tokens'])
# The tab-separated --explain line is the usual line, a tab, then the pairs.
for plain, explained in zip(lines(sys.argv[6]), lines(sys.argv[5])):
    assert explained.startswith(plain + b'\tbias '), explained
    fields = explained[len(plain) + 1:].split(b'\t')
    assert fields[1].startswith(b'padding '), explained
    values = [abs(float(f.rsplit(b' ', 1)[1])) for f in fields[2:]]
    assert values == sorted(values, reverse=True), explained
PY
expect_exit 2 "$bin" predict "$bundle" --format jsonl --all < /dev/null
[ "$(cat "$work/err")" = 'sentiment: --all chooses tab-separated fields; --format jsonl always writes "class", "probabilities" and "logits"' ] \
  || fail "stderr: $(cat "$work/err")"
expect_exit 2 "$bin" predict "$bundle" --format xml < /dev/null
[ "$(cat "$work/err")" = "sentiment: --format must be tsv or jsonl, got 'xml'" ] \
  || fail "stderr: $(cat "$work/err")"
expect_exit 0 "$bin" predict "$bundle" --files --format jsonl "$work/mail/inner/z.txt"
python3 -c 'import json, sys; r = json.loads(open(sys.argv[1]).read()); assert list(r)[0] == "path" and r["path"] == sys.argv[2], r' \
  "$work/out" "$work/mail/inner/z.txt" || fail "--files --format jsonl: $(cat "$work/out")"

echo "predict_cli_test: all checks passed"
