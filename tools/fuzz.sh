#!/usr/bin/env bash
# Builds the libFuzzer targets (clang, ASan + UBSan) and runs each for
# SECONDS, one after another, starting from the seed corpora in
# tests/fuzz_corpus/<target>/. New interesting inputs go to a working corpus
# in the build folder, never into tests/. A crash, sanitizer report, leak,
# timeout or out-of-memory stops the run with a non-zero exit; the input is
# saved as BUILD_DIR/artifacts/<target>/crash-* (copy it into tests/ as a
# regression test).
#
# Usage: tools/fuzz.sh [SECONDS=600] [TARGET...]
#   targets: model_file_fuzzer vectorizer_fuzzer predict_fuzzer (default all)
#   FUZZ_BUILD_DIR  build folder (default build-fuzz)
#   FUZZ_CXX        compiler (default clang++-14, or clang++)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
seconds=${1:-600}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(model_file_fuzzer vectorizer_fuzzer predict_fuzzer)
build=${FUZZ_BUILD_DIR:-build-fuzz}

# clang and its runtime libraries (libFuzzer, ASan, UBSan), from Debian 12.
packages=(clang-14 libclang-rt-14-dev cmake ninja-build
          libeigen3-dev libcli11-dev nlohmann-json3-dev)
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" \
    || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "Installing: ${missing[*]}" >&2
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
cxx=${FUZZ_CXX:-$(command -v clang++-14 || command -v clang++)}

cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_CXX_COMPILER="$cxx" -DSENTIMENT_FUZZ=ON -DBUILD_TESTING=OFF >/dev/null
cmake --build "$build" --target "${targets[@]}"

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
for target in "${targets[@]}"; do
  corpus="$build/corpus/$target"
  artifacts="$build/artifacts/$target/"
  mkdir -p "$corpus" "$artifacts"
  echo "== $target: ${seconds}s, seeds tests/fuzz_corpus/$target" >&2
  # -rss_limit_mb and -malloc_limit_mb turn a giant allocation into a
  # finding; -timeout one into a hang.
  "$build/tools/fuzz/$target" -max_total_time="$seconds" -timeout=10 \
    -rss_limit_mb=2048 -malloc_limit_mb=1024 -max_len=65536 \
    -print_final_stats=1 -artifact_prefix="$artifacts" \
    "$corpus" "$root/tests/fuzz_corpus/$target"
done
echo "fuzzing finished: no crash in ${targets[*]}" >&2
