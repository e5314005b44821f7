#!/usr/bin/env python3
"""Check hyoka's open-data output with tools that are not hyoka.

Usage: check_opendata.py DIR...  -- for each output folder written with
`hyoka import --csv`:

1. `frictionless` (Python) validates DIR/datapackage.json: every CSV
   against its Table Schema, with types, constraints, primary and foreign
   keys, byte counts and hashes.
2. DuckDB loads every CSV with the column types the package declares
   (the load fails on a cell that is not of its type).
3. Every KPI value in DIR's department JSON files (listed in index.json)
   equals its row in kpi_values.csv: value, raw text, fiscal year, and the
   municipality of its sheet; and every project evaluation's indicator
   value its row in project_indicator_values.csv.

Exits 1 on any failure, printing what differs.
"""
import csv
import json
import math
import pathlib
import sys

import duckdb
import frictionless

DUCK_TYPES = {"string": "VARCHAR", "integer": "BIGINT", "number": "DOUBLE", "boolean": "BOOLEAN"}
# Column positions of kpi_values.csv (the header may be Japanese or English).
KPI_VALUE_COLUMNS = [
    "municipality_code",
    "municipality_name",
    "prefecture",
    "kpi_id",
    "sheet_id",
    "position",
    "kind",
    "fiscal_year",
    "value",
    "raw",
]
# The kinds of kpi_values.csv under Japanese headers, as the JSON's codes.
KIND_CODES = {"現状値": "baseline", "実績": "actual", "目標値": "target"}


def frictionless_check(package_path, problems):
    report = frictionless.validate(str(package_path))
    if not report.valid:
        for task in report.tasks:
            for error in task.errors:
                problems.append(f"frictionless: {task.name}: {error.message}")
        for error in report.errors:
            problems.append(f"frictionless: {error.message}")


def duckdb_load(folder, package, problems):
    con = duckdb.connect()
    tables = {}
    for resource in package["resources"]:
        fields = resource["schema"]["fields"]
        path = folder / resource["path"]
        with open(path, encoding="utf-8-sig", newline="") as f:
            rows = list(csv.reader(f))
        header, body = rows[0], rows[1:]
        if header != [fl["name"] for fl in fields]:
            problems.append(f"{resource['path']}: header {header} is not the schema's fields")
            continue
        columns = {f"c{i}": DUCK_TYPES[fl["type"]] for i, fl in enumerate(fields)}
        try:
            rel = con.read_csv(
                str(path),
                header=True,
                columns=columns,
                sep=",",
                quotechar='"',
                na_values=[""],
            )
            loaded = rel.fetchall()
        except duckdb.Error as e:
            problems.append(f"duckdb: {resource['path']}: {e}")
            continue
        if len(loaded) != len(body):
            problems.append(
                f"duckdb: {resource['path']}: {len(loaded)} rows loaded, {len(body)} in the file"
            )
        tables[resource["name"]] = loaded
    return tables


def json_sheets(folder):
    index = json.loads((folder / "index.json").read_text(encoding="utf-8"))
    for entry in index["departments"]:
        doc = json.loads((folder / entry["file"]).read_text(encoding="utf-8"))
        for sheet in doc["sheets"]:
            if sheet["municipality"] != entry["municipality"]:
                raise AssertionError(f"{entry['file']}: a sheet of another municipality")
            yield sheet


