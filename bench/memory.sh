#!/usr/bin/env bash
# Target: memory is flat in run length. The peak RSS of a 10-hour simulated
# run must be within 10% of a 1-hour run of the same scenario.
#
#   bash bench/memory.sh
#
# Runs each scenario with --set sim.duration=1h and =10h (all outputs
# written, as a user would run it), REPS times each, under /usr/bin/time,
# and compares the median peak RSS. Scenarios:
#   scenarios/mmc.toml    steady M/M/4 at rho 0.8 (320 req/s; 10 h = 11.5M requests)
#   scenarios/spike.toml  flash sale: the 5-10 min spike, then 200 req/s
#                         (10 h = 7.2M requests)
# Both scenarios' warm-up (5m, 1m) and window (1m, 10s) fit a 1 h run.
# Then the simulation alone (bench/memprobe: no outputs) at each duration,
# to tell the model's memory from the output writers'.
#
# Environment: MEM_REPS (default $REPS, else 5), SCENARIOS="scenarios/mmc.toml scenarios/spike.toml",
# DURATIONS="1h 10h", CLUSTERSIM, NO_BUILD=1, GO.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
need_time
need_binary

REPS=${MEM_REPS:-${REPS:-5}}
SCENARIOS=${SCENARIOS:-"scenarios/mmc.toml scenarios/spike.toml"}
DURATIONS=${DURATIONS:-"1h 10h"}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/clustersim-mem.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

echo "== memory vs run length (median of $REPS runs each)"
machine
printf '%-22s %-6s %12s %12s %10s %s\n' scenario duration maxrss_MiB wall_s events runs_maxrss_kB
status=0
for sc in $SCENARIOS; do
    name=$(basename "$sc" .toml)
    first=""
    for d in $DURATIONS; do
        f=$tmp/$name.$d
        : >"$f"
        # Interleaving would mix durations; runs of one size are back to back.
        for ((i = 1; i <= REPS; i++)); do
            rm -rf "$tmp/out"
            timed "$f" "$CLUSTERSIM" run "$sc" --set "sim.duration=$d" --out "$tmp/out"
        done
        ev=$(grep -o '^clustersim: [0-9]* events' "$f.stderr" | awk '{ print $2 }')
        rss=$(median 4 "$f")
        wall=$(median 1 "$f")
        printf '%-22s %-6s %12.1f %12s %10s %s\n' "$sc" "$d" "$(awk -v k="$rss" 'BEGIN { print k / 1024 }')" \
            "$wall" "$ev" "$(awk '{ printf "%s ", $4 }' "$f")"
        if [[ -z $first ]]; then
            first=$rss
        else
            r=$(ratio "$rss" "$first")
            v=$(verdict "$r <= 1.10")
            echo "  $sc: peak RSS $d / ${DURATIONS%% *} = $r (target <= 1.10): $v"
            [[ $v == PASS ]] || status=1
        fi
    done
done

# The simulation alone, without any output: bench/memprobe runs the same
# model with rows discarded and no plots/report, and prints its peak RSS
# (VmHWM) and the peak Go heap in use (sampled every 2^16 events).
echo
echo "-- simulation only: go build -o DIR/memprobe ./bench/memprobe; DIR/memprobe -set sim.duration=D SCENARIO"
"$GO" build -o "$tmp/memprobe" ./bench/memprobe
for sc in $SCENARIOS; do
    first=""
    for d in $DURATIONS; do
        line=$("$tmp/memprobe" -set "sim.duration=$d" "$sc")
        hwm=$(sed 's/.*vmhwm_kB=\([0-9]*\).*/\1/' <<<"$line")
        [[ -n $first ]] || first=$hwm
        echo "$line  (VmHWM vs ${DURATIONS%% *}: $(ratio "$hwm" "$first"))"
    done
done
exit $status
