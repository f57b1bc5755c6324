#!/usr/bin/env bash
# End to end, the habits of a command-line tool, run by ctest:
#   cli_habits_test.sh SENTIMENT_BINARY BUILD_DIR
# Mistyped commands and flags are named with a suggestion; `help [COMMAND]`;
# the help texts; `cmake --install BUILD_DIR` puts a working executable and a
# man page under a prefix. The first failure stops the script.
set -uo pipefail
bin=$1
build=$2
source "$(dirname "${BASH_SOURCE[0]}")/shell_test_lib.sh"

# stderr is exactly the one line $1, and nothing went to stdout.
error_is() {
  [ "$(cat "$work/err")" = "$1" ] || fail "stderr: '$(cat "$work/err")', expected '$1'"
  [ ! -s "$work/out" ] || fail "stdout not empty: $(cat "$work/out")"
}

check "a mistyped command is named, with the nearest one"
expect_exit 2 "$bin" predcit
error_is "sentiment: unknown command 'predcit'; did you mean 'predict'? (see 'sentiment --help')"
expect_exit 2 "$bin" trian data -o model
error_is "sentiment: unknown command 'trian'; did you mean 'train'? (see 'sentiment --help')"
expect_exit 2 "$bin" frobnicate
error_is "sentiment: unknown command 'frobnicate' (see 'sentiment --help')"

check "a mistyped flag is named, with the nearest one, before any work"
expect_exit 2 "$bin" train "$work/missing" -o "$work/never" --epoch 5
error_is "sentiment train: unknown flag '--epoch'; did you mean '--epochs'? (see 'sentiment train --help')"
[ ! -e "$work/never" ] || fail "a rejected train wrote a file"
expect_exit 2 "$bin" train "$work/missing" -o "$work/never" --learning_rate=0.1
error_is "sentiment train: unknown flag '--learning_rate'; did you mean '--learning-rate'? (see 'sentiment train --help')"
expect_exit 2 "$bin" predict --logit
error_is "sentiment predict: unknown flag '--logit'; did you mean '--logits'? (see 'sentiment predict --help')"
expect_exit 2 "$bin" --verison
error_is "sentiment: unknown flag '--verison'; did you mean '--version'? (see 'sentiment --help')"
expect_exit 2 "$bin" inspect x --no-such-flag
error_is "sentiment inspect: unknown flag '--no-such-flag' (see 'sentiment inspect --help')"

check "no command: the choices are named"
expect_exit 2 "$bin"
grep -q "^sentiment: a command is required: train, .*inspect (see 'sentiment --help')$" "$work/err" \
  || fail "stderr: $(cat "$work/err")"

check "-V is --version"
expect_exit 0 "$bin" --version
cp "$work/out" "$work/version"
[ -s "$work/version" ] || fail "--version printed nothing"
expect_exit 0 "$bin" -V
cmp -s "$work/out" "$work/version" || fail "-V printed '$(cat "$work/out")'"

check "help and help COMMAND print the same as --help"
expect_exit 0 "$bin" --help
cp "$work/out" "$work/help"
expect_exit 0 "$bin" help
cmp -s "$work/out" "$work/help" || fail "'help' differs from '--help'"
for command in train evaluate export predict inspect; do
  expect_exit 0 "$bin" "$command" --help
  cp "$work/out" "$work/command_help"
  expect_exit 0 "$bin" help "$command"
  cmp -s "$work/out" "$work/command_help" || fail "'help $command' differs from '$command --help'"
  grep -q "^Usage: sentiment $command " "$work/out" || fail "help $command: $(head -n 3 "$work/out")"
done
expect_exit 2 "$bin" help predcit
error_is "sentiment: unknown command 'predcit'; did you mean 'predict'? (see 'sentiment --help')"
expect_exit 2 "$bin" help predict train
error_is "sentiment help: unexpected argument 'train'; it takes one command name (see 'sentiment --help')"

check "the help texts: exit codes, predict's fields, --standardize's default"
"$bin" --help >"$work/help"
for code in "0 success" "1 unexpected internal error" "2 bad arguments or input data" \
            "3 bad model file" "4 I/O failure"; do
  grep -q "$code" "$work/help" || fail "--help does not list exit code '$code'"
done
"$bin" help predict | grep -q "tab-separated: the probability (of the second class in a binary model, of the top class otherwise), then the predicted class name, last" \
  || fail "predict --help does not describe its output fields"
"$bin" help train | grep -Eq -- "--standardize MODE=tutorial " \
  || fail "train --help does not show the --standardize default"

check "cmake --install: bin/sentiment runs, the man page renders with every command"
prefix="$work/prefix"
cmake --install "$build" --prefix "$prefix" >"$work/install.log" 2>&1 \
  || fail "cmake --install failed: $(cat "$work/install.log")"
[ -x "$prefix/bin/sentiment" ] || fail "no executable $prefix/bin/sentiment"
"$prefix/bin/sentiment" --version >"$work/out" 2>&1 || fail "installed --version failed"
cmp -s "$work/out" "$work/version" || fail "installed --version printed '$(cat "$work/out")'"
page="$prefix/share/man/man1/sentiment.1"
[ -s "$page" ] || fail "no man page $page"
if command -v man >/dev/null; then
  MANWIDTH=100 MANPAGER=cat PAGER=cat man -l "$page" >"$work/man" 2>"$work/man_err" \
    || fail "man -l failed: $(cat "$work/man_err")"
elif command -v groff >/dev/null; then
  groff -man -Tutf8 -P-cbou "$page" >"$work/man" 2>"$work/man_err" \
    || fail "groff failed: $(cat "$work/man_err")"
else
  fail "neither man nor groff is installed to render the man page"
fi
# Rendering warnings (a bad macro, a line that cannot be broken) are bugs in
# the generated page.
[ ! -s "$work/man_err" ] || fail "the man page renders with warnings: $(cat "$work/man_err")"
# Bold and underlining, if any, as overstrikes: keep the last character.
sed -e 's/.\x08//g' "$work/man" >"$work/man_text"
for heading in NAME SYNOPSIS DESCRIPTION COMMANDS EXAMPLES "EXIT STATUS"; do
  grep -q "^$heading" "$work/man_text" || fail "the man page has no $heading section"
done
for command in train evaluate export predict inspect; do
  grep -q "Usage: sentiment $command " "$work/man_text" \
    || fail "the man page lacks the help of '$command'"
done
grep -q -- "--epochs" "$work/man_text" || fail "the man page lacks train's flags"
grep -q "unexpected internal error" "$work/man_text" || fail "the man page lacks exit code 1"
echo "all checks passed"
