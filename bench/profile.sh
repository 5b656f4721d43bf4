#!/usr/bin/env bash
# CPU profile of the full M/M/8 pipeline (bench/mm8.toml, all outputs), and
# optionally of the same run with a 2 s client timeout.
#
#   bash bench/profile.sh        # writes $PROFDIR/cpu.prof (default /tmp)
#
# Environment: PROFDIR=/tmp, NODES=15, TIMEOUT=1 (also profile the timeout
# variant into $PROFDIR/cpu-timeout.prof), CLUSTERSIM, NO_BUILD=1, GO.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
need_binary

PROFDIR=${PROFDIR:-/tmp}
NODES=${NODES:-15}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/clustersim-prof.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

echo "== CPU profile"
machine
echo "-- $CLUSTERSIM run bench/mm8.toml --out DIR --cpuprofile $PROFDIR/cpu.prof --quiet"
"$CLUSTERSIM" run bench/mm8.toml --out "$tmp/out" --cpuprofile "$PROFDIR/cpu.prof" --quiet
echo "-- go tool pprof -top -nodecount=$NODES $CLUSTERSIM $PROFDIR/cpu.prof"
"$GO" tool pprof -top -nodecount="$NODES" "$CLUSTERSIM" "$PROFDIR/cpu.prof" 2>/dev/null
echo "-- cumulative (-top -cum -nodecount=$NODES)"
"$GO" tool pprof -top -cum -nodecount="$NODES" "$CLUSTERSIM" "$PROFDIR/cpu.prof" 2>/dev/null | sed -n '/flat%/,$p'
if [[ ${TIMEOUT:-0} == 1 ]]; then
    echo "-- $CLUSTERSIM run bench/mm8.toml --set workload.clients.timeout=2s --out DIR --cpuprofile $PROFDIR/cpu-timeout.prof --quiet"
    "$CLUSTERSIM" run bench/mm8.toml --set workload.clients.timeout=2s --out "$tmp/out" \
        --cpuprofile "$PROFDIR/cpu-timeout.prof" --quiet
    "$GO" tool pprof -top -nodecount="$NODES" "$CLUSTERSIM" "$PROFDIR/cpu-timeout.prof" 2>/dev/null
fi
