"""make bench's records floors (benchmarks/bench_records.py): DuckDB alone reading every column of the
activities file and storing every row, run as the benchmark runs them, on a small generated folder."""

from __future__ import annotations

import duckdb

from benchmarks import bench_records
from benchmarks.records_generator import generate


def test_the_floors_read_every_column_and_store_every_row(tmp_path):
    folder = generate(tmp_path / "data", 40)
    activities = folder / "activities.csv"
    lines = activities.read_text().count("\n") - 1  # below the header
    scratch = tmp_path / "scratch"
    scratch.mkdir()

    read_all = bench_records.run_once(bench_records.command("read_all", folder, scratch))
    assert read_all["work_seconds"] is not None and read_all["peak_mb"] > 0

    store = bench_records.run_once(bench_records.command("store", folder, scratch))
    assert store["work_seconds"] is not None
    with duckdb.connect(str(scratch / "work.duckdb"), read_only=True) as con:
        stored = con.execute("SELECT count(*), count(DISTINCT activity_id) FROM activities").fetchone()
        width = len(con.execute("DESCRIBE activities").fetchall())
    assert stored == (lines, lines)
    assert width == len(activities.read_text().splitlines()[0].split(","))
