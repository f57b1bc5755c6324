#!/usr/bin/env bash
# Builds the bundled sentiment dataset (data/train, data/test, data/README.md)
# from a real public corpus, reproducibly.
#
# Source: UCI Machine Learning Repository, "Sentiment Labelled Sentences" —
#   sentences from Amazon, IMDB and Yelp reviews labelled 0 (negative) or
#   1 (positive). Fetched as the copy shipped by the npm package
#   sentiment@5.0.2 (package/test/fixtures/{amazon,imdb,yelp}.json, each a JSON
#   array of {"text": ..., "class": 0|1}) via `npm pack`; the tarball's
#   integrity is checked against the pinned sha512 below.
# Citation: Dimitrios Kotzias, Misha Denil, Nando de Freitas, Padhraic Smyth,
#   "From Group to Individual Labels using Deep Features", KDD 2015.
# Licence note: this is UCI's dataset; the MIT licence of the `sentiment` npm
#   package does not cover the review text. Follow UCI's terms and cite the
#   paper above when using the data.
#
# Layout (Keras text_dataset_from_directory): DEST/{train,test}/{neg,pos}/
#   <source>_<index %04d>.txt, class 0 -> neg, 1 -> pos; each file holds
#   exactly the sentence text (UTF-8, no added newline, not trimmed).
# Split rule: entry index i of each source goes to test if i % 5 == 4, else
#   train (~80/20, deterministic). Entries whose text is empty after trimming
#   are skipped; nothing is de-duplicated.
#
# Usage: tools/make_data.sh [DEST=data]
#   DEST defaults to the repository's data/ directory. DEST/train, DEST/test
#   and DEST/README.md are rebuilt from scratch in a hidden temp dir inside
#   DEST (same filesystem) and only then moved into place, so a failure
#   leaves the previous data intact. Needs: npm (registry access), node, tar.
set -euo pipefail

readonly PKG="sentiment@5.0.2"
readonly TARBALL="sentiment-5.0.2.tgz"
readonly INTEGRITY="sha512-ZeC3y0JsOYTdwujt5uOd7ILJNilbgFzUtg/LEG4wUv43LayFNLZ28ec8+Su+h3saHlJmIwYxBzfDHHZuiMA15g=="
readonly FIXTURES="package/test/fixtures"
readonly SOURCES=(amazon imdb yelp)
readonly OUTPUTS=(train test README.md)

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

# 1. Fetch the npm tarball into a scratch directory.
work=$(mktemp -d "${TMPDIR:-/tmp}/make_data.XXXXXX")
echo "==> npm pack $PKG"
(cd -- "$work" && npm pack "$PKG" --silent >/dev/null) \
  || die "npm pack $PKG failed (is the npm registry reachable?)"
[[ -f $work/$TARBALL ]] || die "npm pack did not produce $TARBALL"

# 2. Check it is byte-for-byte the published tarball.
actual=$(node -e '
  const h = require("crypto").createHash("sha512");
  h.update(require("fs").readFileSync(process.argv[1]));
  console.log("sha512-" + h.digest("base64"));' "$work/$TARBALL")
[[ $actual == "$INTEGRITY" ]] \
  || die "$TARBALL integrity mismatch: expected $INTEGRITY, got $actual"

# 3. Extract and verify the three fixture files exist.
mkdir -- "$work/x"
tar -xzf "$work/$TARBALL" -C "$work/x" --no-same-owner --no-same-permissions \
  || die "could not extract $TARBALL"
for src in "${SOURCES[@]}"; do
  [[ -f $work/x/$FIXTURES/$src.json ]] \
    || die "$TARBALL lacks $FIXTURES/$src.json — not the expected $PKG corpus"
done

# 4. Build the new dataset next to the old one (hidden dir inside DEST).
build=$(mktemp -d "$dest/.make_data.build.XXXXXX")
echo "==> writing files"
node "$script_dir/make_data.js" "$work/x/$FIXTURES" "$build"

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
echo "on-disk bytes (du -sb train test): $(du -sbc -- "$dest/train" "$dest/test" | tail -n1 | cut -f1)"
