#!/usr/bin/env bash
# Reproduces the BENCHMARKS.md figures for targets 2-6 (memory, cancelled
# timers, fleets, start-up, profile), and target 1's clustersim/hand-loop
# ratio measured with interleaved runs (bench/ratio.sh). The full target 1
# table, with SimPy, is `make bench-peers` (bench/peers/run.sh; REPS=5 for
# the recorded table).
#
#   bash bench/all.sh            # ~7.5 minutes on 2 cores
#   QUICK=1 bash bench/all.sh    # ~3.5 minutes: fewer repetitions, no diurnal
#                                # fleet (3 x 15 s) and no FleetSteady
#
# Builds ./bin/clustersim once and measures a private copy of it, running
# bench/{ratio,startup,memory,timers,fleet,profile}.sh; each prints its raw
# figures, and this script ends with one line per target. Exit status 1 if
# any target is missed.
#
# Environment: QUICK=1, LOGDIR (keep each script's full output there; default
# a temporary directory, removed), CLUSTERSIM (skip the build), GO.
set -uo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
source "$here/lib.sh"
need_binary
# Measure a private copy: other people's `make build` may replace
# ./bin/clustersim while the benchmarks run.
bindir=$(mktemp -d "${TMPDIR:-/tmp}/clustersim-bin.XXXXXX")
cp -p "$CLUSTERSIM" "$bindir/clustersim"
CLUSTERSIM=$bindir/clustersim
export NO_BUILD=1 CLUSTERSIM GO

if [[ -n ${LOGDIR:-} ]]; then
    mkdir -p "$LOGDIR"
    logs=$LOGDIR
    trap 'rm -rf "$bindir"' EXIT
else
    logs=$(mktemp -d "${TMPDIR:-/tmp}/clustersim-bench.XXXXXX")
    trap 'rm -rf "$logs" "$bindir"' EXIT
fi

if [[ ${QUICK:-0} == 1 ]]; then
    export REPS=3 COUNT=3 BENCHTIME=1s RUNS=20 SKIP_DIURNAL=1 SKIP_STEADY=1
fi

machine
status=0
run() { # run NAME SCRIPT: runs bench/SCRIPT, output to the terminal and $logs/NAME.txt
    echo
    echo "########## $1: bash bench/$2"
    bash "$here/$2" 2>&1 | tee "$logs/$1.txt"
    [[ ${PIPESTATUS[0]} == 0 ]] || status=1
}
run ratio ratio.sh
run startup startup.sh
run memory memory.sh
run timers timers.sh
run fleet fleet.sh
run profile profile.sh

echo
echo "########## summary (each line: measured (target): verdict)"
grep -h '(target' "$logs"/{ratio,startup,memory,timers,fleet}.txt
exit $status
