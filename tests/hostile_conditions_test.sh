#!/usr/bin/env bash
# Hostile conditions end to end through the sentiment executable, run by
# ctest:
#   hostile_conditions_test.sh SENTIMENT_BINARY TEST_DATA_DIR
# Resource limits (ulimit in a subshell), signals against a real child
# process, a .txt swapped for a FIFO after listing, links to streams, long
# names, non-blocking standard input. Every case checks the exit code, the
# one error line and that no temporary file is left. Outputs go to links in
# a temporary folder, never to a system path such as /dev/stdout.
set -uo pipefail
bin=$(realpath "$1")
data=$(realpath "$2")
work=$(mktemp -d)
cleanup() {
  exec 3>&- 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

fail() { echo "FAIL: $*" >&2; exit 1; }
check() { echo "check: $*"; }
skip() { echo "SKIP: $*"; }

# expect CODE CMD...: CMD's exit code must be CODE (stdin from $stdin).
# Output in $work/out and $work/err.
stdin=/dev/null
expect() {
  local want=$1; shift
  timeout 60 "$@" <"$stdin" >"$work/out" 2>"$work/err"
  local got=$?
  [ "$got" -eq "$want" ] || fail "'$*' exited $got, expected $want; stderr: $(cat "$work/err")"
}
# The error is one line, the last on stderr: "sentiment: $1".
error_is() {
  [ "$(grep -c '^sentiment: ' "$work/err")" -eq 1 ] \
    || fail "not exactly one error line: $(cat "$work/err")"
  [ "$(tail -n 1 "$work/err")" = "sentiment: $1" ] \
    || fail "stderr: '$(tail -n 1 "$work/err")', expected 'sentiment: $1'"
}
no_temporaries() {
  local left
  left=$(find "$work" -name '.*.tmp-*' 2>/dev/null)
  [ -z "$left" ] || fail "temporary files left: $left"
}
# Nothing was trained: the error came before the first file was read.
not_trained() {
  grep -q '^Read \|^Epoch ' "$work/err" && fail "the work ran before the error: $(cat "$work/err")"
  return 0
}

fast=(--sequence-length 10 --epochs 2 --batch-size 4 --learning-rate 0.05)
check "a model and a bundle"
expect 0 "$bin" train "$data/reviews" -o "$work/model" "${fast[@]}"
expect 0 "$bin" export "$work/model" -o "$work/bundle"

# --------------------------------------------------------------------------
check "1. threads that cannot all be created (ulimit -v): fewer threads, no abort"
# 64 threads with 8 MiB stacks do not fit in 100 MB of address space; this
# aborted with 'terminate called without an active exception' (exit 134).
if ! (ulimit -v 100000 && "$bin" --version) >/dev/null 2>&1; then
  skip "threads: $bin cannot start under ulimit -v 100000 (a sanitizer build reserves more)"
else
  expect 0 bash -c 'ulimit -v 100000 && exec "$@"' limit "$bin" train "$data/reviews" \
    -o "$work/threads.model" "${fast[@]}" --threads 64
  cmp -s "$work/model" "$work/threads.model" || fail "64 threads under ulimit -v gave other bytes"
  expect 0 bash -c 'ulimit -v 100000 && exec "$@"' limit "$bin" evaluate "$work/model" \
    "$data/reviews" --threads 64
  grep -q '^loss: ' "$work/out" || fail "evaluate printed: $(cat "$work/out")"
fi

# --------------------------------------------------------------------------
check "6. term counts past the memory left: the memory error (exit 2), not 'out of memory'"
# 1.6 million distinct tokens: their counts need far more than the memory
# left under ulimit -v 150000 once the 12 MB of text is read; this ended in
# 'out of memory' (exit 1) after reading.
mkdir -p "$work/distinct/a" "$work/distinct/b"
for class in a b; do
  for file in 0 1 2 3; do
    seq -f "t%.0f$class$file" 200000 | tr '\n' ' ' >"$work/distinct/$class/$file.txt"
  done
done
if ! (ulimit -v 150000 && "$bin" --version) >/dev/null 2>&1; then
  skip "term counts: $bin cannot start under ulimit -v 150000"
else
  expect 2 bash -c 'ulimit -v 150000 && exec "$@"' limit "$bin" train "$work/distinct" \
    -o "$work/distinct.model" --epochs 1 --threads 1
  grep -q "^sentiment: counting the vocabulary needs more than the .* MiB left for it (the address-space limit, ulimit -v, less the texts): [0-9]* distinct terms so far" "$work/err" \
    || fail "term counts: $(cat "$work/err")"
  [ ! -e "$work/distinct.model" ] || fail "a refused run wrote a model"
fi
# Without the limit, the same data trains.
expect 0 "$bin" train "$work/distinct" -o "$work/distinct.model" --epochs 1 --threads 1

# --------------------------------------------------------------------------
check "2. the file-size limit (ulimit -f): exit 4 with the reason, no temporary, old file kept"
# SIGXFSZ killed every writing subcommand (exit 153, no message).
[ "$(stat -c %s "$work/bundle")" -gt 1024 ] || fail "the bundle is too small for this test"
echo "previous" >"$work/limited"
for sub in train export; do
  case $sub in
    train) cmd=(train "$data/reviews" -o "$work/limited" "${fast[@]}") ;;
    export) cmd=(export "$work/model" -o "$work/limited") ;;
  esac
  expect 4 bash -c 'ulimit -f 1 && exec "$@"' limit "$bin" "${cmd[@]}"
  error_is "$work/limited: write failed: File too large"
  [ "$(cat "$work/limited")" = previous ] || fail "$sub changed the previous file"
  no_temporaries
