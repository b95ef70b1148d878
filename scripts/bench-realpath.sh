#!/usr/bin/env bash
# The real-path benchmark of issues 12 and 18 (see BENCHMARKS.md, "Real-path archive").
# Builds the release binaries, then archives (through the simulator over loopback) and measures
# the 200k archive, then the 1M one, each run writing its own block of the report.
# WORK keeps the built archives (built.json) so that a second run reuses them.
set -euo pipefail
cd "$(dirname "$0")/.."
WORK=${WORK:-/tmp/cwbench-realpath}
REPORT=${REPORT:-BENCHMARKS.md}
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "GNU time is missing: apt-get install -y time" >&2; exit 1; }
command -v sqlite3 >/dev/null || { echo "sqlite3 is missing: apt-get install -y sqlite3" >&2; exit 1; }
mkdir -p "$WORK"
swift build -c release
for size in ${SIZES:-200000 1000000}; do
  .build/release/cwbench --only realpath,wrk --realpath-sizes "$size" --work "$WORK" --report "$REPORT" \
    | tee "$WORK/run-$size.log"
done
