#!/usr/bin/env bash
# Target: large fleets.
#  (a) go test -bench '^BenchmarkFleet$' ./sim/models: events/s at 10,000
#      instances within 1.5x of 10 instances, for each balancer (random,
#      round_robin, p2c, least_outstanding) and, where the benchmark has
#      them, each load (load=scaled: utilisation 0.7 at every size, so
#      requests in flight grow with the fleet; load=fixed: 560 req/s at
#      every size). Medians over COUNT runs.
#  (b) diagnosis, not a target: go test -bench FleetSteady ./sim/models
#      (sim/models/fleet_steady_bench_test.go): the load=scaled model with
#      the start of the run (n instances starting, the fleet filling) timed
#      apart from the steady state.
#  (c) bench/diurnal-fleet.toml: an HPA (cpu 0.6, min 10, max 2000) over
#      48 h of diurnal traffic, ~52M requests, ~10^8 events, all outputs;
#      target >= 1M events/s. REPS runs; median wall, CPU time and the
#      events/s that clustersim prints on stderr.
#
#   bash bench/fleet.sh
#
# Environment: COUNT=5, BENCHTIME=1s, REPS=3, STEADY_COUNT=3,
# STEADY_N=2000000x, SKIP_GO=1, SKIP_STEADY=1, SKIP_DIURNAL=1, CLUSTERSIM,
# NO_BUILD=1, GO.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
need_time
need_binary

COUNT=${COUNT:-5}
BENCHTIME=${BENCHTIME:-1s}
REPS=${REPS:-3}
STEADY_COUNT=${STEADY_COUNT:-3}
STEADY_N=${STEADY_N:-2000000x}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/clustersim-fleet.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
status=0
echo "== fleets"
machine

if [[ ${SKIP_GO:-0} != 1 ]]; then
    echo
    echo "== (a) go test -run '^\$' -bench '^BenchmarkFleet\$' -benchmem -count $COUNT -benchtime $BENCHTIME ./sim/models"
    "$GO" test -run '^$' -bench '^BenchmarkFleet$' -benchmem -count "$COUNT" -benchtime "$BENCHTIME" ./sim/models | tee "$tmp/fleet"
    echo "-- medians (events/s; ns/op is per request)"
    gobench_median events/s "$tmp/fleet" | tee "$tmp/fleet.med"
    gobench_median ns/op "$tmp/fleet"
    # Sub-benchmarks are [load=scaled|fixed/]ALGO/instances=N (the load=
    # level exists since BenchmarkFleet measures both ways).
    loads=$(grep -o 'load=[a-z]*/' "$tmp/fleet.med" | sort -u | tr '\n' ' ')
    for load in ${loads:-/}; do
        for algo in random round_robin p2c least_outstanding; do
            small=$(awk -v k="$load$algo/instances=10-" 'index($1, k) { print $2 }' "$tmp/fleet.med")
            large=$(awk -v k="$load$algo/instances=10000-" 'index($1, k) { print $2 }' "$tmp/fleet.med")
            r=$(ratio "$small" "$large") # time per event at 10,000 / at 10
            v=$(verdict "$r <= 1.5")
            echo "  Fleet ${load#/}$algo: events/s at 10 = $small, at 10000 = $large; slowdown $r (target <= 1.5): $v"
            [[ $v == PASS ]] || status=1
        done
    done
fi

if [[ ${SKIP_GO:-0} != 1 && ${SKIP_STEADY:-0} != 1 ]]; then
    # Diagnosis, not a target: the same model with the start of the run
    # (bringing n instances up, filling them) timed apart; see
    # sim/models/fleet_steady_bench_test.go. A fixed op count, because at
    # 10,000 instances one op of a 1 s benchtime would be the prefix alone.
    echo
    echo "== (b) CLUSTERSIM_BENCH_STEADY=1 go test -run '^\$' -bench FleetSteady -benchmem -count $STEADY_COUNT -benchtime $STEADY_N ./sim/models"
    CLUSTERSIM_BENCH_STEADY=1 "$GO" test -run '^$' -bench FleetSteady -benchmem -count "$STEADY_COUNT" -benchtime "$STEADY_N" ./sim/models | tee "$tmp/steady"
    echo "-- medians"
    gobench_median steady-ns/req "$tmp/steady" | tee "$tmp/steady.med"
    gobench_median prefix-ms "$tmp/steady"
    for algo in random round_robin p2c least_outstanding; do
        small=$(awk -v a="$algo" '$1 ~ "/" a "/instances=10-" { print $2 }' "$tmp/steady.med")
        large=$(awk -v a="$algo" '$1 ~ "/" a "/instances=10000-" { print $2 }' "$tmp/steady.med")
        echo "  $algo steady state: ns/request at 10 = $small, at 10000 = $large; slowdown $(ratio "$large" "$small")"
    done
fi

if [[ ${SKIP_DIURNAL:-0} != 1 ]]; then
    echo
    echo "== (c) $CLUSTERSIM run bench/diurnal-fleet.toml --out DIR ($REPS runs)"
    : >"$tmp/diurnal"
    : >"$tmp/diurnal.eps"
    for ((i = 1; i <= REPS; i++)); do
        rm -rf "$tmp/out"
        timed "$tmp/diurnal" "$CLUSTERSIM" run bench/diurnal-fleet.toml --out "$tmp/out"
        grep '^clustersim:' "$tmp/diurnal.stderr" | tee -a "$tmp/diurnal.eps"
    done
    grep -E '^(simulated|requests|api) ' "$tmp/diurnal.stdout" || true
    awk '{ print $1, $2 + $3, $4 }' "$tmp/diurnal" >"$tmp/diurnal.c"
    # "clustersim: N events in X s wall (Y M events/s)"
    eps=$(awk '{ gsub(/[(M]/, "", $7); print $7 }' "$tmp/diurnal.eps" | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }')
    ev=$(awk '{ print $2 }' "$tmp/diurnal.eps" | head -1)
    cpu=$(median 2 "$tmp/diurnal.c")
    echo "  median: wall $(median 1 "$tmp/diurnal.c") s (process), cpu $cpu s, peak RSS $(awk -v k="$(median 3 "$tmp/diurnal.c")" 'BEGIN { printf "%.1f", k / 1024 }') MiB"
    echo "  median events/s (clustersim's own figure): ${eps}M; per CPU-second: $(awk -v e="$ev" -v c="$cpu" 'BEGIN { printf "%.2fM", e / c / 1e6 }')"
    v=$(verdict "$eps >= 1.0")
    echo "  diurnal fleet: ${eps}M events/s (target >= 1M): $v"
    [[ $v == PASS ]] || status=1
fi
exit $status
