#!/usr/bin/env bash
# Reproduces the BENCHMARKS.md figures for targets 2-6 (memory, cancelled
# timers, fleets, start-up, profile); target 1 is `make bench-peers`
# (bench/peers/run.sh, REPS=5 for the recorded table).
#
#   bash bench/all.sh            # ~6-8 minutes on 2 cores
#   QUICK=1 bash bench/all.sh    # ~2 minutes: fewer repetitions, no diurnal
#                                # fleet (its run alone is ~30 s of CPU)
#
# Builds ./bin/clustersim once, then runs bench/{startup,memory,timers,
# fleet,profile}.sh; each prints its raw figures, and this script ends with
# one line per target. Exit status 1 if any target is missed.
#
# Environment: QUICK=1, LOGDIR (keep each script's full output there; default
# a temporary directory, removed), CLUSTERSIM (skip the build), GO.
set -uo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
source "$here/lib.sh"
need_binary
export NO_BUILD=1 CLUSTERSIM GO

if [[ -n ${LOGDIR:-} ]]; then
    mkdir -p "$LOGDIR"
    logs=$LOGDIR
else
    logs=$(mktemp -d "${TMPDIR:-/tmp}/clustersim-bench.XXXXXX")
    trap 'rm -rf "$logs"' EXIT
fi

if [[ ${QUICK:-0} == 1 ]]; then
    export REPS=3 COUNT=3 BENCHTIME=1s RUNS=20 SKIP_DIURNAL=1
fi

machine
status=0
run() { # run NAME SCRIPT: runs bench/SCRIPT, output to the terminal and $logs/NAME.txt
    echo
    echo "########## $1: bash bench/$2"
    bash "$here/$2" 2>&1 | tee "$logs/$1.txt"
    [[ ${PIPESTATUS[0]} == 0 ]] || status=1
}
run startup startup.sh
run memory memory.sh
run timers timers.sh
run fleet fleet.sh
run profile profile.sh

echo
echo "########## summary (each line: measured (target): verdict)"
grep -h '(target' "$logs"/{startup,memory,timers,fleet}.txt
exit $status
