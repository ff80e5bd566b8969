#!/usr/bin/env python3
"""The engine's work written as an analyst would in NumPy, vectorised over runs: the yardstick of `bench`.

The same model (DESIGN.md §3, steps (a)-(e) in that order) and the same outputs as one ensemble of the
engine: per pair and month the quantiles 5/25/50/75/95 (np.quantile, linear) and the mean; per outcome
the share of runs; per event the share fired and the firings; at the horizon each run's best two-bloc
split (all 2^(n-1) splits, as one matrix product) and its frustration. Its random numbers are NumPy's
(PCG64), not the engine's, so its numbers agree with the engine's only within Monte Carlo error; this
script exists to time the same work, not to check it (tests/independent_model.py checks the model).

With --single the state, its shocks and its step are float32, as the engine's (engine 3); without,
float64, as NumPy computes by default.

Usage: python3 bench/numpy_engine.py SCENARIO_ID_OR_FILE [--runs N] [--horizon T] [--repeats R] [--seed S] [--single]
Prints one JSON line: {"scenario", "runs", "horizon", "pairs", "repeats", "median_ms", "min_ms", "dtype"}.
"""

import argparse
import json
import math
import pathlib
import sys
import time

import numpy as np

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
from independent_model import Model  # noqa: E402
LEVELS = np.array([0.05, 0.25, 0.50, 0.75, 0.95])
CLAMP = 0.995


def load(path):
    """The scenario's default values as arrays, read by the independent model's reader (the one
    place on the Python side that knows the scenario format)."""
    m = Model(path)
    return {
        "n": len(m.actor_ids), "pairs": m.pairs, "weights": np.array(m.weights), "initial": np.array(m.initial),
        "baseline": np.array(m.baseline), "sigma": np.array(m.sigma), "half_life": m.half_life,
        "balance": m.balance, "events": m.events, "outcomes": m.outcomes, "horizon": m.horizon,
    }


def compare(op, left, right):
    return left > right if op == ">" else left < right


