#!/usr/bin/env python3
"""Table of the bench/peers runs, checked against Erlang C.

Called by bench/peers/run.sh with a TSV of runs, one line per repetition:

    ENGINE <TAB> REP <TAB> WALL_S <TAB> OUTPUT_FILE

OUTPUT_FILE is the engine's JSON line (handloop, simpy) or clustersim's
summary.json (mean sojourn = latency_ms.mean in ms, customers =
requests.total). Wall time is the median over the repetitions; model events
are 2 per customer for every engine, so events/s are comparable whatever
the engine schedules internally. Exits 1 if an engine's mean sojourn is off
the Erlang C value by more than its tolerance (2%, SimPy 5% for its smaller
sample). Standard library only, any Python 3.
"""

import argparse
import json
import os
import statistics
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import erlangc  # noqa: E402

ORDER = ["handloop", "clustersim", "simpy"]
TOLERANCE = {"simpy": 0.05}  # others: DEFAULT_TOL
DEFAULT_TOL = 0.02


def load(engine, path, fallback_customers):
    """Return (customers, mean_sojourn_s, extra dict) from one run's output."""
    with open(path) as f:
        text = f.read().strip()
    if engine == "clustersim":
        s = json.loads(text)
        customers = int(s.get("requests", {}).get("total") or 0) or fallback_customers
        return customers, s["latency_ms"]["mean"] / 1000.0, {"engine_events": s.get("events")}
    d = json.loads(text.splitlines()[-1])
    return int(d["customers"]), float(d["mean_sojourn_s"]), d


def fmt_rate(x):
    return "%.2fM" % (x / 1e6) if x >= 1e5 else "%.0fk" % (x / 1e3)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("results", help="TSV: engine, rep, wall_s, output file")
    ap.add_argument("--c", type=int, required=True)
    ap.add_argument("--rho", type=float, required=True)
    ap.add_argument("--mu", type=float, required=True)
    ap.add_argument("--customers", type=int, required=True,
                    help="target customers of the full-size runs")
    args = ap.parse_args()

    theory = erlangc.mmc(args.c, args.rho, args.mu)
    w = theory["w_s"]

    runs = {}
    with open(args.results) as f:
        for line in f:
            if not line.strip():
                continue
            engine, _rep, wall, path = line.rstrip("\n").split("\t")
            runs.setdefault(engine, []).append((float(wall), path))

    print()
    print("M/M/%d, rho %.2f, mu %g/s, lambda %g/s: Erlang C P(wait) %.4f, "
          "mean sojourn W = %.4f ms (Wq %.4f ms + 1/mu %.4f ms)"
          % (args.c, args.rho, args.mu, theory["lambda"], theory["erlang_c"],
             w * 1e3, theory["wq_s"] * 1e3, 1e3 / args.mu))
    print()
    hdr = "%-11s %10s %5s %9s %15s %12s %12s %9s %6s  %s" % (
        "engine", "customers", "reps", "wall_s", "model events/s",
        "mean ms", "ErlangC ms", "rel err", "tol", "")
    print(hdr)
    print("-" * len(hdr))

    rows = {}
    failed = []
    notes = []
    for engine in sorted(runs, key=lambda e: (ORDER.index(e) if e in ORDER else 99, e)):
        reps = runs[engine]
        walls = [wl for wl, _ in reps]
        loaded = [load(engine, p, args.customers) for _, p in reps]
        customers, mean, extra = loaded[0]
        if any(abs(m - mean) > 1e-12 * max(1.0, abs(mean)) or c != customers
               for c, m, _ in loaded[1:]):
            notes.append("%s: repetitions with the same seed gave different results" % engine)
        wall = statistics.median(walls)
        rate = 2 * customers / wall
        err = (mean - w) / w
        tol = TOLERANCE.get(engine, DEFAULT_TOL)
        ok = abs(err) <= tol
        if not ok:
            failed.append(engine)
        rows[engine] = {"customers": customers, "wall": wall, "rate": rate, "extra": extra}
        print("%-11s %10d %5d %9.3f %15s %12.4f %12.4f %+8.2f%% %5.0f%%  %s" % (
            engine, customers, len(reps), wall, fmt_rate(rate), mean * 1e3, w * 1e3,
            100 * err, 100 * tol, "ok" if ok else "FAIL"))
    print()
    print("wall_s: median wall clock of the whole process (start-up, run, output);")
    print("model events/s = 2 events per customer (arrival + departure) / wall_s.")

    hl, cs, sp = rows.get("handloop"), rows.get("clustersim"), rows.get("simpy")
    if hl and "loop_s" in hl["extra"] and hl["extra"]["loop_s"] > 0:
        print("handloop event loop alone (no allocation, no sort): %s model events/s"
              % fmt_rate(hl["extra"]["events"] / hl["extra"]["loop_s"]))
    if cs and cs["extra"].get("engine_events"):
        print("clustersim engine events (incl. metrics windows etc.): %d"
              % cs["extra"]["engine_events"])
    if sp and sp["customers"] != args.customers:
        print("simpy ran %d customers; at its rate %d would take ~%.0f s"
              % (sp["customers"], args.customers, 2 * args.customers / sp["rate"]))
    print()
    if cs and hl:
        print("clustersim / handloop wall time:          %.2fx" % (cs["wall"] / hl["wall"]))
        if cs["customers"] != hl["customers"]:
            print("clustersim / handloop wall per customer:  %.2fx"
                  % ((cs["wall"] / cs["customers"]) / (hl["wall"] / hl["customers"])))
    else:
        print("clustersim / handloop wall time:          n/a (%s not run)"
              % ("clustersim" if not cs else "handloop"))
    if cs and sp:
        print("clustersim events/s / SimPy events/s:     %.1fx" % (cs["rate"] / sp["rate"]))
    else:
        print("clustersim events/s / SimPy events/s:     n/a (%s not run)"
              % ("clustersim" if not cs else "simpy"))
    for n in notes:
        print("note:", n)
    if failed:
        print("\nFAIL: mean sojourn off Erlang C beyond tolerance: %s" % ", ".join(failed))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
