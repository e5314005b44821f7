#!/usr/bin/env python3
"""Validate hyoka's output with an independent validator (Python jsonschema).

Usage: validate_independently.py DIR...  -- every *.json file in each DIR
(and its municipality folders) is checked against schemas/index.schema.json
(index.json), schemas/kpi_series.schema.json (kpi_series.json),
schemas/datapackage.schema.json (datapackage.json) or
schemas/department.schema.json (every other file). Exits 1 on any failure.
"""
import json
import pathlib
import sys

import jsonschema

ROOT = pathlib.Path(__file__).resolve().parent.parent


def load(name):
    schema = json.loads((ROOT / "schemas" / name).read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def main(dirs):
    department = load("department.schema.json")
    index = load("index.schema.json")
    kpi_series = load("kpi_series.schema.json")
    package = load("datapackage.schema.json")
    checked = failed = 0
    for d in dirs:
        files = sorted(pathlib.Path(d).rglob("*.json"))
        if not files:
            print(f"{d}: no JSON files", file=sys.stderr)
            failed += 1
        for f in files:
            doc = json.loads(f.read_text(encoding="utf-8"))
            validator = {"index.json": index, "kpi_series.json": kpi_series, "datapackage.json": package}.get(f.name, department)
            errors = list(validator.iter_errors(doc))
            checked += 1
            for e in errors:
                print(f"{f}: {'/'.join(map(str, e.absolute_path))}: {e.message}", file=sys.stderr)
            failed += bool(errors)
    print(f"independent validation: {checked - failed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