def ensemble(m, runs, horizon, rng, dtype=np.float64):
    """One ensemble, its state of `dtype`; returns its outputs (so that nothing is optimised away)."""
    P, n = len(m["pairs"]), m["n"]
    theta = math.log(2) / m["half_life"]
    decay = dtype(math.exp(-theta))
    noise = (m["sigma"] * math.sqrt((1 - math.exp(-2 * theta)) / (2 * theta))).astype(dtype)
    beta = dtype(m["balance"])
    hazards = np.array([e["hazard"] for e in m["events"]])
    z = np.tile(np.arctanh(m["initial"]), (runs, 1)).astype(dtype)
    latent_baseline = np.tile(np.arctanh(m["baseline"]), (runs, 1)).astype(dtype)
    firings = np.zeros((runs, len(m["events"])), dtype=np.int64)
    first = np.zeros((runs, len(m["events"])), dtype=np.int64)
    states = [np.full(runs, o["when"] == "every_month") for o in m["outcomes"]]
    quantiles = np.empty((horizon + 1, 5, P))
    means = np.empty((horizon + 1, P))
    quantiles[0] = m["initial"]
    means[0] = m["initial"]
    a = np.tanh(z)
    upper_i = np.array([i for i, _ in m["pairs"]], dtype=np.intp)
    upper_j = np.array([j for _, j in m["pairs"]], dtype=np.intp)
    other_weight = (m["weights"].sum() - m["weights"][upper_i] - m["weights"][upper_j]).astype(dtype)
    weights = m["weights"].astype(dtype)
    matrix = np.zeros((runs, n, n), dtype=dtype)
    for t in range(1, horizon + 1):
        # (b) events on the snapshot a
        draws = rng.random((runs, len(m["events"])))
        fired = []
        for e, event in enumerate(m["events"]):
            certain_now = event["at"] == t
            if not (event["opens"] <= t <= event["closes"]) and not certain_now:
                fired.append(None)
                continue
            if certain_now:
                fire = np.ones(runs, dtype=bool)
            elif event["at"] is not None and not event["repeatable"]:
                fire = np.zeros(runs, dtype=bool)
            else:
                fire = np.ones(runs, dtype=bool) if event["repeatable"] else firings[:, e] == 0
                for k, op, level in event["conditions"]:
                    fire &= compare(op, a[:, k], level)
                # fired in an earlier month: this month's firings do not count yet
                for other in event["after"]:
                    fire &= (first[:, other] > 0) & (first[:, other] < t)
                for other in event["unless"]:
                    fire &= ~((first[:, other] > 0) & (first[:, other] < t))
                fire &= draws[:, e] < hazards[e]
            firings[:, e] += fire
            first[:, e] = np.where((first[:, e] == 0) & fire, t, first[:, e])
            fired.append(fire)
        # (c) OU step and balance pressure from the snapshot
        z = latent_baseline + (z - latent_baseline) * decay + noise * rng.standard_normal((runs, P), dtype=dtype)
        if beta != 0.0 and n > 2:
            # Σ_k w_k a_ik a_kj as a batched matrix product (a zero diagonal leaves out k = i, j).
            matrix[:, upper_i, upper_j] = a
            matrix[:, upper_j, upper_i] = a
            z += beta * ((matrix * weights) @ matrix)[:, upper_i, upper_j] / other_weight
        np.clip(z, -18.0, 18.0, out=z)
        # (d) jumps and shifts of the events that fired
        for event, fire in zip(m["events"], fired):
            if fire is None or not fire.any():
                continue
            for k, jump in event["jumps"]:
                z[fire, k] = np.arctanh(np.clip(np.tanh(z[fire, k]) + jump, -CLAMP, CLAMP))
            for k, shift in event["shifts"]:
                latent_baseline[fire, k] = np.arctanh(np.clip(np.tanh(latent_baseline[fire, k]) + shift, -CLAMP, CLAMP))
        # (e) record month t
        a = np.tanh(z)
        quantiles[t] = np.quantile(a, LEVELS, axis=0)
        means[t] = a.mean(axis=0)
        for o, state in zip(m["outcomes"], states):
            holds = np.full(runs, o["join"] == "and")
            for left, op, (kind, reference) in o["tests"]:
                this = compare(op, a[:, left], a[:, reference] if kind == "pair" else reference)
                holds = (holds & this) if o["join"] == "and" else (holds | this)
            if o["when"] == "any_month":
                state |= holds
            elif o["when"] == "every_month":
                state &= holds
            elif t == horizon:
                state[:] = holds
    # Blocs: E(split) = Σ w_i w_j a_ij [i, j on different sides], minimised over all splits with actor 0 on side 0.
    masks = np.arange(2 ** (n - 1)) << 1
    sides = (masks[:, None] >> np.arange(n)) & 1
    cut = np.array([[sides[s, i] != sides[s, j] for (i, j) in m["pairs"]] for s in range(len(masks))], dtype=float)
    w = m["weights"]
    coupling = a * np.array([w[i] * w[j] for i, j in m["pairs"]])
    best = masks[np.argmin(coupling @ cut.T, axis=1)]
    splits, counts = np.unique(best, return_counts=True)
    # Frustration: unbalanced share of |a_ij a_jk a_ik| over all triads.
    triads = [(m["pairs"].index((i, j)), m["pairs"].index((j, k)), m["pairs"].index((i, k)))
              for i in range(n) for j in range(i + 1, n) for k in range(j + 1, n)]
    product = np.stack([a[:, x] * a[:, y] * a[:, z_] for x, y, z_ in triads], axis=1)
    frustration = np.where(product < 0, -product, 0).sum(axis=1) / np.abs(product).sum(axis=1)
    return {
        "quantiles": quantiles, "means": means, "outcomes": [s.mean() for s in states],
        "fired": (firings > 0).mean(axis=0), "splits": (splits, counts),
        "frustration": np.quantile(frustration, LEVELS),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("scenario")
    parser.add_argument("--runs", type=int, default=2000)
    parser.add_argument("--horizon", type=int, default=None)
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--single", action="store_true", help="the state in float32, as the engine's")
    args = parser.parse_args()
    dtype = np.float32 if args.single else np.float64
    path = pathlib.Path(args.scenario)
    if not path.exists():
        path = ROOT / "scenarios" / f"{args.scenario}.toml"
    m = load(path)
    horizon = args.horizon or m["horizon"]
    rng = np.random.default_rng(args.seed)
    ensemble(m, min(args.runs, 100), horizon, rng, dtype)  # warm-up: imports, allocator, caches
    seconds = []
    for _ in range(args.repeats):
        start = time.perf_counter()
        ensemble(m, args.runs, horizon, rng, dtype)
        seconds.append(time.perf_counter() - start)
    seconds.sort()
    print(json.dumps({
        "scenario": args.scenario, "runs": args.runs, "horizon": horizon, "pairs": len(m["pairs"]),
        "repeats": args.repeats, "median_ms": 1e3 * seconds[len(seconds) // 2], "min_ms": 1e3 * seconds[0],
        "numpy": np.__version__, "dtype": np.dtype(dtype).name,
    }))


if __name__ == "__main__":
    sys.exit(main())
