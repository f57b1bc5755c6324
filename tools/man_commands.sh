#!/usr/bin/env bash
# Writes a help2man include file with a COMMANDS section: each subcommand's
# --help text, as roff. The subcommands are read from the top-level --help
# ("Subcommands:" list), so a new one appears without editing this script.
# Run by the build (CMakeLists.txt): man_commands.sh SENTIMENT_BINARY OUTPUT
set -euo pipefail
bin=$1
output=$2

commands=$("$bin" --help | awk '
  /^Subcommands:/ { listing = 1; next }
  listing && /^  [^ ]/ { print $1; next }
  listing && !/^ / { listing = 0 }')
[ -n "$commands" ] || { echo "man_commands.sh: no subcommands in '$bin --help'" >&2; exit 1; }

# CLI11's help layout: a description, "Usage: ...", then headings ending in
# ":" each followed by "  NAME  description" rows. Descriptions start in one
# column (found from the first row with a gap of two spaces); a NAME too long
# for it puts its description on the next line, indented to that column.
to_roff='
  function escape(text) {
    gsub(/\\/, "\\e", text)
    gsub(/-/, "\\-", text)
    return text
  }
  function emit(text) {
    if (text ~ /^[.'"'"']/) text = "\\&" text
    print text
  }
  { lines[NR] = $0 }
  column == 0 && /^  [^ ].*[^ ]  +[^ ]/ {
    match($0, /^  [^ ].*[^ ]  +/)
    column = RLENGTH + 1
  }
  END {
    for (i = 1; i <= NR; ++i) {
      line = lines[i]
      if (line == "") continue
      if (line ~ /^Usage: /) {
        print ".PP"
        emit("Usage: \\fB" escape(substr(line, 8)) "\\fR")
      } else if (line ~ /^[^ ].*:$/) {
        print ".PP"
        emit("\\fI" escape(line) "\\fR")
      } else if (line ~ /^  [^ ]/) {
        name = line; text = ""
        if (column > 0 && length(line) >= column && substr(line, column - 1, 1) == " ") {
          name = substr(line, 1, column - 1)
          text = substr(line, column)
        }
        sub(/^ +/, "", name); sub(/ +$/, "", name)
        first = name; sub(/ .*/, "", first)
        print ".TP"
        emit("\\fB" escape(first) "\\fR" escape(substr(name, length(first) + 1)))
        if (text != "") emit(escape(text))
      } else {
        sub(/^ +/, "", line)
        emit(escape(line))
      }
    }
  }'

{
  echo "[COMMANDS]"
  for command in $commands; do
    echo ".SS \"$command\""
    "$bin" "$command" --help | awk "$to_roff"
  done
} >"$output.tmp"
mv "$output.tmp" "$output"
