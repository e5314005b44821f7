#!/usr/bin/env bash
# Fuzzes one target for a while, then merges what it found into the kept
# corpus. Usage, from anywhere:
#
#   fuzz/run.sh TARGET [SECONDS]      # TARGET: text, workbook or zip_parts
#
# Needs cargo-fuzz (`cargo install cargo-fuzz`); on a stable toolchain it
# runs with RUSTC_BOOTSTRAP=1. Crashes, hangs (over 10 s) and allocations
# over 2 GiB are saved in fuzz/artifacts/TARGET/; copy each into
# fuzz/regressions/ once fixed, so the test suite replays it.
set -euo pipefail
cd "$(dirname "$0")"
target=${1:?usage: fuzz/run.sh text|workbook|zip_parts|pdf [SECONDS]}
seconds=${2:-600}
export RUSTC_BOOTSTRAP=1
python3 seed.py
mkdir -p "artifacts/$target" "corpus/$target"
case $target in
  text) max_len=65536 ;;
  workbook) max_len=65536 ;;
  zip_parts) max_len=262144 ;;
  pdf) max_len=131072 ;;
  *) echo "unknown target $target" >&2; exit 2 ;;
esac
# -fork=1 with -ignore_*: a crash is saved and fuzzing goes on, so one run
# finds more than the first bug.
cargo fuzz run -O "$target" "work/$target" -- \
  -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -malloc_limit_mb=2048 \
  -max_len="$max_len" -artifact_prefix="artifacts/$target/" -print_final_stats=1 \
  -fork=1 -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1 || true
# Keep a small corpus: of the inputs under 12 KiB, a minimal set covering
# every edge (not every hit count) that the kept corpus does not yet cover.
rm -rf "work/$target-small" && mkdir -p "work/$target-small"
find "work/$target" -type f -size -12k -exec cp {} "work/$target-small/" \;
cargo fuzz run -O "$target" "corpus/$target" "work/$target-small" -- -set_cover_merge=1 \
  -use_counters=0 -max_len=12288 -timeout=10 -rss_limit_mb=2048
