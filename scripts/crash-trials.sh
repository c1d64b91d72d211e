#!/usr/bin/env bash
# The long runs of the reliability harnesses (RELIABILITY.md):
#   - 200 SIGKILL trials of the crash writer (cargo test runs 20),
#   - two writers at 2 x 500 commands (the desktop path and the CLI binary; cargo test runs the same).
# Usage: scripts/crash-trials.sh [TRIALS] [SEED]. Prints the figures to paste into RELIABILITY.md.
set -euo pipefail
cd "$(dirname "$0")/.."
trials="${1:-200}"
seed="${2:-24301}"
start=$(date +%s)
CRASH_TRIALS="$trials" CRASH_SEED="$seed" cargo test --locked --test reliability_crash \
  a_writer_killed_at_random_moments -- --nocapture 2>&1 | grep -v '^$'
echo "crash trials: $(( $(date +%s) - start ))s"
t0=$(date +%s)
TWO_WRITERS_N="${TWO_WRITERS_N:-500}" cargo test --locked --test reliability_two_writers -- --nocapture 2>&1 \
  | grep -E 'writers|test result'
echo "two writers: $(( $(date +%s) - t0 ))s"
