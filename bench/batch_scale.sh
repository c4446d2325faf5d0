#!/usr/bin/env bash
# The batch at scale: the 40 keras.applications configs repeated under subfolders to make
# 40, 200 and 1,000 models; `strata report --no-forward` on each folder twice (a first run,
# then a re-run over the unchanged folder, which reuses every report). Prints models/s, the
# batch process's peak RSS (its own VmHWM), the largest worker's peak RSS, and the re-run
# time. Usage: bench/batch_scale.sh STRATA_BINARY [COUNTS...]
set -euo pipefail
strata=${1:?usage: bench/batch_scale.sh STRATA_BINARY [COUNTS...]}
shift
counts=("$@")
[ $# -gt 0 ] || counts=(40 200 1000)
apps=Tests/Fixtures/applications
root=${TMPDIR:-/tmp}/strata-bench-scale
for n in "${counts[@]}"; do
  rm -rf "$root" && mkdir -p "$root/models"
  copies=$(( (n + 39) / 40 ))
  made=0
  for ((c = 1; c <= copies; c++)); do
    mkdir -p "$root/models/team$c"
    for d in "$apps"/*/; do
      [ "$made" -lt "$n" ] || break
      cp "$d/model.json" "$root/models/team$c/$(basename "$d").json"
      made=$((made + 1))
    done
  done
  for pass in first re-run; do
    start=$(date +%s.%N)
    "$strata" report "$root/models" --out "$root/out" --no-forward --date 2026-01-01 2>/dev/null > "$root/summary.txt" || true
    end=$(date +%s.%N)
    secs=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.3f", b - a }')
    batch=$(sed -n 's/^Batch process peak memory: \([0-9]*\) MB.*/\1/p' "$root/summary.txt")
    worker=$(sed -n 's/.*the largest peak \([0-9]*\) MB.*/\1 MB/p' "$root/summary.txt")
    reported=$(sed -n 's/^Reported \([0-9]*\) of \([0-9]*\) models.*/\1 of \2/p' "$root/summary.txt")
    printf "Strata batch, %4d configs, %-7s run: %7.2f s, %6.1f models/s, batch peak RSS %s MB, largest worker peak RSS %s, reported %s\n" \
      "$n" "$pass" "$secs" "$(awk -v n="$n" -v s="$secs" 'BEGIN { print n / s }')" "${batch:-?}" "${worker:-none: no worker ran}" "$reported"
  done
done
rm -rf "$root"
