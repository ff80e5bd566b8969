#!/usr/bin/env python3
"""An independent, pure-Python implementation of the model of DESIGN.md §3, checked against the engine.

It reads each scenario file itself (tomllib), simulates with its own random numbers (random.Random,
random.gauss) and its own maths (math.tanh / math.atanh), following the order of DESIGN.md §3 within
each month t = 1..T:

  (a) snapshot a = tanh z;
  (b) every event still eligible (window [opens, closes], 1-based and inclusive; not yet fired unless
      repeatable), in file order: its conditions are evaluated on the snapshot, and it fires with the
      monthly hazard 1 - (1 - P)^(1/12);
  (c) z <- m + (z - m) e^-θ + σ_p sqrt((1 - e^-2θ) / 2θ) ε   (θ = ln 2 / half-life, m = atanh μ,
      σ_p the pair's own volatility if it has one, else the global one), plus
      β Σ_{k≠i,j} w_k a_ik a_kj / Σ_{k≠i,j} w_k computed from the snapshot;
  (d) the jumps of the events that fired, in file order: z = atanh(clamp(tanh z + J, ±0.995)), and
      their baseline shifts μ = clamp(μ + S, ±0.995), used from month t + 1 on;
  (e) record a = tanh z as month t.

Outcomes are evaluated on the recorded months: `horizon` at T, `any_month` / `every_month` over
months 1..T. Nothing is shared with the Rust code but the scenario files.

For each scenario in scenarios/ (and the test fixture, which has a per-pair volatility, a window
and a condition), it runs N runs here and N runs of
`target/release/alignment-sim run <file> --runs N --format json`, and compares with a two-sample
z-test, combined standard error sqrt(p1(1-p1)/N1 + p2(1-p2)/N2) floored at 1/N:
  - every outcome probability;
  - every event's probability of having fired by the horizon;
  - for every pair, the share of runs at or below each of the engine's horizon quantiles
    (5/25/50/75/95 %), against the nominal level: this checks the spread, i.e. the volatilities.
Any |z| > 4.5 fails (exit 1). The last line printed is `N passed, M failed`.

Usage: python3 tests/independent_model.py [BINARY] [--runs N] [--seed S]
"""

import argparse
import json
import math
import pathlib
import random
import subprocess
import sys
import time
import tomllib

ROOT = pathlib.Path(__file__).resolve().parent.parent
Z_LIMIT = 4.5
CLAMP = 0.995
QUANTILE_LEVELS = (0.05, 0.25, 0.50, 0.75, 0.95)


class Model:
    """A scenario file's default values, as plain numbers."""

    def __init__(self, path):
        with open(path, "rb") as f:
            doc = tomllib.load(f)
        self.path = path
        self.horizon = int(doc["horizon"])
        self.actor_ids = [a["id"] for a in doc["actors"]]
        n = len(self.actor_ids)
        index = {a: i for i, a in enumerate(self.actor_ids)}
        self.pairs = [(i, j) for i in range(n) for j in range(i + 1, n)]
        pair_number = {p: k for k, p in enumerate(self.pairs)}

        def pair(a, b):
            i, j = index[a], index[b]
            return pair_number[(min(i, j), max(i, j))]

        self.pair = pair
        self.pair_names = [f"{self.actor_ids[i]}-{self.actor_ids[j]}" for i, j in self.pairs]
        self.weights = [float(a["weight"]["value"]) for a in doc["actors"]]
        model = doc["model"]
        self.half_life = float(model["half_life"]["value"])
        self.balance = float(model["balance"]["value"])
        global_sigma = float(model["volatility"]["value"])
        count = len(self.pairs)
        self.initial = [None] * count
        self.baseline = [None] * count
        self.sigma = [global_sigma] * count
        for p in doc["pairs"]:
            k = pair(*p["between"])
            self.initial[k] = float(p["initial"]["value"])
            self.baseline[k] = float(p["baseline"]["value"])
            if "volatility" in p:
                self.sigma[k] = float(p["volatility"]["value"])
        assert None not in self.initial and None not in self.baseline, f"{path}: a pair is missing"

        self.events = []
        for e in doc.get("events", []):
            self.events.append({
                "id": e["id"],
                "P": float(e["probability"]["value"]),
                "opens": round(e["opens"]["value"]) if "opens" in e else 1,
                "closes": round(e["closes"]["value"]) if "closes" in e else math.inf,
                "repeatable": bool(e.get("repeatable", False)),
                "conditions": [(pair(*c["between"]), c["op"], float(c["threshold"]["value"])) for c in e.get("conditions", [])],
                "jumps": [(pair(*f["between"]), float(f["jump"]["value"])) for f in e["effects"] if "jump" in f],
                "shifts": [(pair(*f["between"]), float(f["shift"]["value"])) for f in e["effects"] if "shift" in f],
            })

        self.outcomes = []
        for o in doc["outcomes"]:
            left, op, right = o["test"].split()
            assert op in (">", "<"), o["test"]
            try:
                reference = ("level", float(right))
            except ValueError:
                reference = ("pair", pair(*right.split("-")))
            self.outcomes.append({"id": o["id"], "pair": pair(*left.split("-")), "op": op,
                                  "reference": reference, "when": o["when"]})

        # The balance sum of each pair (i, j): (pair ik, pair kj, w_k / Σ w) over k ≠ i, j.
        self.terms = []
        for i, j in self.pairs:
            others = [k for k in range(n) if k not in (i, j)]
            total = sum(self.weights[k] for k in others)
            self.terms.append([(pair(self.actor_ids[i], self.actor_ids[k]), pair(self.actor_ids[k], self.actor_ids[j]),
                                self.weights[k] / total) for k in others] if total > 0 else [])


