#!/usr/bin/env bash
# Target: start-up. `clustersim validate scenarios/mm1.toml` under 50 ms
# wall, median of RUNS (default 20). Uses hyperfine when installed (apt
# install hyperfine), else a loop timed with date +%s.%N. Also times
# `clustersim version` (process start alone) for comparison.
#
#   bash bench/startup.sh
#
# Environment: RUNS=20, CLUSTERSIM, NO_BUILD=1, GO.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
need_binary

RUNS=${RUNS:-20}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/clustersim-startup.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

echo "== start-up: median of $RUNS runs"
machine
status=0
for cmd in "$CLUSTERSIM validate scenarios/mm1.toml" "$CLUSTERSIM version"; do
    if command -v hyperfine >/dev/null 2>&1; then
        echo "-- hyperfine -N --warmup 3 --runs $RUNS '$cmd'"
        hyperfine -N --warmup 3 --runs "$RUNS" --export-json "$tmp/h.json" "$cmd" >/dev/null 2>&1
        python3 -c '
import json, sys
r = json.load(open(sys.argv[1]))["results"][0]
print("median %.4f s  mean %.4f s  stddev %.4f s  min %.4f s  max %.4f s  (user %.4f s, sys %.4f s mean)" % (
    r["median"], r["mean"], r["stddev"], r["min"], r["max"], r["user"], r["system"]))
' "$tmp/h.json" | tee "$tmp/res"
        med=$(awk '{ print $2 }' "$tmp/res")
    else
        echo "-- loop of $RUNS, date +%s.%N (hyperfine not installed)"
        : >"$tmp/t"
        for ((i = 0; i < RUNS + 3; i++)); do
            t0=$(date +%s.%N)
            $cmd >/dev/null
            t1=$(date +%s.%N)
            ((i < 3)) || awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.6f\n", b - a }' >>"$tmp/t"
        done
        med=$(median 1 "$tmp/t")
        echo "median $med s  (runs: $(tr '\n' ' ' <"$tmp/t"))"
    fi
    if [[ $cmd == *validate* ]]; then
        v=$(verdict "$med < 0.050")
        echo "  validate: median $med s (target < 0.050 s): $v"
        [[ $v == PASS ]] || status=1
    fi
done
exit $status