def compare_kpis(folder, tables, problems):
    rows = tables.get("kpi_values")
    if rows is None:
        problems.append("kpi_values was not loaded")
        return
    by_key = {}
    for row in rows:
        record = dict(zip(KPI_VALUE_COLUMNS, row))
        by_key[(record["kpi_id"], record["position"])] = record
    expected = 0
    for sheet in json_sheets(folder):
        m = sheet["municipality"] or {}
        for project in sheet["basic_projects"]:
            for kpi in project["kpis"]:
                cells = [("baseline", kpi["baseline"]["fiscal_year"], kpi["baseline"])]
                cells += [("actual", a["fiscal_year"], a) for a in kpi["actuals"]]
                cells += [("target", None, kpi["target"])]
                for position, (kind, year, cell) in enumerate(cells, start=1):
                    expected += 1
                    got = by_key.get((kpi["id"], position))
                    where = f"{kpi['id']} #{position} ({kind})"
                    if got is None:
                        problems.append(f"kpi_values: no row for {where}")
                        continue
                    want_value = cell["value"]
                    same_value = (got["value"] is None and want_value is None) or (
                        got["value"] is not None
                        and want_value is not None
                        and math.isclose(got["value"], want_value, rel_tol=0, abs_tol=0)
                    )
                    checks = [
                        ("value", same_value, got["value"], want_value),
                        ("raw", got["raw"] == cell["raw"], got["raw"], cell["raw"]),
                        ("kind", KIND_CODES.get(got["kind"], got["kind"]) == kind, got["kind"], kind),
                        ("fiscal_year", got["fiscal_year"] == year, got["fiscal_year"], year),
                        ("sheet_id", got["sheet_id"] == sheet["id"], got["sheet_id"], sheet["id"]),
                        (
                            "municipality_code",
                            got["municipality_code"] == m.get("code"),
                            got["municipality_code"],
                            m.get("code"),
                        ),
                        (
                            "municipality_name",
                            got["municipality_name"] == m.get("name"),
                            got["municipality_name"],
                            m.get("name"),
                        ),
                        (
                            "prefecture",
                            (got["prefecture"] is None) == (m.get("code") is None),
                            got["prefecture"],
                            "a prefecture exactly when the code is known",
                        ),
                    ]
                    for name, ok, g, w in checks:
                        if not ok:
                            problems.append(f"kpi_values {where}: {name} is {g!r}, JSON has {w!r}")
    if expected != len(rows):
        problems.append(f"kpi_values has {len(rows)} rows, the JSON {expected} KPI values")
    return expected


# Column positions of project_indicator_values.csv.
PROJECT_VALUE_COLUMNS = [
    "municipality_code",
    "municipality_name",
    "prefecture",
    "indicator_id",
    "project_id",
    "position",
    "fiscal_year",
    "value",
    "raw",
]


def compare_project_values(folder, tables, problems):
    """Every indicator value of the project evaluations in the department
    files equals its row in project_indicator_values.csv."""
    rows = tables.get("project_indicator_values")
    if rows is None:
        return 0
    by_key = {}
    for row in rows:
        record = dict(zip(PROJECT_VALUE_COLUMNS, row))
        by_key[(record["indicator_id"], record["position"])] = record
    expected = 0
    index = json.loads((folder / "index.json").read_text(encoding="utf-8"))
    for entry in index["departments"]:
        doc = json.loads((folder / entry["file"]).read_text(encoding="utf-8"))
        for project in doc.get("project_evaluations", []):
            for indicator in project["indicators"]:
                for position, cell in enumerate(indicator["values"], start=1):
                    expected += 1
                    where = f"{indicator['id']} #{position}"
                    got = by_key.get((indicator["id"], position))
                    if got is None:
                        problems.append(f"project_indicator_values: no row for {where}")
                        continue
                    same_value = (got["value"] is None and cell["value"] is None) or (
                        got["value"] is not None
                        and cell["value"] is not None
                        and math.isclose(got["value"], cell["value"], rel_tol=0, abs_tol=0)
                    )
                    for name, ok, g, w in [
                        ("value", same_value, got["value"], cell["value"]),
                        ("raw", got["raw"] == cell["raw"], got["raw"], cell["raw"]),
                        ("fiscal_year", got["fiscal_year"] == cell["fiscal_year"], got["fiscal_year"], cell["fiscal_year"]),
                        ("project_id", got["project_id"] == project["id"], got["project_id"], project["id"]),
                    ]:
                        if not ok:
                            problems.append(f"project_indicator_values {where}: {name} is {g!r}, JSON has {w!r}")
    if expected != len(rows):
        problems.append(f"project_indicator_values has {len(rows)} rows, the JSON {expected} values")
    return expected


def main(dirs):
    failed = False
    for d in dirs:
        folder = pathlib.Path(d)
        package_path = folder / "datapackage.json"
        package = json.loads(package_path.read_text(encoding="utf-8"))
        problems = []
        frictionless_check(package_path, problems)
        tables = duckdb_load(folder, package, problems)
        compared = compare_kpis(folder, tables, problems)
        projects = compare_project_values(folder, tables, problems)
        if compared + projects == 0:
            problems.append("no KPI or indicator values to compare: the check would prove nothing")
        for p in problems:
            print(f"{folder}: {p}", file=sys.stderr)
        failed |= bool(problems)
        rows = sum(len(t) for t in tables.values())
        print(f"{folder}: frictionless valid, {rows} rows loaded in DuckDB, {compared} KPI values and {projects} project indicator values equal the JSON" if not problems else f"{folder}: {len(problems)} problem(s)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