def clamp(x):
    return max(-CLAMP, min(CLAMP, x))


def holds(op, left, right):
    return left > right if op == ">" else left < right


def simulate(model, runs, seed):
    """Returns (outcome counts, event fired-by-horizon counts, horizon alignments per run)."""
    rng = random.Random(seed)
    uniform, gauss = rng.random, rng.gauss
    tanh, atanh, exp = math.tanh, math.atanh, math.exp
    T = model.horizon
    P = len(model.pairs)
    theta = math.log(2) / model.half_life
    decay = exp(-theta)
    noise_factor = math.sqrt((1 - exp(-2 * theta)) / (2 * theta))
    noise = [s * noise_factor for s in model.sigma]
    beta = model.balance
    terms = model.terms
    events = model.events
    hazards = [1 - (1 - e["P"]) ** (1 / 12) for e in events]
    outcomes = model.outcomes
    outcome_counts = [0] * len(outcomes)
    fired_counts = [0] * len(events)
    finals = []
    pair_range = range(P)
    z0 = [atanh(a) for a in model.initial]

    for _ in range(runs):
        z = list(z0)
        mu = list(model.baseline)          # baselines in alignment space
        m = [atanh(x) for x in mu]         # and in latent space
        fired = [0] * len(events)
        state = [o["when"] == "every_month" for o in outcomes]
        for t in range(1, T + 1):
            # (a) snapshot
            a = [tanh(x) for x in z]
            # (b) events, in file order, on the snapshot
            firing = []
            for e_index, e in enumerate(events):
                if fired[e_index] and not e["repeatable"]:
                    continue
                if not (e["opens"] <= t <= e["closes"]):
                    continue
                if not all(holds(op, a[k], level) for k, op, level in e["conditions"]):
                    continue
                if uniform() < hazards[e_index]:
                    firing.append(e_index)
                    fired[e_index] += 1
            # (c) exact OU step plus balance pressure from the snapshot
            new_z = [m[k] + (z[k] - m[k]) * decay + noise[k] * gauss(0.0, 1.0) for k in pair_range]
            if beta != 0.0:
                for k in pair_range:
                    pressure = 0.0
                    for ik, kj, w in terms[k]:
                        pressure += w * a[ik] * a[kj]
                    new_z[k] += beta * pressure
            z = new_z
            # (d) jumps to the new z, shifts to the baseline, in file order
            for e_index in firing:
                e = events[e_index]
                for k, jump in e["jumps"]:
                    z[k] = atanh(clamp(tanh(z[k]) + jump))
                for k, shift in e["shifts"]:
                    mu[k] = clamp(mu[k] + shift)
                    m[k] = atanh(mu[k])
            # (e) record month t
            a = [tanh(x) for x in z]
            for o_index, o in enumerate(outcomes):
                kind, ref = o["reference"]
                right = a[ref] if kind == "pair" else ref
                h = holds(o["op"], a[o["pair"]], right)
                if o["when"] == "horizon":
                    if t == T:
                        state[o_index] = h
                elif o["when"] == "any_month":
                    state[o_index] = state[o_index] or h
                elif o["when"] == "every_month":
                    state[o_index] = state[o_index] and h
                else:
                    raise ValueError(f"unknown when: {o['when']}")
        finals.append(a)
        for i, s in enumerate(state):
            outcome_counts[i] += bool(s)
        for i, f in enumerate(fired):
            fired_counts[i] += f > 0
    return outcome_counts, fired_counts, finals


