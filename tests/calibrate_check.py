#!/usr/bin/env python3
"""An independent fit of the UN-voting dynamics (NumPy least squares), checked against
`alignment-sim calibrate --format json`.

Same specification, written separately from the Rust code: for each pair of actors (EU = mean of
DEU, FRA, POL) the yearly distance d = |x_i - x_j| over sessions FROM..TO; d(t+1) regressed on
[1, d(t)] and, for pairs with CHN or PRK, a step 1[year >= 2015] with the transition into 2015 left
out; phi and its standard error from numpy.linalg.lstsq; half-life = 12 ln 2 / -ln(phi). The pooled
fit demeans each pair (each regime) and regresses through the origin.
"""
import csv
import json
import math
import os
import subprocess
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(os.environ.get("DATA_DIR", ROOT.parent / "shared" / "data")) / "unga_idealpoints_selected_apr2020.csv"
ACTORS = ["USA", "RUS", "CHN", "EU", "GBR", "UKR", "PRK", "IRN", "JPN", "KOR"]
FROM, TO, JUMP = 1992, 2019, 2015


def load():
    points = {}
    with open(DATA, newline="") as f:
        for row in csv.DictReader(f):
            points.setdefault(row["iso3c"], {})[int(row["year_start"])] = float(row["IdealPoint"])
    years = set.intersection(*(set(points[m]) for m in ("DEU", "FRA", "POL")))
    points["EU"] = {y: np.mean([points[m][y] for m in ("DEU", "FRA", "POL")]) for y in years}
    return points


def steps(points, a, b):
    jumps = a in ("CHN", "PRK") or b in ("CHN", "PRK")
    out = []
    for y in range(FROM, TO):
        if jumps and y + 1 == JUMP:
            continue
        if all(y in points[c] and y + 1 in points[c] for c in (a, b)):
            out.append((abs(points[a][y] - points[b][y]), abs(points[a][y + 1] - points[b][y + 1]), y + 1))
    return out, jumps


def fit(points, a, b):
    s, jumps = steps(points, a, b)
    step = jumps and any(t[2] >= JUMP for t in s) and any(t[2] < JUMP for t in s)
    X = np.array([[1.0, t[0]] + ([float(t[2] >= JUMP)] if step else []) for t in s])
    y = np.array([t[1] for t in s])
    beta, rss, _, _ = np.linalg.lstsq(X, y, rcond=None)
    s2 = float(rss[0]) / (len(y) - X.shape[1])
    se = math.sqrt(s2 * np.linalg.inv(X.T @ X)[1, 1])
    return beta[1], se


def pooled(points):
    xs, ys, groups = [], [], 0
    for i, a in enumerate(ACTORS):
        for b in ACTORS[i + 1:]:
            s, jumps = steps(points, a, b)
            for after in ([False, True] if jumps else [None]):
                g = [t for t in s if after is None or (t[2] >= JUMP) == after]
                if len(g) < 2:
                    continue
                x0, x1 = np.array([t[0] for t in g]), np.array([t[1] for t in g])
                xs.append(x0 - x0.mean())
                ys.append(x1 - x1.mean())
                groups += 1
    x, y = np.concatenate(xs), np.concatenate(ys)
    phi = float(x @ y / (x @ x))
    s2 = float(((y - phi * x) ** 2).sum()) / (len(x) - groups - 1)
    return phi, math.sqrt(s2 / (x @ x))


def main():
    if not DATA.exists():
        print(f"NOTE: {DATA} not found (set DATA_DIR); the calibration check was skipped")
        return 0
    binary = ROOT / "target" / "release" / "alignment-sim"
    out = json.loads(subprocess.run([str(binary), "calibrate", "--data", str(DATA), "--format", "json"],
                                    check=True, capture_output=True, text=True).stdout)
    points = load()
    failures = 0
    theirs = {p["pair"]: p for p in out["pairs"]}
    checked = 0
    for i, a in enumerate(ACTORS):
        for b in ACTORS[i + 1:]:
            phi, se = fit(points, a, b)
            p = theirs[f"{a}-{b}"]
            half_life = 12 * math.log(2) / -math.log(phi) if 0 < phi < 1 else None
            ok = abs(p["phi"] - phi) < 1e-9 and abs(p["phi_se"] - se) < 1e-9 and \
                (half_life is None) == (p["half_life_months"] is None) and \
                (half_life is None or abs(p["half_life_months"] - half_life) < 1e-6)
            checked += 1
            if not ok:
                failures += 1
                print(f"{a}-{b}: NumPy phi {phi:.6f} se {se:.6f}; engine {p['phi']:.6f} {p['phi_se']:.6f}")
    phi, se = pooled(points)
    if abs(out["pooled"]["phi"] - phi) > 1e-9 or abs(out["pooled"]["phi_se"] - se) > 1e-9:
        failures += 1
        print(f"pooled: NumPy phi {phi:.6f} se {se:.6f}; engine {out['pooled']['phi']:.6f} {out['pooled']['phi_se']:.6f}")
    print(f"calibrate: {checked} pairs and the pooled fit against NumPy least squares; {failures} differ")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
