#!/usr/bin/env bash
# Bad input end to end through the sentiment executable, run by ctest:
#   robustness_cli_test.sh SENTIMENT_BINARY TEST_DATA_DIR
# Every case checks the exit code (2 bad input, 3 bad model file, 4 I/O), that
# stderr is exactly one line "sentiment: ..." with the expected text, and that
# no file was written or an existing one was left intact.
#
# Run as root (as in CI), the permission cases run as the user nobody
# (setpriv) and the full-disk case mounts a 16 KiB tmpfs in a private mount
# namespace (unshare -m), so the mount disappears with the namespace however
# the script ends. Without root those cases use plain permissions or are
# skipped, saying so.
set -uo pipefail
bin=$(realpath "$1")
data=$(realpath "$2")
work=$(mktemp -d)
chmod 755 "$work"
cleanup() {
  chmod -R u+rwx "$work" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

fail() { echo "FAIL: $*" >&2; exit 1; }
check() { echo "check: $*"; }
skip() { echo "SKIP: $*"; }

# expect CODE CMD...: runs CMD (stdin from $stdin, default /dev/null) with a
# time limit; its exit code must be CODE. Output in $work/out and $work/err.
stdin=/dev/null
expect() {
  local want=$1; shift
  timeout 120 "$@" <"$stdin" >"$work/out" 2>"$work/err"
  local got=$?
  [ "$got" -eq "$want" ] || fail "'$*' exited $got, expected $want; stderr: $(cat "$work/err")"
}
# The error is one line, the last on stderr (train's progress lines may come
# before it): "sentiment: $1", or "sentiment COMMAND: $1" for an unknown flag.
one_error_line() {
  [ "$(grep -Ec '^sentiment( [a-z]+)?: ' "$work/err")" -eq 1 ] \
    || fail "not exactly one error line: $(cat "$work/err")"
  tail -n 1 "$work/err" | grep -Eq '^sentiment( [a-z]+)?: ' \
    || fail "the error is not the last line: $(cat "$work/err")"
}
error_is() {
  one_error_line
  [ "$(tail -n 1 "$work/err")" = "sentiment: $1" ] \
    || fail "stderr: '$(tail -n 1 "$work/err")', expected 'sentiment: $1'"
}
# The error line contains $1.
error_has() {
  one_error_line
  tail -n 1 "$work/err" | grep -qF -- "$1" || fail "stderr lacks '$1': $(cat "$work/err")"
}
absent() { [ ! -e "$1" ] || fail "$1 was written"; }

fast=(--sequence-length 10 --epochs 3 --batch-size 4 --learning-rate 0.05)
check "a model and a bundle to damage"
expect 0 "$bin" train "$data/reviews" -o "$work/model" "${fast[@]}"
expect 0 "$bin" export "$work/model" -o "$work/bundle"

# --------------------------------------------------------------------------
check "fastText's crashes are clean errors: missing input, bad flag value, truncated model"
expect 2 "$bin" train "$work/missing" -o "$work/never"
error_is "$work/missing: no such directory"
expect 4 "$bin" predict "$work/missing.bundle"
error_is "$work/missing.bundle: cannot open for reading: No such file or directory"
expect 2 "$bin" train "$data/reviews" -o "$work/never" --epochs abc
error_is "--epochs must be a whole number, got 'abc'"
head -c 100 "$work/bundle" >"$work/truncated"
expect 3 "$bin" predict "$work/truncated"
error_is "$work/truncated: truncated: the header declares $(( $(stat -c %s "$work/bundle") - 24 )) payload bytes, the file holds 76"
absent "$work/never"

# --------------------------------------------------------------------------
check "flag values: refused by name before any work starts"
while IFS='|' read -r flag value message; do
  expect 2 "$bin" train "$data/reviews" -o "$work/never" "$flag" "$value"
  error_is "$message"
  absent "$work/never"
done <<'EOF'
--epochs|0|--epochs must be between 1 and 1000000, got 0
--epochs|-1|--epochs must be between 1 and 1000000, got -1
--epochs|2.5|--epochs must be a whole number, got '2.5'
--epochs||--epochs must be a whole number, got ''
--epochs|99999999999|--epochs must be a whole number from -2147483648 to 2147483647, got '99999999999'
--batch-size|0|--batch-size must be between 1 and 1000000, got 0
--max-tokens|2|--max-tokens must be between 3 and 50000000, got 2
--max-tokens|1e12|--max-tokens must be a whole number from -2147483648 to 2147483647, got '1e12'
--sequence-length|0|--sequence-length must be between 1 and 100000, or auto, got 0
--embedding-dim|0|--embedding-dim must be between 1 and 4096, got 0
--embedding-dim|1e9|--embedding-dim must be between 1 and 4096, got 1e9
--validation-split|1|--validation-split must be in [0, 1), got 1
--validation-split|-0.1|--validation-split must be in [0, 1), got -0.1
--validation-split|0.5x|--validation-split must be a finite number, got '0.5x'
--learning-rate|abc|--learning-rate must be a finite number, got 'abc'
--learning-rate|nan|--learning-rate must be a finite number, got 'nan'
--learning-rate|1e39|--learning-rate must be a finite number, got '1e39'
--learning-rate|0|--learning-rate must be a positive number, got 0
--learning-rate|-1|--learning-rate must be a positive number, got -1
--dropout|1|--dropout must be in [0, 1), got 1
--dropout|0.99999999999|--dropout must be in [0, 1), got 0.99999999999
--seed|-1|--seed must be a whole number from 0 to 4294967295, got '-1'
--seed|4294967296|--seed must be a whole number from 0 to 4294967295, got '4294967296'
--threads|0|--threads must be between 1 and 1024, got 0
EOF
expect 2 "$bin" train "$data/reviews" -o "$work/never" --standardize shout
error_has "shout"
expect 2 "$bin" train "$data/reviews" -o "$work/never" --epochs
error_has "sentiment train --help"
expect 2 "$bin" train "$data/reviews" -o "$work/never" --no-such-flag
error_has "--no-such-flag"
expect 2 "$bin" train "$data/reviews"
error_has "--output"
expect 2 "$bin" predict
error_has "BUNDLE"
expect 2 "$bin"
error_has "sentiment --help"
absent "$work/never"
check "flags that fit one by one but not together in memory: refused before reading (ulimit -v)"
# Two threads' dropout masks of 100001 x 4096 floats are 3.1 GiB; under a
# 390 MiB address-space limit this ended as "out of memory" (exit 1).
if ! (ulimit -v 400000 && "$bin" --version) >/dev/null 2>&1; then
  skip "memory check: $bin cannot start under ulimit -v 400000 (a sanitizer build reserves more)"
else
  expect 2 bash -c 'ulimit -v 400000 && exec "$@"' memory "$bin" train "$data/reviews" \
    -o "$work/never" --sequence-length 100000 --embedding-dim 4096 --threads 2 --epochs 1
  error_has "training needs about 3.1 GiB (token ids: 16 files x sequence length 100000 x 4 bytes"
  error_has "dropout masks: 2 threads x 100001 x dim 4096 x 4 bytes = 3.1 GiB), but only 390.6 MiB is available (the address-space limit, ulimit -v)"
  grep -q "^Read " "$work/err" && fail "files were read before the memory check: $(cat "$work/err")"
  absent "$work/never"
  check "the same limit leaves the usual settings alone"
  expect 0 bash -c 'ulimit -v 400000 && exec "$@"' memory "$bin" train "$data/reviews" \
    -o "$work/limited" "${fast[@]}"
  cmp -s "$work/model" "$work/limited" || fail "training under ulimit -v gave different bytes"
fi
check "whole numbers may be written 1e1 or 2.0"
expect 0 "$bin" train "$data/reviews" -o "$work/sci" --epochs 1e0 --batch-size 4.0 --sequence-length 10

# --------------------------------------------------------------------------
check "training directory: one class, a FIFO named .txt (refused, not read forever)"
mkdir -p "$work/one/pos" && echo good >"$work/one/pos/a.txt"
expect 2 "$bin" train "$work/one" -o "$work/never"
error_is "$work/one: found 1 class folder(s) (pos); a classifier needs at least 2"
cp -r "$data/reviews" "$work/fifo_data" && mkfifo "$work/fifo_data/pos/stuck.txt"
expect 2 "$bin" train "$work/fifo_data" -o "$work/never"
error_is "$work/fifo_data/pos/stuck.txt: not a regular file (a FIFO, socket or device); move it out of the class folder"
expect 2 "$bin" train "$work/model" -o "$work/never"
error_is "$work/model: not a directory, nor a data file by its extension (.csv, .tsv, .jsonl, .ndjson, .ft, .fasttext); pass --input-format to read it as one"
absent "$work/never"

check "training directory: a 100 MB file, NUL bytes, invalid UTF-8, empty files"
cp -r "$data/reviews" "$work/odd"
yes 'loved this great film ' | head -c 100000000 >"$work/odd/pos/big.txt"
printf 'bad\0 awful\0\0 \xff\xfe boring' >"$work/odd/neg/nul.txt"
printf 'caf\xc3\xa9 \xc3 \xed\xa0\x80 great' >"$work/odd/pos/utf8.txt"
: >"$work/odd/neg/empty.txt"
expect 0 "$bin" train "$work/odd" -o "$work/odd.model" "${fast[@]}"
grep -q "Found 20 files belonging to 2 classes" "$work/err" || fail "$(cat "$work/err")"
expect 0 "$bin" inspect "$work/odd.model"

# Runs a command as an unprivileged user when root (nobody), as is otherwise.
as_user=()
if [ "$(id -u)" -eq 0 ]; then
  if setpriv --reuid=nobody --regid=nogroup --clear-groups "$bin" --version >/dev/null 2>&1; then
    as_user=(setpriv --reuid=nobody --regid=nogroup --clear-groups)
  else
    as_user=(none)
  fi
fi
if [ "${as_user[*]:-}" = none ]; then
  skip "permission cases: user nobody cannot run $bin"
else
  check "unreadable files and folders are named (as ${as_user[*]:-$(id -un)})"
  mkdir -m 777 "$work/out_dir"
  cp -r "$data/reviews" "$work/locked" && chmod -R a+rX "$work/locked"
  chmod 000 "$work/locked/neg/neg_3.txt"
  expect 4 "${as_user[@]}" "$bin" train "$work/locked" -o "$work/out_dir/model" "${fast[@]}"
  error_is "$work/locked/neg/neg_3.txt: cannot open for reading: Permission denied"
  chmod 644 "$work/locked/neg/neg_3.txt"
  mkdir -m 000 "$work/locked/pos/sub"
  expect 4 "${as_user[@]}" "$bin" train "$work/locked" -o "$work/out_dir/model" "${fast[@]}"
  error_is "$work/locked/pos/sub: cannot list: Permission denied"
  chmod 000 "$work/locked"
  expect 4 "${as_user[@]}" "$bin" train "$work/locked" -o "$work/out_dir/model" "${fast[@]}"
  error_is "$work/locked: cannot list: Permission denied"
  chmod 755 "$work/locked"
  chmod 000 "$work/locked/pos/sub"
  absent "$work/out_dir/model"

  check "unwritable output folder: clear error, the previous model intact"
  mkdir -m 755 "$work/readonly"
  echo "previous model" >"$work/readonly/model"
  chmod 644 "$work/readonly/model"
  if [ "$(id -u)" -ne 0 ]; then chmod 555 "$work/readonly"; fi
  expect 4 "${as_user[@]}" "$bin" export "$work/model" -o "$work/readonly/model"
  error_is "$work/readonly/model: cannot create a file in $work/readonly: Permission denied"
  [ "$(cat "$work/readonly/model")" = "previous model" ] || fail "previous model changed"
  [ "$(ls -A "$work/readonly")" = model ] || fail "left: $(ls -A "$work/readonly")"
  chmod 755 "$work/readonly"
fi

# --------------------------------------------------------------------------
check "output paths that are streams are written straight, never replaced; directories are refused"
# Links in $work, never a system path: a wrong fix must not replace /dev/null.
ln -s /dev/null "$work/null_link"
expect 0 "$bin" export "$work/model" -o "$work/null_link"
[ -L "$work/null_link" ] || fail "the link to /dev/null was replaced"
mkfifo "$work/out.fifo"
timeout 120 cat "$work/out.fifo" >"$work/from_fifo" &
reader=$!
expect 0 "$bin" train "$data/reviews" -o "$work/out.fifo" "${fast[@]}"
wait "$reader"
[ -p "$work/out.fifo" ] || fail "the FIFO was replaced"
cmp -s "$work/from_fifo" "$work/model" || fail "the FIFO's reader did not get the model"
mkdir "$work/a_dir"
expect 4 "$bin" export "$work/model" -o "$work/a_dir"
error_is "$work/a_dir: exists and is a directory; refusing to replace it"
echo "previous" >"$work/a_file"
expect 4 "$bin" export "$work/model" -o "$work/a_file/bundle"
error_is "$work/a_file/bundle: cannot create a file in $work/a_file: Not a directory"
[ "$(cat "$work/a_file")" = previous ] || fail "a_file changed"

check "a full disk (16 KiB tmpfs): clear error, the previous model intact, no temporary left"
if [ "$(id -u)" -ne 0 ]; then
  skip "full disk: needs root to mount a tmpfs"
elif ! unshare -m --propagation private true 2>/dev/null; then
  skip "full disk: cannot create a mount namespace"
else
  mkdir "$work/full"
  # Inside a private mount namespace: the tmpfs vanishes when it exits.
  unshare -m --propagation private bash -c '
    set -u
    mount -t tmpfs -o size=16k tmpfs "$1" || exit 99
    echo "previous model" >"$1/model"
    "$2" train "$3" -o "$1/model" --sequence-length 10 --epochs 1 --embedding-dim 256 \
      >"$4/full.out" 2>"$4/full.err"
    echo $? >"$4/full.code"
    cat "$1/model" >"$4/full.previous"
    ls -A "$1" >"$4/full.ls"
  ' full "$work/full" "$bin" "$data/reviews" "$work"
  status=$?
  [ "$status" -ne 99 ] || fail "could not mount a tmpfs"
  mountpoint -q "$work/full" && fail "the tmpfs is still mounted"
  [ "$(cat "$work/full.code")" -eq 4 ] || fail "full disk exited $(cat "$work/full.code"): $(cat "$work/full.err")"
  [ "$(tail -n 1 "$work/full.err")" = "sentiment: $work/full/model: write failed: No space left on device" ] \
    || fail "full disk: $(tail -n 1 "$work/full.err")"
  [ "$(cat "$work/full.previous")" = "previous model" ] || fail "the previous model changed"
  [ "$(cat "$work/full.ls")" = model ] || fail "left on the full disk: $(cat "$work/full.ls")"
fi

check "standard output that cannot be written: exit 4"
stdin="$work/lines"
printf 'great\nawful\n' >"$work/lines"
expect 4 bash -c '"$0" predict "$1" >/dev/full' "$bin" "$work/bundle"
error_is "cannot write the predictions to standard output: No space left on device"
expect 4 bash -c '"$0" inspect "$1" >/dev/full' "$bin" "$work/bundle"
error_is "cannot write to standard output: No space left on device"
expect 4 bash -c '"$0" inspect "$1" >&-' "$bin" "$work/bundle"
error_has "cannot write to standard output"
stdin=/dev/null

# --------------------------------------------------------------------------
check "damaged model files: exit 3 and a specific message from every subcommand"
: >"$work/empty"
head -c 10 "$work/bundle" >"$work/short"
cp "$work/bundle" "$work/flipped"
printf '\x5a' | dd of="$work/flipped" bs=1 seek=300 conv=notrunc status=none
cp "$work/bundle" "$work/newer"
printf '\x05' | dd of="$work/newer" bs=1 seek=8 conv=notrunc status=none
echo "just text" >"$work/text"
for sub in predict inspect export evaluate; do
  for file in empty short flipped newer text; do
    case $sub in
      export) cmd=(export "$work/$file" -o "$work/never") ;;
      evaluate) cmd=(evaluate "$work/$file" "$data/reviews") ;;
      *) cmd=("$sub" "$work/$file") ;;
    esac
    expect 3 "$bin" "${cmd[@]}"
    case $file in
      empty) error_is "$work/empty: empty file, not a sentiment model file" ;;
      short) error_is "$work/short: truncated: 10 bytes, less than the 24-byte header" ;;
      flipped) error_has "$work/flipped: checksum mismatch (stored " ;;
      newer) error_is "$work/newer: format version 5 is newer than this build supports (4); upgrade sentiment" ;;
      text) error_is "$work/text: not a sentiment model file (it does not start with the sentiment header)" ;;
    esac
  done