def engine(binary, path, runs):
    command = [str(binary), "run", str(path), "--runs", str(runs), "--format", "json"]
    result = subprocess.run(command, capture_output=True, text=True, cwd=ROOT)
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed:\n{result.stderr}")
    return json.loads(result.stdout)


def z_score(p1, n1, p2, n2):
    se = math.sqrt(p1 * (1 - p1) / n1 + p2 * (1 - p2) / n2)
    se = max(se, 1 / min(n1, n2))
    return (p1 - p2) / se


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("binary", nargs="?", default=str(ROOT / "target" / "release" / "alignment-sim"))
    parser.add_argument("--runs", type=int, default=4000)
    parser.add_argument("--seed", type=int, default=20251122)
    args = parser.parse_args()
    binary = pathlib.Path(args.binary)
    if not binary.exists():
        print(f"error: {binary} not found; build it first (cargo build --release)", file=sys.stderr)
        return 2

    files = sorted((ROOT / "scenarios").glob("*.toml")) + [ROOT / "tests" / "fixtures" / "minimal.toml"]
    passed = failed = 0
    started = time.monotonic()
    print(f"{'scenario':24} {'what':44} {'python':>8} {'engine':>8} {'z':>6}")

    def compare(scenario, what, p_python, n_python, p_engine, n_engine):
        nonlocal passed, failed
        z = z_score(p_python, n_python, p_engine, n_engine)
        bad = abs(z) > Z_LIMIT
        passed += not bad
        failed += bad
        return z, bad

    for index, path in enumerate(files):
        model = Model(path)
        name = path.stem
        t0 = time.monotonic()
        outcome_counts, fired_counts, finals = simulate(model, args.runs, args.seed + index)
        py_time = time.monotonic() - t0
        result = engine(binary, path.relative_to(ROOT), args.runs)
        n_engine = result["settings"]["runs"]
        assert result["settings"]["horizon"] == model.horizon, "engine ran another horizon"
        assert [o["id"] for o in result["outcomes"]] == [o["id"] for o in model.outcomes], "outcomes differ"
        assert [e["id"] for e in result["events"]] == [e["id"] for e in model.events], "events differ"
        assert [p["pair"] for p in result["pairs"]] == model.pair_names, "pair order differs"

        for o, count, theirs in zip(model.outcomes, outcome_counts, result["outcomes"]):
            p = count / args.runs
            z, bad = compare(name, o["id"], p, args.runs, theirs["probability"], n_engine)
            print(f"{name:24} {'outcome ' + o['id']:44} {p:8.4f} {theirs['probability']:8.4f} {z:+6.2f}{'  FAIL' if bad else ''}")
        for e, count, theirs in zip(model.events, fired_counts, result["events"]):
            p = count / args.runs
            z, bad = compare(name, e["id"], p, args.runs, theirs["fired_probability"], n_engine)
            print(f"{name:24} {'event fired ' + e['id']:44} {p:8.4f} {theirs['fired_probability']:8.4f} {z:+6.2f}{'  FAIL' if bad else ''}")
        # Horizon quantiles: the share of Python runs at or below each engine quantile.
        for k, pair in enumerate(result["pairs"]):
            engine_q = pair["quantiles"][model.horizon]
            values = [a[k] for a in finals]
            worst = (0.0, None)
            for level, q in zip(QUANTILE_LEVELS, engine_q):
                share = sum(v <= q for v in values) / args.runs
                z, bad = compare(name, f"{pair['pair']} q{level}", share, args.runs, level, n_engine)
                if abs(z) >= abs(worst[0]):
                    worst = (z, level, share)
            z, level, share = worst
            flag = "  FAIL" if abs(z) > Z_LIMIT else ""
            print(f"{name:24} {'quantiles ' + pair['pair'] + f' (worst: q{round(level * 100):02d})':44} {share:8.4f} {level:8.4f} {z:+6.2f}{flag}")
        print(f"{name:24} ({args.runs} runs in Python: {py_time:.1f} s)")

    print(f"total {time.monotonic() - started:.1f} s; |z| > {Z_LIMIT} fails")
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
