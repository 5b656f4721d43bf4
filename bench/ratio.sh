#!/usr/bin/env bash
# Target 1, robust to a noisy machine: clustersim / hand loop on M/M/8.
#
# bench/peers/run.sh (make bench-peers) runs all hand-loop repetitions, then
# all clustersim ones, then SimPy; when other jobs come and go on the
# machine, the two blocks see different load and the ratio of their
# medians moves by +-30%. This script runs the same two commands as
# run.sh, interleaved (hand loop, clustersim, hand loop, ...), under
# /usr/bin/time, and reports the ratio of median wall times, the median
# of the per-pair ratios, and the ratio of median CPU times (user+sys),
# which load from other processes disturbs least.
#
#   bash bench/ratio.sh
#
# Environment: REPS=7, CUSTOMERS=5000000, SEED=1, CLUSTERSIM, NO_BUILD=1, GO.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
need_time
need_binary

REPS=${REPS:-7}
CUSTOMERS=${CUSTOMERS:-5000000}
SEED=${SEED:-1}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/clustersim-ratio.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

"$GO" build -o "$tmp/handloop" ./bench/peers/handloop
echo "== M/M/8 rho 0.8: hand loop ($CUSTOMERS customers) vs clustersim (bench/mm8.toml, all outputs), $REPS interleaved pairs"
machine
echo "-- $tmp/handloop -customers $CUSTOMERS -c 8 -rho 0.8 -mu 100 -seed $SEED"
echo "-- $CLUSTERSIM run bench/mm8.toml --out DIR --quiet"
: >"$tmp/h"
: >"$tmp/c"
for ((i = 1; i <= REPS; i++)); do
    timed "$tmp/h" "$tmp/handloop" -customers "$CUSTOMERS" -c 8 -rho 0.8 -mu 100 -seed "$SEED"
    rm -rf "$tmp/out"
    timed "$tmp/c" "$CLUSTERSIM" run bench/mm8.toml --out "$tmp/out" --quiet
done
paste -d' ' "$tmp/h" "$tmp/c" | awk '{ printf "pair %d: handloop wall %s cpu %.2f rss %d kB | clustersim wall %s cpu %.2f rss %d kB | ratio wall %.3f cpu %.3f\n",
    NR, $1, $2 + $3, $4, $5, $6 + $7, $8, $5 / $1, ($6 + $7) / ($2 + $3) }' | tee "$tmp/pairs"
for f in h c; do awk '{ print $1, $2 + $3 }' "$tmp/$f" >"$tmp/$f.c"; done
awk '{ print $(NF - 2) }' "$tmp/pairs" >"$tmp/pr"
hw=$(median 1 "$tmp/h.c")
cw=$(median 1 "$tmp/c.c")
hc=$(median 2 "$tmp/h.c")
cc=$(median 2 "$tmp/c.c")
echo "median wall: handloop $hw s, clustersim $cw s; median cpu: handloop $hc s, clustersim $cc s"
rw=$(ratio "$cw" "$hw")
v=$(verdict "$rw <= 1.5")
echo "  clustersim/handloop: ratio of median walls $rw, median of pair ratios $(median 1 "$tmp/pr"), ratio of median cpu $(ratio "$cc" "$hc") (target wall <= 1.5): $v"
[[ $v == PASS ]]
