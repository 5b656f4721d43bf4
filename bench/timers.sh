#!/usr/bin/env bash
# Target: timers that get cancelled are cheap.
#  (a) M/M/8 (bench/mm8.toml, 5M customers, all outputs) with a client
#      timeout of 2 s must be at most 1.3x slower than without. At
#      rho 0.8 almost no request times out, so nearly every timer is
#      started and then cancelled. The two variants run interleaved,
#      REPS times each; medians of wall time and of CPU time (user+sys).
#  (b) go test -bench Hold ./sim/engine: hold at 10^5 pending >= 3M events/s.
#  (c) go test -bench MM8 ./sim/models: the model loop alone, without and
#      with timeouts.
#
#   bash bench/timers.sh
#
# Environment: REPS=5, COUNT=5 (go test -count), BENCHTIME=1s,
# SCENARIO=bench/mm8.toml, SKIP_GO=1 (skip b and c), CLUSTERSIM, NO_BUILD=1, GO.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
need_time
need_binary

REPS=${REPS:-5}
COUNT=${COUNT:-5}
BENCHTIME=${BENCHTIME:-1s}
SCENARIO=${SCENARIO:-bench/mm8.toml}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/clustersim-timers.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

echo "== (a) $SCENARIO without / with workload.clients.timeout=2s ($REPS interleaved runs each)"
machine
: >"$tmp/plain"
: >"$tmp/timeout"
for ((i = 1; i <= REPS; i++)); do
    rm -rf "$tmp/out"
    timed "$tmp/plain" "$CLUSTERSIM" run "$SCENARIO" --out "$tmp/out" --quiet
    rm -rf "$tmp/out"
    timed "$tmp/timeout" "$CLUSTERSIM" run "$SCENARIO" --set workload.clients.timeout=2s --out "$tmp/out" --quiet
done
timeouts=$(grep -o '"timeouts": *[0-9]*' "$tmp/out/summary.json" | head -1 | grep -o '[0-9]*$' || echo '?')
status=0
printf '%-10s %10s %10s %10s   %s\n' variant wall_s cpu_s maxrss_MB "runs (wall_s)"
for v in plain timeout; do
    awk '{ print $1, $2 + $3, $4 }' "$tmp/$v" >"$tmp/$v.c"
    printf '%-10s %10s %10s %10.1f   %s\n' "$v" "$(median 1 "$tmp/$v.c")" "$(median 2 "$tmp/$v.c")" \
        "$(awk -v k="$(median 3 "$tmp/$v.c")" 'BEGIN { print k / 1024 }')" "$(awk '{ printf "%s ", $1 }' "$tmp/$v")"
done
rw=$(ratio "$(median 1 "$tmp/timeout.c")" "$(median 1 "$tmp/plain.c")")
rc=$(ratio "$(median 2 "$tmp/timeout.c")" "$(median 2 "$tmp/plain.c")")
v=$(verdict "$rw <= 1.3")
echo "  timeout/plain: wall $rw, cpu $rc (target wall <= 1.3): $v   [requests that timed out: $timeouts]"
[[ $v == PASS ]] || status=1

if [[ ${SKIP_GO:-0} != 1 ]]; then
    echo
    echo "== (b) go test -run '^\$' -bench Hold -benchmem -count $COUNT -benchtime $BENCHTIME ./sim/engine"
    "$GO" test -run '^$' -bench Hold -benchmem -count "$COUNT" -benchtime "$BENCHTIME" ./sim/engine | tee "$tmp/hold"
    echo "-- medians"
    gobench_median events/s "$tmp/hold"
    hold=$(gobench_median events/s "$tmp/hold" | awk '$1 ~ /^BenchmarkHold\/pending=100000-/ { print $2 }')
    v=$(verdict "$hold >= 3e6")
    echo "  Hold pending=100000: $hold events/s (target >= 3e6): $v"
    [[ $v == PASS ]] || status=1

    echo
    echo "== (c) go test -run '^\$' -bench MM8 -benchmem -count $COUNT -benchtime $BENCHTIME ./sim/models"
    "$GO" test -run '^$' -bench MM8 -benchmem -count "$COUNT" -benchtime "$BENCHTIME" ./sim/models | tee "$tmp/mm8"
    echo "-- medians"
    gobench_median events/s "$tmp/mm8"
    gobench_median ns/op "$tmp/mm8"
    a=$(gobench_median ns/op "$tmp/mm8" | awk '$1 ~ /no-timeout/ { print $2 }')
    b=$(gobench_median ns/op "$tmp/mm8" | awk '$1 ~ /timeout-2s/ { print $2 }')
    echo "  BenchmarkMM8 timeout-2s / no-timeout (ns per request): $(ratio "$b" "$a")"
fi
exit $status
