#!/usr/bin/env python3
"""An independent implementation of the model of DESIGN.md §3 (NumPy, vectorised over runs), checked
against the engine.

It reads each scenario file itself (tomllib), simulates with its own random numbers (NumPy's PCG64)
and its own maths (numpy.tanh / numpy.arctanh), following the order of DESIGN.md §3 within each
month t = 1..T, for all runs at once:

  (a) snapshot a = tanh z;
  (b) every event still eligible (window [opens, closes], 1-based and inclusive; not yet fired unless
      repeatable; every event named in `after` fired in an earlier month, none named in `unless`),
      in file order: its conditions are evaluated on the snapshot, and it fires with the monthly
      hazard 1 - (1 - P)^(1/12) (once-only, P within a year) or 1 - exp(-rate/12) (repeatable); an
      event dated `at = M` fires in month M in every run and, if once-only, in no other month;
  (c) z <- m + (z - m) e^-θ + σ_p sqrt((1 - e^-2θ) / 2θ) ε   (θ = ln 2 / half-life, m = atanh μ,
      σ_p the pair's own volatility if it has one, else the global one), plus
      β Σ_{k≠i,j} w_k a_ik a_kj / Σ_{k≠i,j} w_k computed from the snapshot;
  (d) the jumps of the events that fired, in file order: z = atanh(clamp(tanh z + J, ±0.995)), and
      their baseline shifts μ = clamp(μ + S, ±0.995), used from month t + 1 on;
  (e) record a = tanh z as month t.

Outcomes are evaluated on the recorded months: `horizon` at T, `any_month` / `every_month` over
months 1..T. At T each run's best two-bloc split (minimum of E = Σ_{i<j} w_i w_j a_ij d_ij over all
2^(n-1) splits, ties to the smaller mask) and its frustration are computed by brute force. Nothing
is shared with the Rust code but the scenario files.

For each scenario in scenarios/ (and the test fixtures: minimal.toml has a per-pair volatility, a
window and a condition; event-chains.toml has `after`, `unless`, a dated event and a rate), it runs N runs here (fixed seeds) and N runs of
`target/release/alignment-sim run <file> --runs N --format json`, and compares them by two-sample
z-tests:
  - every outcome probability; every event's probability of having fired by the horizon and by
    month T/2;
  - for every pair at months T/4, T/2 and T: the mean alignment (standard error from the Python
    runs' spread), and the share of Python runs below each of the engine's quantiles
    (5/25/50/75/95 %) against the nominal level: this checks the spread, i.e. the volatilities;
  - the share of each of the engine's reported bloc splits, and of Python's most frequent splits;
  - frustration at month 0 (exactly), its mean and its quantiles at the horizon.
Proportions use the combined standard error sqrt(p1(1-p1)/N1 + p2(1-p2)/N2), floored at 1/N.
Any |z| > 4.5 fails (exit 1). The last line printed is `N passed, M failed`.

`--perturb` runs the Python side on a deliberately wrong model (see PERTURBATIONS): the comparison
must then fail, which shows what size of error the test can see.

Usage: python3 tests/independent_model.py [BINARY] [--runs N] [--seed S] [--perturb NAME]
"""

import argparse
import json
import math
import pathlib
import subprocess
import sys
import time
import tomllib

import numpy as np

ROOT = pathlib.Path(__file__).resolve().parent.parent
Z_LIMIT = 4.5
CLAMP = 0.995
QUANTILE_LEVELS = (0.05, 0.25, 0.50, 0.75, 0.95)
REPORTED_SPLITS = 6

