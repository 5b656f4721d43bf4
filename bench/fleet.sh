#!/usr/bin/env bash
# Target: large fleets.
#  (a) go test -bench Fleet ./sim/models: per-event cost at 10,000
#      instances within 1.5x of 10 instances, for each balancer
#      (random, round_robin, p2c, least_outstanding). Medians over COUNT.
#  (b) bench/diurnal-fleet.toml: an HPA (cpu 0.6, min 10, max 2000) over
#      48 h of diurnal traffic, ~52M requests, ~10^8 events, all outputs;
#      target >= 1M events/s. REPS runs; median wall, CPU time and the
#      events/s that clustersim prints on stderr.
#
#   bash bench/fleet.sh
#
# Environment: COUNT=5, BENCHTIME=1s, REPS=3, SKIP_GO=1, SKIP_DIURNAL=1,
# CLUSTERSIM, NO_BUILD=1, GO.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
need_time
need_binary

COUNT=${COUNT:-5}
BENCHTIME=${BENCHTIME:-1s}
REPS=${REPS:-3}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/clustersim-fleet.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
status=0
echo "== fleets"
machine

if [[ ${SKIP_GO:-0} != 1 ]]; then
    echo
    echo "== (a) go test -run '^\$' -bench Fleet -benchmem -count $COUNT -benchtime $BENCHTIME ./sim/models"
    "$GO" test -run '^$' -bench Fleet -benchmem -count "$COUNT" -benchtime "$BENCHTIME" ./sim/models | tee "$tmp/fleet"
    echo "-- medians (events/s; ns/op is per request)"
    gobench_median events/s "$tmp/fleet" | tee "$tmp/fleet.med"
    gobench_median ns/op "$tmp/fleet"
    for algo in random round_robin p2c least_outstanding; do
        small=$(awk -v a="$algo" '$1 ~ "/" a "/instances=10-" { print $2 }' "$tmp/fleet.med")
        large=$(awk -v a="$algo" '$1 ~ "/" a "/instances=10000-" { print $2 }' "$tmp/fleet.med")
        r=$(ratio "$small" "$large") # time per event at 10,000 / at 10
        v=$(verdict "$r <= 1.5")
        echo "  $algo: events/s at 10 = $small, at 10000 = $large; slowdown $r (target <= 1.5): $v"
        [[ $v == PASS ]] || status=1
    done
fi

if [[ ${SKIP_DIURNAL:-0} != 1 ]]; then
    echo
    echo "== (b) $CLUSTERSIM run bench/diurnal-fleet.toml --out DIR ($REPS runs)"
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
