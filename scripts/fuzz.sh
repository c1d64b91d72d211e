#!/usr/bin/env bash
# Runs the cargo-fuzz targets (fuzz/) for a while each and prints corpus size and crashes.
# Needs a nightly toolchain and `cargo install cargo-fuzz`.
# Usage: scripts/fuzz.sh [SECONDS_PER_TARGET] [JOBS]
set -euo pipefail
cd "$(dirname "$0")/.."
secs="${1:-600}"
jobs="${2:-1}"
cargo +nightly fuzz build
for target in csv_import geojson_boundaries; do
  mkdir -p "fuzz/corpus/$target"
  t0=$(date +%s)
  # -max_len: CSV files and GeoJSON boundaries are longer than libFuzzer's 4 KiB default.
  cargo +nightly fuzz run "$target" "fuzz/corpus/$target" "fuzz/seeds/$target" -- \
    -max_total_time="$secs" -max_len=16384 -jobs="$jobs" -workers="$jobs" -print_final_stats=1 2>&1 \
    | grep -E 'stat::|Done|SUMMARY|panicked|ERROR' || true
  echo "$target: $(( $(date +%s) - t0 ))s, corpus $(ls "fuzz/corpus/$target" | wc -l) inputs," \
       "$(du -sk "fuzz/corpus/$target" | cut -f1) KiB, crashes: $(ls fuzz/artifacts/$target 2>/dev/null | wc -l)"
done