# Deliberately wrong models, for `--perturb`: each must make the comparison fail.
PERTURBATIONS = {
    "volatility+10%": "every σ 10 % higher",
    "volatility+3%": "every σ 3 % higher",
    "balance+5%": "β 5 % higher",
    "equal-weights": "balance term with equal weights instead of the capability weights",
    "no-normalisation": "balance term not divided by Σ w_k",
    "balance+20%": "β 20 % higher",
}


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
        ids = [e["id"] for e in doc.get("events", [])]
        for e in doc.get("events", []):
            repeatable = bool(e.get("repeatable", False))
            if "at" in e:
                hazard = 0.0
            elif repeatable:
                hazard = -math.expm1(-float(e["rate"]["value"]) / 12)
            else:
                hazard = 1 - (1 - float(e["probability"]["value"])) ** (1 / 12)
            self.events.append({
                "id": e["id"],
                "hazard": hazard,
                "at": e.get("at"),
                "after": [ids.index(x) for x in e.get("after", [])],
                "unless": [ids.index(x) for x in e.get("unless", [])],
                "opens": round(e["opens"]["value"]) if "opens" in e else 1,
                "closes": round(e["closes"]["value"]) if "closes" in e else math.inf,
                "repeatable": bool(e.get("repeatable", False)),
                "conditions": [(pair(*c["between"]), c["op"], float(c["threshold"]["value"])) for c in e.get("conditions", [])],
                "jumps": [(pair(*f["between"]), float(f["jump"]["value"])) for f in e["effects"] if "jump" in f],
                "shifts": [(pair(*f["between"]), float(f["shift"]["value"])) for f in e["effects"] if "shift" in f],
            })

        self.outcomes = []
        for o in doc["outcomes"]:
            # one test, or several joined by " and " (all hold in the month) or " or " (any holds)
            join = "or" if " or " in o["test"] else "and"
            tests = []
            for part in o["test"].split(f" {join} "):
                left, op, right = part.split()
                assert op in (">", "<"), o["test"]
                try:
                    reference = ("level", float(right))
                except ValueError:
                    reference = ("pair", pair(*right.split("-")))
                tests.append((pair(*left.split("-")), op, reference))
            self.outcomes.append({"id": o["id"], "tests": tests, "join": join, "when": o["when"]})