done
yes 'a great film' | head -n 20000 >"$work/many"
stdin="$work/many"
expect 4 bash -c 'ulimit -f 8 && exec "$@" >"$0"' "$work/predictions" "$bin" predict "$work/bundle"
error_is "cannot write the predictions to standard output: File too large"
expect 4 bash -c 'ulimit -f 1 && exec "$@" >"$0"' "$work/summary" "$bin" inspect "$work/model"
error_is "cannot write to standard output: File too large"
stdin=/dev/null

# --------------------------------------------------------------------------
check "3. -o through a link to a stream writes into the stream; the link stays"
ln -s /proc/self/fd/1 "$work/mystdout"
expect 0 "$bin" export "$work/model" -o "$work/mystdout"
[ -L "$work/mystdout" ] || fail "the link to /proc/self/fd/1 was replaced"
cmp -s "$work/out" "$work/bundle" || fail "the redirected standard output did not get the bundle"
ln -s /dev/stdout "$work/devstdout"
expect 0 "$bin" export "$work/model" -o "$work/devstdout"
[ -L "$work/devstdout" ] || fail "the link to /dev/stdout was replaced"
cmp -s "$work/out" "$work/bundle" || fail "-o link-to-/dev/stdout did not write the bundle"
expect 0 "$bin" export "$work/model" -o -
cmp -s "$work/out" "$work/bundle" || fail "-o - did not write the bundle to standard output"
"$bin" export "$work/model" -o - 2>/dev/null | cmp -s - "$work/bundle" || fail "-o - into a pipe"
check "3. a link to a regular file: the target is replaced in its folder, the link stays"
mkdir "$work/elsewhere" && echo previous >"$work/elsewhere/target"
ln -s elsewhere/target "$work/link"
expect 0 "$bin" export "$work/model" -o "$work/link"
[ -L "$work/link" ] || fail "the link was replaced"
cmp -s "$work/elsewhere/target" "$work/bundle" || fail "the link's target did not get the bundle"
no_temporaries

# --------------------------------------------------------------------------
check "4. a .txt swapped for a FIFO after listing is refused by name, not waited on"
# Standard error is a FIFO whose buffer is already full, so train blocks on
# its first progress line, written once the files are listed; the swap
# happens then, before any file is opened. This hung in open() forever.
cp -r "$data/reviews" "$work/race"
mkfifo "$work/stall"
exec 3<>"$work/stall"
head -c 65536 /dev/zero >&3
"$bin" train "$work/race" -o "$work/race.model" "${fast[@]}" >/dev/null 2>"$work/stall" &
pid=$!
(sleep 30 && kill -KILL "$pid") 2>/dev/null &
watchdog=$!
for _ in $(seq 200); do
  # The write(2) system call (number 1 on x86-64, 64 on arm64) to fd 2.
  call=$(cut -d' ' -f1,2 "/proc/$pid/syscall" 2>/dev/null)
  case "$call" in "1 0x2"|"64 0x2") break ;; esac
  sleep 0.02
done
[ -n "$call" ] || fail "cannot see train's system calls in /proc/$pid/syscall"
rm "$work/race/pos/pos_1.txt" && mkfifo "$work/race/pos/pos_1.txt"
head -c 65536 <&3 >/dev/null
wait "$pid"
code=$?
kill "$watchdog" 2>/dev/null
timeout 2 cat <&3 >"$work/err"
exec 3>&-
[ "$code" -eq 2 ] || fail "the swapped FIFO: exit $code, expected 2: $(cat "$work/err")"
error_is "$work/race/pos/pos_1.txt: not a regular file (a FIFO, socket or device); move it out of the class folder"
[ ! -e "$work/race.model" ] || fail "a model was written"
check "4. a model path that is a FIFO without a writer: refused after 5 seconds"
mkfifo "$work/model.fifo"
expect 4 "$bin" predict "$work/model.fifo"
error_is "$work/model.fifo: a FIFO that no program wrote to within 5 seconds; start the writer first"

# --------------------------------------------------------------------------
check "5. SIGTERM and SIGINT while the model is written leave no temporary file"
# A 41 MB model, so writing it takes long enough to be caught in the act.
mkdir -p "$work/wide/neg" "$work/wide/pos"
for c in neg pos; do
  for f in 1 2; do seq 1 5000 | sed "s/^/$c${f}w/" | tr '\n' ' ' >"$work/wide/$c/$f.txt"; done
