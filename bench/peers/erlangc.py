#!/usr/bin/env python3
"""Erlang C: exact mean figures of the M/M/c queue, the yardstick every
engine in bench/peers is checked against.

Model: Poisson arrivals at rate lam, c identical servers each serving for an
exponential time of rate mu, one unbounded FIFO queue. Offered load
a = lam/mu (Erlangs), utilisation rho = a/c < 1.

  C(c, a) = probability that an arriving customer has to wait
          = [a^c/c! * c/(c-a)] / [sum_{k=0}^{c-1} a^k/k! + a^c/c! * c/(c-a)]
  Wq      = C(c, a) / (c*mu - lam)          mean time in queue
  W       = Wq + 1/mu                       mean sojourn (queue + service)

Sources: L. Kleinrock, Queueing Systems, Vol. 1: Theory (Wiley, 1975),
section 3.5 "M/M/m: the m-server case" (Erlang's C formula, mean waiting
time); M. Harchol-Balter, Performance Modeling and Design of Computer
Systems (Cambridge UP, 2013), chapter 14 "Server Farms: M/M/k and M/M/k/k"
(P_Q = Erlang-C probability of queueing, E[T_Q] = P_Q / (k*mu - lambda)).

C is computed from the Erlang B recursion B(0) = 1,
B(k) = a*B(k-1) / (k + a*B(k-1)), and C = c*B / (c - a*(1 - B)), which avoids
the factorials and is numerically stable for any c.

Usage as a command: erlangc.py --c 8 --rho 0.8 --mu 100
prints one JSON line {"c":..,"lambda":..,"mu":..,"rho":..,"erlang_c":..,
"wq_s":..,"w_s":..}. Standard library only, any Python 3.
"""

import argparse
import json


def erlang_b(c, a):
    """Erlang B blocking probability B(c, a) by the standard recursion."""
    b = 1.0
    for k in range(1, c + 1):
        b = a * b / (k + a * b)
    return b


def erlang_c(c, a):
    """Erlang C probability of waiting C(c, a); requires a < c."""
    if not 0 < a < c:
        raise ValueError("need 0 < a < c for a stable M/M/c queue")
    b = erlang_b(c, a)
    return c * b / (c - a * (1 - b))


def mmc(c, rho, mu):
    """Exact M/M/c figures for c servers at utilisation rho, service rate mu."""
    lam = rho * c * mu
    a = lam / mu
    pw = erlang_c(c, a)
    wq = pw / (c * mu - lam)
    return {
        "c": c,
        "lambda": lam,
        "mu": mu,
        "rho": rho,
        "erlang_c": pw,
        "wq_s": wq,
        "w_s": wq + 1.0 / mu,
    }


def _self_check():
    # M/M/1: C = rho, W = 1/(mu - lam).
    r = mmc(1, 0.8, 100.0)
    assert abs(r["erlang_c"] - 0.8) < 1e-12 and abs(r["w_s"] - 0.05) < 1e-12
    # M/M/4 at rho 0.8, mu 100 (scenarios/mmc.toml): C = 0.5964, W = 17.46 ms.
    r = mmc(4, 0.8, 100.0)
    assert abs(r["erlang_c"] - 0.5964) < 1e-4 and abs(r["w_s"] - 0.017455) < 1e-5


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--c", type=int, default=8, help="servers")
    ap.add_argument("--rho", type=float, default=0.8, help="utilisation lambda/(c*mu)")
    ap.add_argument("--mu", type=float, default=100.0, help="service rate per server, per second")
    args = ap.parse_args()
    _self_check()
    print(json.dumps(mmc(args.c, args.rho, args.mu)))


if __name__ == "__main__":
    main()
