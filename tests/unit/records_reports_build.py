"""Builds the records staging models and the Inclusion Report marts from record rows (for tests)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from assets.records import write_landing
from assets.records_reports import REPORT_MARTS, builtin_framework_points
from assets.warehouse import Warehouse
from sources.records import ingest
from sources.records.privacy import MIN_PEOPLE

from .test_records_fixtures import LADS, TEST_KEY, workbook

TYPED = [
    "organisations",
    "programmes",
    "programme_areas",
    "programme_partners",
    "activities",
    "influence_log",
    "contributors",
    "framework_register",
    "self_assessments",
    "place_surveys",
    "programme_years",
    "public_names",
    "programme_target_groups",
    "framework_points",
    "participant_feedback",
    "people_linked",
]
PARAMS = {
    "staging/records_framework_points.sql": {"builtin_points": builtin_framework_points()},
    "staging/records_programme_years.sql": {"as_of_year": 2026},
}  # fixed: nothing depends on today


def steps() -> list[str]:
    return [f"staging/records_{t}.sql" for t in TYPED] + [f"marts/{m}.sql" for m in REPORT_MARTS]


def run_steps(con, extra: list[str] = ()) -> None:
    for step in steps() + list(extra):
        params = PARAMS.get(step, {})
        sql = (Path(__file__).resolve().parents[2] / "sql" / step).read_text()
        if "$min_people" in sql:
            params = {**params, "min_people": MIN_PEOPLE}
        Warehouse.run(con, step, params)


def build_reports(tmp_path: Path, rows: dict | None = None, *, files: dict | None = None) -> dict[str, pd.DataFrame]:
    """rows: one workbook; files: {file name: rows} for several. Returns every report mart (and the
    load's problems); the work database stays at tmp_path / "work.duckdb"."""
    for name, file_rows in (files or {"org.xlsx": rows}).items():
        workbook(tmp_path / "records" / name, file_rows)
    load = ingest(tmp_path / "records", key=TEST_KEY, known_lad_codes=LADS)
    warehouse = Warehouse(tmp_path / "work.duckdb", tmp_path / "pub.duckdb")
    with warehouse.connect() as con:
        write_landing(con, load, "fp")
        run_steps(con)
        out = {m: con.execute(f"SELECT * FROM marts.{m}").df() for m in REPORT_MARTS}
    out["problems"] = load.problems
    return out
