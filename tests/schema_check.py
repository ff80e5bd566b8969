#!/usr/bin/env python3
"""Every scenario file (built-in and test fixtures) meets scenarios/scenario.schema.json, read by
Python's tomllib and checked by the `jsonschema` package (an implementation independent of ours);
broken copies (an unknown key, a missing key, a word not in an enum) do not. TOML dates become ISO
strings, as TOML editors map them."""
import copy
import datetime
import json
import sys
import tomllib
from pathlib import Path

import jsonschema

ROOT = Path(__file__).resolve().parent.parent
schema = json.loads((ROOT / "scenarios" / "scenario.schema.json").read_text())
validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())


def as_json(value):
    if isinstance(value, dict):
        return {k: as_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [as_json(v) for v in value]
    if isinstance(value, (datetime.date, datetime.datetime, datetime.time)):
        return value.isoformat()
    return value


files = sorted((ROOT / "scenarios").glob("*.toml")) + sorted((ROOT / "tests" / "fixtures").glob("*.toml"))
failures = 0
for path in files:
    doc = as_json(tomllib.loads(path.read_text()))
    errors = list(validator.iter_errors(doc))
    for e in errors[:5]:
        print(f"{path.name}: {'/'.join(map(str, e.path))}: {e.message}")
    failures += bool(errors)
    # The schema must also refuse what the loader refuses.
    for name, breaks in [
        ("unknown key", lambda d: d["model"]["volatility"].__setitem__("lable", "x")),
        ("missing key", lambda d: d["model"]["volatility"].pop("rationale")),
        ("word outside the enum", lambda d: d["model"]["volatility"].__setitem__("confidence", "certain")),
        ("range of three numbers", lambda d: d["model"]["volatility"].__setitem__("range", [0, 1, 2])),
    ]:
        broken = copy.deepcopy(doc)
        breaks(broken)
        if validator.is_valid(broken):
            print(f"{path.name}: a copy with a {name} passes the schema")
            failures += 1
print(f"schema: {len(files)} files checked; {failures} problems")
sys.exit(1 if failures else 0)