done
expect 0 "$bin" train "$work/wide" -o "$work/wide.model" --embedding-dim 512 --epochs 1 \
  --sequence-length 10 --max-tokens 100000 --threads 1
for signal in TERM INT; do
  caught=no
  for attempt in 1 2 3 4 5 6 7 8; do
    rm -f "$work/wide.bundle"
    # A background job of a script ignores SIGINT; a subshell resets it.
    (trap - INT; exec "$bin" export "$work/wide.model" -o "$work/wide.bundle") 2>/dev/null &
    pid=$!
    while kill -0 "$pid" 2>/dev/null; do
      if compgen -G "$work/.wide.bundle.tmp-*" >/dev/null; then
        kill -s "$signal" "$pid"
        break
      fi
    done
    wait "$pid"
    code=$?
    if [ ! -e "$work/wide.bundle" ]; then
      caught=yes
      [ "$code" -ge 128 ] || fail "SIG$signal during the save: exit $code"
      no_temporaries
      echo "SIG$signal caught the save in attempt $attempt"
      break
    fi
  done
  [ "$caught" = yes ] || skip "SIG$signal: the save finished before the signal in 8 attempts"
done

# --------------------------------------------------------------------------
check "7. predict's standard input: non-blocking, a directory, a line too long for memory"
{ printf 'great\n'; sleep 1; printf 'awful\n'; } \
  | python3 -c 'import os, sys; os.set_blocking(0, False); os.execv(sys.argv[1], sys.argv[1:])' \
    "$bin" predict "$work/bundle" >"$work/out" 2>"$work/err" \
  || fail "non-blocking stdin: $(cat "$work/err")"
[ "$(wc -l <"$work/out")" -eq 2 ] || fail "non-blocking stdin: $(wc -l <"$work/out") answers to 2 lines"
stdin="$work"
expect 4 "$bin" predict "$work/bundle"
error_is "reading standard input failed: Is a directory"
stdin=/dev/null
if ! (ulimit -v 150000 && "$bin" --version) >/dev/null 2>&1; then
  skip "long line: $bin cannot start under ulimit -v 150000"
else
  expect 4 bash -c 'yes x | tr -d "\n" | head -c 300000000 | (ulimit -v 150000 && exec "$@")' \
    limit "$bin" predict "$work/bundle"
  error_is "reading standard input failed: Cannot allocate memory"
fi

# --------------------------------------------------------------------------
check "8. output names of 244-255 bytes can be written; longer ones are refused before training"
for length in 244 255; do
  name=$(printf 'm%.0s' $(seq "$length"))
  expect 0 "$bin" export "$work/model" -o "$work/$name"
  cmp -s "$work/$name" "$work/bundle" || fail "the $length-byte name"
  rm "$work/$name"
done
name=$(printf 'm%.0s' $(seq 256))
expect 4 "$bin" train "$data/reviews" -o "$work/$name" "${fast[@]}"
error_is "$work/$name: cannot create: File name too long"
not_trained

# --------------------------------------------------------------------------
check "also: output-path problems are found before training"
expect 4 "$bin" train "$data/reviews" -o "$work/missing/model" "${fast[@]}"
error_is "$work/missing/model: cannot create a file in $work/missing: No such file or directory"
not_trained
mkdir "$work/a_dir"
expect 4 "$bin" train "$data/reviews" -o "$work/a_dir" "${fast[@]}"
error_is "$work/a_dir: exists and is a directory; refusing to replace it"
not_trained
echo file >"$work/a_file"
expect 4 "$bin" train "$data/reviews" -o "$work/a_file/model" "${fast[@]}"
error_is "$work/a_file/model: cannot create a file in $work/a_file: Not a directory"
not_trained
if [ "$(id -u)" -eq 0 ] && setpriv --reuid=nobody --regid=nogroup --clear-groups true 2>/dev/null; then
  as_user=(setpriv --reuid=nobody --regid=nogroup --clear-groups)
elif [ "$(id -u)" -ne 0 ]; then
  as_user=()
else
  as_user=(skip)
fi
if [ "${as_user[0]:-}" = skip ]; then
  skip "unwritable folder: cannot run as nobody"
else
  mkdir "$work/readonly" && chmod 555 "$work/readonly"
  chmod 755 "$work"
  expect 4 "${as_user[@]}" "$bin" train "$data/reviews" -o "$work/readonly/model" "${fast[@]}"
  error_is "$work/readonly/model: cannot create a file in $work/readonly: Permission denied"
  not_trained
fi

check "also: a newline in a name is escaped, the error stays one line"
expect 4 "$bin" train "$data/reviews" -o "$work/new
line/model" "${fast[@]}"
error_is "$work/new\\nline/model: cannot create a file in $work/new\\nline: No such file or directory"
expect 4 "$bin" predict "$work/no
such"
error_is "$work/no\\nsuch: cannot open for reading: No such file or directory"

no_temporaries
echo "all hostile-condition checks passed"
