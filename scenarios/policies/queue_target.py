#!/usr/bin/env python3
"""queue_target.py: an example clustersim autoscaling policy in its own process.

Use it from a scenario (the command runs in the scenario file's directory):

    autoscaler = { kind = "external", command = ["python3", "policies/queue_target.py"],
                   metric = "cpu", target = 0.7, min = 1, max = 20 }

Protocol v1 (full reference: sim/policies/external/doc.go). At every sync tick
clustersim writes ONE JSON line to our stdin, for example

    {"v":1,"tick":3,"time_s":45,"service":"api","current":3,"min":1,"max":20,
     "metric":"cpu","target":0.7,"pods":[{"has_metric":true,"metric":0.83,...}],
     "external":null}

and waits for ONE JSON line on our stdout: {"desired": 5, "reason": "..."}.
When the run ends, stdin closes and we exit. Logs go to stderr, never stdout.
"""
import json
import math
import sys


def decide(req):
    """Returns (desired replicas, reason) for one request."""
    current, target = req["current"], req["target"]
    if req["metric"] == "queue":
        # Scale on the external total: target is the backlog per replica.
        if req["external"] is None:
            return current, "no queue sample; holding"
        want = math.ceil(req["external"] / target)
        reason = f"queue {req['external']:g} at {target:g} per replica"
    else:
        # Scale on the average per-pod metric, like the Kubernetes HPA:
        # desired = ceil(current * average / target).
        samples = [p["metric"] for p in req["pods"]
                   if p["has_metric"] and not p.get("terminating", False)]
        if not samples:
            return current, "no metrics; holding"
        avg = sum(samples) / len(samples)
        want = math.ceil(current * avg / target - 1e-9)  # 1e-9: float noise
        reason = f"avg {req['metric']} {avg:.3f} vs target {target:g}"
    return max(req["min"], min(req["max"], want)), reason


for line in sys.stdin:  # one request per line, until clustersim closes stdin
    desired, reason = decide(json.loads(line))
    # flush=True: the answer must leave our buffer now, or clustersim times out.
    print(json.dumps({"desired": desired, "reason": reason}), flush=True)
