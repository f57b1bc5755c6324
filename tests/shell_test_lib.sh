# Shared by the end-to-end shell tests, sourced after `set -uo pipefail`: a
# scratch folder $work removed on exit, check and fail, and expect_exit.

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

fail() { echo "FAIL: $*" >&2; exit 1; }
check() { echo "check: $*"; }

# expect_exit CODE CMD...: CMD's exit code must be CODE; its stdout goes to
# $work/out and its stderr to $work/err.
expect_exit() {
  local want=$1; shift
  "$@" >"$work/out" 2>"$work/err"
  local got=$?
  [ "$got" -eq "$want" ] || fail "'$*' exited $got, expected $want; stderr: $(cat "$work/err")"
}
