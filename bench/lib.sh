# bench/lib.sh: helpers sourced by the bench/*.sh scripts (not run directly).
#
#   CLUSTERSIM   binary to measure (default: ./bin/clustersim, built if missing)
#   GO           Go toolchain (default: go)

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
GO=${GO:-go}
CLUSTERSIM=${CLUSTERSIM:-./bin/clustersim}

log() { printf '%s\n' "$*" >&2; }

# need_time: GNU time is needed for peak RSS (%M) and CPU time.
need_time() {
    if [[ ! -x /usr/bin/time ]]; then
        log "bench: /usr/bin/time missing, installing it with apt-get"
        (apt-get update && apt-get install -y time) >/dev/null 2>&1 || {
            log "bench: apt-get install time failed"
            exit 1
        }
    fi
}

# need_binary: build ./bin/clustersim unless CLUSTERSIM points elsewhere.
need_binary() {
    if [[ $CLUSTERSIM == ./bin/clustersim && ${NO_BUILD:-0} != 1 ]]; then
        log "bench: go build -o bin/clustersim ./cmd/clustersim"
        "$GO" build -o bin/clustersim ./cmd/clustersim
    fi
    [[ -x $CLUSTERSIM ]] || {
        log "bench: $CLUSTERSIM is not executable"
        exit 1
    }
}

# machine: the header every result file starts with.
machine() {
    echo "date:     $(date -u '+%Y-%m-%d %H:%M:%S UTC')"
    echo "nproc:    $(nproc)"
    echo "cpu:      $(lscpu | grep 'Model name' | sed 's/Model name:[[:space:]]*//')"
    echo "go:       $("$GO" version)"
    echo "tree:     HEAD $(git rev-parse --short HEAD 2>/dev/null || echo '?')$(git diff --quiet HEAD -- 2>/dev/null || echo ' + uncommitted changes') now"
    echo "binary:   $CLUSTERSIM, built $(date -u -r "$CLUSTERSIM" '+%H:%M:%S UTC'), sha256 $(sha256sum "$CLUSTERSIM" | cut -c1-12) ($("$CLUSTERSIM" version 2>/dev/null || echo '?'))"
    echo "load:     $(cut -d' ' -f1-3 /proc/loadavg) (1/5/15 min, at start)"
}

# timed OUTFILE CMD...: runs CMD under GNU time; appends one line
# "wall_s user_s sys_s maxrss_kb" to OUTFILE. CMD's stdout goes to
# OUTFILE.stdout, its stderr to OUTFILE.stderr (both overwritten).
timed() {
    local out=$1
    shift
    local tf
    tf=$(mktemp)
    if ! /usr/bin/time -f '%e %U %S %M' -o "$tf" "$@" >"$out.stdout" 2>"$out.stderr"; then
        log "bench: command failed: $*"
        cat "$out.stderr" >&2
        cat "$tf" >&2
        rm -f "$tf"
        return 1
    fi
    tail -n 1 "$tf" >>"$out"
    rm -f "$tf"
}

# median COLUMN FILE: the median of whitespace-separated column COLUMN (1-based).
median() {
    awk -v c="$1" '{ print $c }' "$2" | sort -g | awk '
        { v[NR] = $1 }
        END {
            if (NR == 0) { print "nan"; exit }
            if (NR % 2) print v[(NR + 1) / 2]; else printf "%.6g\n", (v[NR / 2] + v[NR / 2 + 1]) / 2
        }'
}

# ratio A B: A/B with 3 decimals.
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", a / b }'; }

# verdict OK_EXPR: PASS or FAIL from an awk boolean expression.
verdict() { awk "BEGIN { exit !($1) }" && echo PASS || echo FAIL; }

# gobench_median UNIT FILE: for `go test -bench` output in FILE (several
# -count runs), prints "BENCHMARK median-UNIT runs" per benchmark, in order
# of first appearance.
gobench_median() {
    awk -v unit="$1" '
        /^Benchmark/ {
            for (i = 3; i <= NF; i++) if ($i == unit) {
                if (!($1 in n)) order[++k] = $1
                v[$1, ++n[$1]] = $(i - 1)
            }
        }
        END {
            for (j = 1; j <= k; j++) {
                b = order[j]; m = n[b]
                for (x = 1; x <= m; x++) a[x] = v[b, x] + 0
                for (x = 2; x <= m; x++) { t = a[x]; y = x - 1; while (y >= 1 && a[y] > t) { a[y + 1] = a[y]; y-- } a[y + 1] = t }
                med = (m % 2) ? a[(m + 1) / 2] : (a[m / 2] + a[m / 2 + 1]) / 2
                printf "%-60s %14.4g %s  (n=%d)\n", b, med, unit, m
            }
        }' "$2"
}