def month_marks(horizon):
    """The months whose distributions are compared: T/4, T/2 and T (distinct, at least 1)."""
    return sorted({max(1, horizon // 4), max(1, horizon // 2), horizon})


def balance_arrays(model, perturb):
    """Per pair (rows) and third actor (columns): pair ik, pair kj and w_k / Σ w_k."""
    n = len(model.actor_ids)
    count = len(model.pairs)
    width = max(n - 2, 1)
    ik = np.zeros((count, width), dtype=np.intp)
    kj = np.zeros((count, width), dtype=np.intp)
    coefficient = np.zeros((count, width))
    pair_of = {p: k for k, p in enumerate(model.pairs)}
    key = lambda a, b: pair_of[(min(a, b), max(a, b))]
    for row, (i, j) in enumerate(model.pairs):
        others = [k for k in range(n) if k not in (i, j)]
        weights = np.array([1.0 if perturb == "equal-weights" else model.weights[k] for k in others])
        total = weights.sum() if perturb != "no-normalisation" else 1.0
        for column, k in enumerate(others):
            ik[row, column] = key(i, k)
            kj[row, column] = key(k, j)
            coefficient[row, column] = weights[column] / total if total > 0 else 0.0
    return ik, kj, coefficient


def best_splits(model, a):
    """Each run's best split as a mask (bit i: actor i on the second side; actor 0 on the first)."""
    n = len(model.actor_ids)
    masks = np.array([m << 1 for m in range(1 << (n - 1))], dtype=np.int64)  # ascending
    apart = np.array([[((mask >> i) & 1) != ((mask >> j) & 1) for mask in masks] for i, j in model.pairs], dtype=float)
    coupling = np.array([model.weights[i] * model.weights[j] for i, j in model.pairs])
    energy = (a * coupling) @ apart  # runs × splits
    return masks[np.argmin(energy, axis=1)]  # argmin takes the first minimum: the smaller mask


def frustrations(model, a):
    """Σ |product| over unbalanced triads / Σ |product| over all triads, per run (0 when no triad)."""
    n = len(model.actor_ids)
    pair_of = {p: k for k, p in enumerate(model.pairs)}
    triads = [(pair_of[(i, j)], pair_of[(j, k)], pair_of[(i, k)])
              for i in range(n) for j in range(i + 1, n) for k in range(j + 1, n)]
    if not triads:
        return np.zeros(a.shape[0])
    t = np.array(triads)
    product = a[:, t[:, 0]] * a[:, t[:, 1]] * a[:, t[:, 2]]
    total = np.abs(product).sum(axis=1)
    unbalanced = np.where(product < 0, -product, 0.0).sum(axis=1)
    return np.divide(unbalanced, total, out=np.zeros_like(total), where=total > 0)


def simulate(model, runs, seed, perturb=None):
    """All runs at once. Returns a dict of per-run results at the compared months and the horizon."""
    rng = np.random.Generator(np.random.PCG64(seed))
    T = model.horizon
    P = len(model.pairs)
    theta = math.log(2) / model.half_life
    decay = math.exp(-theta)
    noise = np.array(model.sigma) * math.sqrt((1 - math.exp(-2 * theta)) / (2 * theta))
    noise = noise * {"volatility+10%": 1.1, "volatility+3%": 1.03}.get(perturb, 1.0)
    beta = model.balance * {"balance+20%": 1.2, "balance+5%": 1.05}.get(perturb, 1.0)
    ik, kj, coefficient = balance_arrays(model, perturb)
    events = model.events
    hazards = [e["hazard"] for e in events]
    outcomes = model.outcomes
    marks = month_marks(T)

    z = np.tile(np.arctanh(np.array(model.initial)), (runs, 1))
    mu = np.tile(np.array(model.baseline), (runs, 1))  # baselines in alignment space
    m = np.arctanh(mu)                                  # and in latent space
    fired = np.zeros((runs, len(events)), dtype=np.int64)
    first = np.zeros((runs, len(events)), dtype=np.int64)  # month of the first firing, 0 = none yet
    fired_by = {}
    state = [np.full(runs, o["when"] == "every_month") for o in outcomes]
    at_month = {}
    for t in range(1, T + 1):
        # (a) snapshot
        a = np.tanh(z)
        # (b) events, in file order, on the snapshot
        firing = []
        for e_index, e in enumerate(events):
            draw = rng.random(runs)
            eligible = np.full(runs, e["opens"] <= t <= e["closes"])
            if not e["repeatable"]:
                eligible &= fired[:, e_index] == 0
            for k, op, level in e["conditions"]:
                eligible &= (a[:, k] > level) if op == ">" else (a[:, k] < level)
            # "fired in an earlier month": this month's firings do not count yet
            for other in e["after"]:
                eligible &= (first[:, other] > 0) & (first[:, other] < t)
            for other in e["unless"]:
                eligible &= ~((first[:, other] > 0) & (first[:, other] < t))
            now = eligible & (draw < hazards[e_index])
            if e["at"] == t:
                now = np.full(runs, True)
            elif e["at"] is not None and not e["repeatable"]:
                now = np.full(runs, False)
            fired[:, e_index] += now
            first[:, e_index] = np.where((first[:, e_index] == 0) & now, t, first[:, e_index])
            firing.append(now)
        # (c) exact OU step plus balance pressure from the snapshot
        z = m + (z - m) * decay + noise * rng.standard_normal((runs, P))
        if beta != 0.0:
            z += beta * (a[:, ik] * a[:, kj] * coefficient).sum(axis=2)
        # (d) jumps to the new z, shifts to the baseline, in file order
        for e, now in zip(events, firing):
            if not now.any():
                continue
            for k, jump in e["jumps"]:
                z[now, k] = np.arctanh(np.clip(np.tanh(z[now, k]) + jump, -CLAMP, CLAMP))
            for k, shift in e["shifts"]:
                mu[now, k] = np.clip(mu[now, k] + shift, -CLAMP, CLAMP)
                m[now, k] = np.arctanh(mu[now, k])
        # (e) record month t
        a = np.tanh(z)
        for o_index, o in enumerate(outcomes):
            h = np.full(runs, o["join"] == "and")
            for left, op, (kind, ref) in o["tests"]:
                right = a[:, ref] if kind == "pair" else ref
                this = (a[:, left] > right) if op == ">" else (a[:, left] < right)
                h = (h & this) if o["join"] == "and" else (h | this)
            if o["when"] == "horizon":
                if t == T:
                    state[o_index] = h
            elif o["when"] == "any_month":
                state[o_index] = state[o_index] | h
            elif o["when"] == "every_month":
                state[o_index] = state[o_index] & h
            else:
                raise ValueError(f"unknown when: {o['when']}")
        if t in marks:
            at_month[t] = a.copy()
        if t == T // 2:
            fired_by[t] = (fired > 0).mean(axis=0)
    return {
        "outcomes": [s.mean() for s in state],
        "fired": (fired > 0).mean(axis=0),
        "fired_by": fired_by,
        "at_month": at_month,
        "splits": best_splits(model, a),
        "frustration": frustrations(model, a),
        "initial_frustration": frustrations(model, np.array([model.initial]))[0],
    }


def engine(binary, path, runs):
    command = [str(binary), "run", str(path), "--runs", str(runs), "--format", "json"]
    result = subprocess.run(command, capture_output=True, text=True, cwd=ROOT)
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed:\n{result.stderr}")
    return json.loads(result.stdout)


def proportion_z(p1, n1, p2, n2):
    se = math.sqrt(p1 * (1 - p1) / n1 + p2 * (1 - p2) / n2)
    se = max(se, 1 / min(n1, n2))
    return (p1 - p2) / se


def quantile_z(values, q, level, n_engine):
    """z of the share of `values` below the engine's quantile q against its level. With ties at q
    (an atom, e.g. frustration exactly 0) the share is an interval [share < q, share <= q]; the
    distance is measured to the nearest end (0 inside)."""
    below = float(np.mean(values < q))
    at_or_below = float(np.mean(values <= q))
    share = min(max(level, below), at_or_below)
    return proportion_z(share, len(values), level, n_engine), share


def mean_z(values, engine_mean, n_engine):
    """Two-sample z of means, both spreads taken from the Python runs (equal under the null)."""
    sd = float(np.std(values, ddof=1))
    se = max(sd * math.sqrt(1 / len(values) + 1 / n_engine), 1e-12)
    return (float(np.mean(values)) - engine_mean) / se


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("binary", nargs="?", default=str(ROOT / "target" / "release" / "alignment-sim"))
    parser.add_argument("--runs", type=int, default=40_000)
    parser.add_argument("--seed", type=int, default=20251122)
    parser.add_argument("--perturb", choices=sorted(PERTURBATIONS), help="run a deliberately wrong model here")
    parser.add_argument("--quiet", action="store_true", help="print only failures and the totals")
    args = parser.parse_args()
    binary = pathlib.Path(args.binary)
    if not binary.exists():
        print(f"error: {binary} not found; build it first (cargo build --release)", file=sys.stderr)
        return 2
    if args.perturb:
        print(f"perturbed Python model: {PERTURBATIONS[args.perturb]} (this run should fail)")

    files = sorted((ROOT / "scenarios").glob("*.toml")) + [ROOT / "tests" / "fixtures" / "minimal.toml", ROOT / "tests" / "fixtures" / "event-chains.toml"]
    passed = failed = 0
    started = time.monotonic()
    print(f"{'scenario':24} {'what':48} {'python':>9} {'engine':>9} {'z':>6}")

    def check(scenario, what, mine, theirs, z):
        nonlocal passed, failed
        bad = not abs(z) <= Z_LIMIT  # a NaN fails too
        passed += not bad
        failed += bad
        if bad or not args.quiet:
            print(f"{scenario:24} {what:48} {mine:9.4f} {theirs:9.4f} {z:+6.2f}{'  FAIL' if bad else ''}")

    for index, path in enumerate(files):
        model = Model(path)
        name = path.stem
        t0 = time.monotonic()
        mine = simulate(model, args.runs, args.seed + index, args.perturb)
        py_time = time.monotonic() - t0
        t0 = time.monotonic()
        result = engine(binary, path.relative_to(ROOT), args.runs)
        engine_time = time.monotonic() - t0
        n_py, n_engine = args.runs, result["settings"]["runs"]
        T = model.horizon
        assert result["settings"]["horizon"] == T, "engine ran another horizon"
        assert [o["id"] for o in result["outcomes"]] == [o["id"] for o in model.outcomes], "outcomes differ"
        assert [e["id"] for e in result["events"]] == [e["id"] for e in model.events], "events differ"
        assert [p["pair"] for p in result["pairs"]] == model.pair_names, "pair order differs"

        for o, p, theirs in zip(model.outcomes, mine["outcomes"], result["outcomes"]):
            check(name, "outcome " + o["id"], p, theirs["probability"], proportion_z(p, n_py, theirs["probability"], n_engine))
        for e_index, (e, theirs) in enumerate(zip(model.events, result["events"])):
            p = mine["fired"][e_index]
            check(name, "event fired " + e["id"], p, theirs["fired_probability"],
                  proportion_z(p, n_py, theirs["fired_probability"], n_engine))
            for t, shares in mine["fired_by"].items():
                p, q = shares[e_index], theirs["cumulative"][t]
                check(name, f"event fired by month {t} {e['id']}", p, q, proportion_z(p, n_py, q, n_engine))

        # Means and quantiles of every pair at the compared months.
        for t, a in sorted(mine["at_month"].items()):
            for k, pair in enumerate(result["pairs"]):
                values = a[:, k]
                check(name, f"mean {pair['pair']} month {t}", float(values.mean()), pair["mean"][t],
                      mean_z(values, pair["mean"][t], n_engine))
                for level, q in zip(QUANTILE_LEVELS, pair["quantiles"][t]):
                    z, share = quantile_z(values, q, level, n_engine)
                    check(name, f"share below q{round(level * 100):02d} {pair['pair']} month {t}", share, level, z)

        # Blocs: the engine's reported splits, and Python's most frequent ones.
        masks, counts = np.unique(mine["splits"], return_counts=True)
        python_share = dict(zip(masks.tolist(), (counts / n_py).tolist()))
        engine_share = {b["mask"]: b["share"] for b in result["blocs"]}
        # A split the engine did not list has a share at most the smallest listed one (0 if it listed
        # fewer than REPORTED_SPLITS, i.e. every split that occurred).
        unlisted = min(engine_share.values()) if len(engine_share) == REPORTED_SPLITS else 0.0
        top = sorted(python_share, key=lambda m: (-python_share[m], m))[:REPORTED_SPLITS]
        for mask in sorted(set(engine_share) | set(top)):
            p = python_share.get(mask, 0.0)
            if mask in engine_share:
                q = engine_share[mask]
                z = proportion_z(p, n_py, q, n_engine)
            else:
                q = unlisted
                z = max(0.0, proportion_z(p, n_py, q, n_engine))
            check(name, f"bloc split mask {mask:#b}", p, q, z)

        # Frustration: month 0 exactly; the horizon's mean and quantiles.
        f = result["frustration"]
        initial_ok = abs(mine["initial_frustration"] - f["initial"]) < 1e-9
        check(name, "frustration at month 0", mine["initial_frustration"], f["initial"], 0.0 if initial_ok else math.inf)
        check(name, f"frustration mean month {T}", float(mine["frustration"].mean()), f["mean"],
              mean_z(mine["frustration"], f["mean"], n_engine))
        for level, q in zip(QUANTILE_LEVELS, f["quantiles"]):
            z, share = quantile_z(mine["frustration"], q, level, n_engine)
            check(name, f"frustration share below q{round(level * 100):02d} month {T}", share, level, z)
        print(f"{name:24} ({n_py} runs: Python {py_time:.1f} s, engine {engine_time:.1f} s)")

    print(f"total {time.monotonic() - started:.1f} s; |z| > {Z_LIMIT} fails")
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