done
absent "$work/never"
expect 3 "$bin" predict "$work/a_dir"
error_is "$work/a_dir: is a directory, not a model file"
expect 3 "$bin" predict /dev/zero
error_is "/dev/zero: not a sentiment model file (it does not start with the sentiment header)"
expect 3 "$bin" predict "$work/model"
error_has "sentiment export"

# --------------------------------------------------------------------------
check "predict input: empty stdin, empty lines, CRLF, NUL and invalid UTF-8, a 100 MB line"
expect 0 "$bin" predict "$work/bundle"
[ ! -s "$work/out" ] || fail "empty input printed: $(cat "$work/out")"
printf '\n\n\n' >"$work/in" && stdin="$work/in"
expect 0 "$bin" predict "$work/bundle"
[ "$(wc -l <"$work/out")" -eq 3 ] || fail "3 empty lines gave $(wc -l <"$work/out") results"
printf 'great fun\r\nterrible, boring\r\n\r\nloved it\r\n' >"$work/in"
expect 0 "$bin" predict "$work/bundle" && cp "$work/out" "$work/crlf.out"
printf 'great fun\nterrible, boring\n\nloved it\n' >"$work/in"
expect 0 "$bin" predict "$work/bundle"
cmp -s "$work/out" "$work/crlf.out" || fail "CRLF input gave different results"
printf '\xff\xfe\xc3 great\n\0\0\0\nfun\0ny\n\xed\xa0\x80' >"$work/in"
expect 0 "$bin" predict "$work/bundle"
[ "$(wc -l <"$work/out")" -eq 4 ] || fail "4 odd lines gave $(wc -l <"$work/out") results"
yes 'terrible boring ' | tr -d '\n' | head -c 100000000 >"$work/in"
expect 0 "$bin" predict "$work/bundle"
[ "$(wc -l <"$work/out")" -eq 1 ] || fail "a 100 MB line gave $(wc -l <"$work/out") results"
stdin=/dev/null

