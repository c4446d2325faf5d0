#!/usr/bin/env bash
# Installs the Debian packages Strata builds against, when pkg-config cannot find them.
# Runs apt-get as root (or through sudo when available); otherwise says what to run.
set -euo pipefail
packages=(pkg-config libsqlite3-dev libhdf5-dev zlib1g-dev libcairo2-dev libpango1.0-dev libgraphviz-dev poppler-utils fonts-dejavu-core libdnnl-dev)
missing=()
if command -v pkg-config >/dev/null 2>&1; then
  for pc in sqlite3 hdf5 zlib cairo pangocairo libgvc; do
    pkg-config --exists "$pc" || missing+=("$pc")
  done
else
  missing+=(pkg-config)
fi
command -v pdftotext >/dev/null 2>&1 || missing+=(poppler-utils)
[ -e /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || missing+=(fonts-dejavu-core)
[ -e /usr/include/oneapi/dnnl/dnnl.h ] || missing+=(libdnnl-dev)
[ ${#missing[@]} -eq 0 ] && exit 0
echo "strata: missing ${missing[*]}; installing system packages: ${packages[*]}" >&2
if [ "$(id -u)" -eq 0 ]; then
  sudo=""
elif command -v sudo >/dev/null 2>&1; then
  sudo="sudo"
else
  echo "strata: run as root: apt-get update && apt-get install -y ${packages[*]}" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq "${packages[@]}" >/dev/null
