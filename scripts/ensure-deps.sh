#!/usr/bin/env bash
# Installs the Debian packages Strata builds against, when pkg-config cannot find them.
# Runs apt-get as root (or through sudo when available); otherwise says what to run.
set -euo pipefail
packages=(libhdf5-dev zlib1g-dev pkg-config)
missing=()
command -v pkg-config >/dev/null 2>&1 || missing+=(pkg-config)
if command -v pkg-config >/dev/null 2>&1; then
  pkg-config --exists hdf5 || missing+=(libhdf5-dev)
  pkg-config --exists zlib || missing+=(zlib1g-dev)
else
  missing+=(libhdf5-dev zlib1g-dev)
fi
[ ${#missing[@]} -eq 0 ] && exit 0
echo "strata: installing system packages: ${packages[*]}" >&2
if [ "$(id -u)" -eq 0 ]; then
  sudo=""
elif command -v sudo >/dev/null 2>&1; then
  sudo="sudo"
else
  echo "strata: missing ${missing[*]}; run as root: apt-get update && apt-get install -y ${packages[*]}" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq "${packages[@]}" >/dev/null
