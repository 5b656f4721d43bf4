#!/usr/bin/env python3
"""M/M/c in SimPy 3: the "general-purpose process-based DES" peer of the
clustersim benchmarks.

The textbook SimPy formulation: a simpy.Resource of capacity c is the c
servers and their one FIFO queue; a generator process emits customers with
exponential inter-arrival times (rate lambda = rho*c*mu); each customer is
its own process that requests a server, holds it for an exponential service
time (rate mu) and records its sojourn (arrival to departure).

Prints one JSON line, same fields as bench/peers/handloop:
  {"engine":"simpy","customers":N,"events":E,"mean_sojourn_s":...,
   "p50_s":...,"p99_s":...,"wall_s":...}
events counts model events, 2 per customer (arrival + departure), as for
every engine; SimPy itself schedules several internal events per customer.

Needs SimPy 3 (Debian: apt-get install python3-simpy3, then run it with
/usr/bin/python3). bench/peers/run.sh picks the interpreter.
"""

import argparse
import json
import math
import random
import sys
import time

try:
    import simpy
except ImportError:
    sys.exit("simpy_mmc.py: SimPy not importable by %s; install python3-simpy3 "
             "(apt-get install -y python3-simpy3) and use /usr/bin/python3" % sys.executable)


def quantile(sorted_xs, q):
    """Nearest-rank q-quantile of a sorted list (same rule as handloop)."""
    k = max(0, min(len(sorted_xs) - 1, math.ceil(q * len(sorted_xs)) - 1))
    return sorted_xs[k]


def main():
    ap = argparse.ArgumentParser(description="M/M/c in SimPy 3")
    ap.add_argument("--customers", type=int, default=5_000_000)
    ap.add_argument("--c", type=int, default=8, help="servers")
    ap.add_argument("--rho", type=float, default=0.8, help="utilisation lambda/(c*mu)")
    ap.add_argument("--mu", type=float, default=100.0, help="service rate per server, per second")
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    if args.customers < 1 or args.c < 1 or not 0 < args.rho < 1 or not args.mu > 0:
        ap.error("need customers >= 1, c >= 1, 0 < rho < 1, mu > 0")

    start = time.perf_counter()
    n, mu = args.customers, args.mu
    lam = args.rho * args.c * mu
    rng = random.Random(args.seed)
    expo = rng.expovariate
    env = simpy.Environment()
    servers = simpy.Resource(env, capacity=args.c)
    sojourn = []
    record = sojourn.append

    def customer():
        arrived = env.now
        with servers.request() as req:
            yield req
            yield env.timeout(expo(mu))
        record(env.now - arrived)

    def source():
        for _ in range(n):
            yield env.timeout(expo(lam))
            env.process(customer())

    env.process(source())
    env.run()  # until no events are left: every customer has departed

    sojourn.sort()
    out = {
        "engine": "simpy",
        "customers": len(sojourn),
        "events": 2 * len(sojourn),
        "mean_sojourn_s": math.fsum(sojourn) / len(sojourn),
        "p50_s": quantile(sojourn, 0.50),
        "p99_s": quantile(sojourn, 0.99),
        "wall_s": time.perf_counter() - start,
    }
    print(json.dumps(out, separators=(",", ":")))


if __name__ == "__main__":
    main()
