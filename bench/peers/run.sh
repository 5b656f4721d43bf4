#!/usr/bin/env bash
# Side-by-side M/M/8 runs: the hand-written Go loop (the speed limit),
# clustersim, and SimPy 3, each checked against Erlang C. See README.md.
#
#   bash bench/peers/run.sh            # or: make bench-peers
#
# Environment (all optional):
#   REPS=3                  repetitions per engine; the table shows the median wall time
#   CUSTOMERS=5000000       customers for the hand loop (clustersim's count comes
#                           from its scenario, bench/mm8.toml)
#   SIMPY_CUSTOMERS=200000  customers for SimPy (it is ~100x slower)
#   SEED=1                  seed for the hand loop and SimPy
#   CLUSTERSIM_CMD          command to run clustersim, eval'ed from the repo root;
#                           it must leave $tmpdir/out/summary.json (single-quote
#                           it so $tmpdir expands here). Default:
#                           ./bin/clustersim run bench/mm8.toml --out $tmpdir/out --quiet
#                           (run only if ./bin/clustersim and bench/mm8.toml exist)
#   SIMPY_PYTHON            interpreter for SimPy (default: the first of
#                           /usr/bin/python3 and python3 that can import simpy)
#   GO=go                   Go toolchain
#   SKIP_SIMPY=1            skip SimPy (no apt-get)
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$root"
peers=bench/peers

# The model: M/M/8 at rho 0.8 with mu = 100/s (mean service 10 ms), so
# lambda = 640/s. bench/mm8.toml must describe the same queue.
C=8
RHO=0.8
MU=100
REPS=${REPS:-3}
CUSTOMERS=${CUSTOMERS:-5000000}
SIMPY_CUSTOMERS=${SIMPY_CUSTOMERS:-200000}
SEED=${SEED:-1}
GO=${GO:-go}

tmpdir=$(mktemp -d "${TMPDIR:-/tmp}/clustersim-peers.XXXXXX")
trap 'rm -rf "$tmpdir"' EXIT
results=$tmpdir/results.tsv
: >"$results"

log() { printf '%s\n' "$*" >&2; }

# Plain Python for the Erlang C table (standard library only).
if [[ -x /usr/bin/python3 ]]; then
    PY=/usr/bin/python3
elif command -v python3 >/dev/null 2>&1; then
    PY=$(command -v python3)
else
    log "run.sh: no python3 found (needed for the report)"
    exit 1
fi

# run_timed ENGINE REP STDOUT RESULT CMD... : runs CMD with its stdout in
# file STDOUT, times it by the wall clock and records the run; RESULT is the
# file the report reads (the engine's JSON line or clustersim's summary.json).
run_timed() {
    local engine=$1 rep=$2 out=$3 result=$4
    shift 4
    local t0 t1 wall
    t0=$(date +%s.%N)
    "$@" >"$out"
    t1=$(date +%s.%N)
    wall=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.6f", b - a }')
    printf '%s\t%s\t%s\t%s\n' "$engine" "$rep" "$wall" "$result" >>"$results"
    log "  $engine rep $rep: ${wall}s"
}

# ---- (a) hand-written loop --------------------------------------------------
log "building the hand loop"
"$GO" build -o "$tmpdir/handloop" ./bench/peers/handloop
log "handloop: M/M/$C, rho $RHO, $CUSTOMERS customers, $REPS reps"
for ((i = 1; i <= REPS; i++)); do
    out=$tmpdir/handloop.$i.json
    run_timed handloop "$i" "$out" "$out" \
        "$tmpdir/handloop" -customers "$CUSTOMERS" -c "$C" -rho "$RHO" -mu "$MU" -seed "$SEED"
done

# ---- (b) clustersim ---------------------------------------------------------
run_clustersim() { eval "$CLUSTERSIM_CMD"; }
if [[ -z ${CLUSTERSIM_CMD:-} ]]; then
    if [[ -x ./bin/clustersim && -f bench/mm8.toml ]]; then
        CLUSTERSIM_CMD='./bin/clustersim run bench/mm8.toml --out "$tmpdir/out" --quiet'
    elif [[ ! -x ./bin/clustersim ]]; then
        log "clustersim: skipped, ./bin/clustersim not built (make build)"
    else
        log "clustersim: skipped, bench/mm8.toml not found"
    fi
fi
if [[ -n ${CLUSTERSIM_CMD:-} ]]; then
    log "clustersim: $CLUSTERSIM_CMD, $REPS reps"
    for ((i = 1; i <= REPS; i++)); do
        rm -rf "$tmpdir/out"
        run_timed clustersim "$i" "$tmpdir/clustersim.$i.stdout" "$tmpdir/clustersim.$i.json" \
            run_clustersim
        if [[ ! -s $tmpdir/out/summary.json ]]; then
            log "run.sh: clustersim left no \$tmpdir/out/summary.json"
            exit 1
        fi
        cp "$tmpdir/out/summary.json" "$tmpdir/clustersim.$i.json"
    done
fi

# ---- (c) SimPy 3 ------------------------------------------------------------
find_simpy_python() {
    local p
    for p in ${SIMPY_PYTHON:-} /usr/bin/python3 python3; do
        if command -v "$p" >/dev/null 2>&1 && "$p" -c 'import simpy' >/dev/null 2>&1; then
            command -v "$p"
            return 0
        fi
    done
    return 1
}
simpy_py=""
if [[ ${SKIP_SIMPY:-0} == 1 ]]; then
    log "simpy: skipped (SKIP_SIMPY=1)"
elif simpy_py=$(find_simpy_python); then
    :
else
    simpy_py=""
    log "simpy: not importable; installing python3-simpy3 with apt-get"
    if (apt-get update && apt-get install -y python3-simpy3) >"$tmpdir/apt.log" 2>&1 \
        && simpy_py=$(find_simpy_python); then
        log "simpy: installed"
    else
        simpy_py=""
        tail -n 5 "$tmpdir/apt.log" >&2 || true
        log "simpy: SKIPPED, apt-get install python3-simpy3 failed (need root and network)"
    fi
fi
if [[ -n $simpy_py ]]; then
    log "simpy ($simpy_py): $SIMPY_CUSTOMERS customers, $REPS reps"
    for ((i = 1; i <= REPS; i++)); do
        out=$tmpdir/simpy.$i.json
        run_timed simpy "$i" "$out" "$out" \
            "$simpy_py" "$peers/simpy_mmc.py" --customers "$SIMPY_CUSTOMERS" \
            --c "$C" --rho "$RHO" --mu "$MU" --seed "$SEED"
    done
fi

# ---- table and Erlang C check ----------------------------------------------
"$PY" -B "$peers/report.py" "$results" --c "$C" --rho "$RHO" --mu "$MU" --customers "$CUSTOMERS"
