#!/usr/bin/env bash
# Installs the build dependencies from Debian 12's packages and builds
# sentiment (Release) into build/. Idempotent and non-interactive; safe to
# rerun. Usage: tools/setup.sh
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(
  build-essential cmake ninja-build pkg-config
  libeigen3-dev libcli11-dev nlohmann-json3-dev libgtest-dev
  libutf8proc-dev  # --standardize unicode
  libplplot-dev plplot-driver-cairo  # inspect --plot: PLplot and its PNG/SVG devices
  python3-numpy  # the Keras vocabulary oracle test
  python3-sklearn  # the evaluation report oracle test
  help2man  # the man page, generated from the --help texts
  groff-base  # renders that man page in the install test
)

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

cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release
cmake --build build
