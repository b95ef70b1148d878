#!/usr/bin/env bash
# The long form of the reliability suite: the same tests as `swift test --filter Reliability`,
# scaled up (≥ 30 SIGKILLs, every API fault with several seeds, 60 000 fuzz inputs), then a
# summary of the figures in Markdown (paste it into RELIABILITY.md).
#
#   scripts/reliability.sh                 # long form
#   CWARCHIVE_RELIABILITY_SEED=42 scripts/reliability.sh   # replay a seed
#   CWARCHIVE_RELIABILITY_KILLS=60 CWARCHIVE_RELIABILITY_FUZZ=200000 scripts/reliability.sh
#   scripts/reliability.sh --short         # the CI size, with figures
#
# Storage scenarios mount a tmpfs and a read-only bind mount: run as root for them (they are
# skipped with a message otherwise).
set -euo pipefail
cd "$(dirname "$0")/.."

if [[ "${1:-}" != "--short" ]]; then export CWARCHIVE_RELIABILITY_LONG=1; fi
: "${CWARCHIVE_RELIABILITY_SEED:=$(od -An -N4 -tu4 /dev/urandom | tr -d ' ')}"
export CWARCHIVE_RELIABILITY_SEED
figures="$(mktemp -t cwarchive-reliability-XXXXXX.jsonl)"
export CWARCHIVE_RELIABILITY_FIGURES="$figures"
log="${RELIABILITY_LOG:-/tmp/cwarchive-reliability.log}"

echo "building…" >&2
swift build --build-tests >"$log.build" 2>&1 || { tail -40 "$log.build"; exit 1; }
echo "running the reliability suite (seed $CWARCHIVE_RELIABILITY_SEED, long=${CWARCHIVE_RELIABILITY_LONG:-0}); log in $log" >&2
start=$(date +%s)
set +e
swift test --skip-build --filter Reliability >"$log" 2>&1
status=$?
set -e
elapsed=$(( $(date +%s) - start ))
grep -E "✘|failed|passed after" "$log" | tail -20 >&2 || true

python3 - "$figures" "$status" "$elapsed" <<'EOF'
import json, sys, collections
path, status, elapsed = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
rows = [json.loads(l) for l in open(path) if l.strip()]
seed = rows[0]["seed"] if rows else "?"
by = collections.OrderedDict()
for r in rows:
    by.setdefault(r["scenario"], []).append(r)
def total(scen, key):
    return sum(r.get(key, 0) for r in by.get(scen, []))
print(f"Seed {seed}; suite exit status {status}; {elapsed} s.\n")
print("| Scenario | Figures |\n|---|---|")
for scen, rs in by.items():
    keys = sorted({k for r in rs for k in r} - {"scenario", "long", "seed"})
    print(f"| {scen} | " + ", ".join(f"{k} {sum(r.get(k, 0) for r in rs)}" for k in keys) + " |")
faults = {s[len("api_fault_"):]: total(s, "runs") for s in by if s.startswith("api_fault_")}
print()
print(f"- Kills survived: {total('sigkill', 'kills')} (by phase: " + ", ".join(
    f"{k[len('kills_in_'):]} {v}" for k, v in sorted({k: total('sigkill', k) for r in by.get('sigkill', []) for k in r if k.startswith('kills_in_')}.items())) + ")")
print(f"- Messages lost: {total('sigkill', 'messages_lost')}, duplicated: {total('sigkill', 'messages_duplicated')}")
print(f"- API faults injected, runs by kind: " + ", ".join(f"{k} {v}" for k, v in faults.items()))
print(f"- Hostile inputs tried: {total('hostile_input', 'inputs')} (searches {total('hostile_input', 'searches')}, export files checked {total('hostile_input', 'export_files_checked')})")
print(f"- Fuzz iterations: markup {total('fuzz_markup', 'iterations')}, API decoding {total('fuzz_api_decoding', 'iterations_decoder')} in process + {total('fuzz_api_decoding', 'iterations_client')} through the client")
EOF
rm -f "$figures"
exit "$status"