check "predict into a closed pipe (| head -n 1) ends quietly, also when SIGPIPE is ignored"
yes 'a great film' | head -n 200000 >"$work/many"
for ignore in no yes; do
  if [ $ignore = yes ]; then trap '' PIPE; fi
  "$bin" predict "$work/bundle" <"$work/many" 2>"$work/pipe.err" | head -n 1 >"$work/pipe.out"
  codes=("${PIPESTATUS[@]}")
  trap - PIPE
  [ ! -s "$work/pipe.err" ] || fail "closed pipe (SIGPIPE ignored: $ignore): $(cat "$work/pipe.err")"
  [ "$(wc -l <"$work/pipe.out")" -eq 1 ] || fail "head got $(wc -l <"$work/pipe.out") lines"
  case ${codes[0]} in 0|141) ;; *) fail "predict exited ${codes[0]} on a closed pipe" ;; esac
done

# --------------------------------------------------------------------------
check "training that diverges writes no model and keeps the previous one"
echo "previous model" >"$work/diverged"
expect 2 "$bin" train "$data/reviews" -o "$work/diverged" "${fast[@]:0:6}" --learning-rate 1e29
error_has "training diverged in epoch "
[ "$(cat "$work/diverged")" = "previous model" ] || fail "the previous model changed"

check "same seed and data: byte-identical model files"
expect 0 "$bin" train "$data/reviews" -o "$work/again" "${fast[@]}"
cmp -s "$work/model" "$work/again" || fail "retraining gave different bytes"

check "no temporary files left anywhere"
leftovers=$(find "$work" -name '.*.tmp-*' 2>/dev/null)
[ -z "$leftovers" ] || fail "temporary files left: $leftovers"

echo "all robustness checks passed"
