"""sources/records/landing.py: a checked load replaces the landing.records_* tables in one
transaction, a file rejected whole keeps its last good rows, and nothing of it needs Dagster."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from sources.records import ingest
from sources.records.landing import land
from sources.records.model import TABLES_BY_NAME
from sources.records.privacy import pseudonymise

from .test_records_fixtures import LADS, TEST_KEY, csv_folder, valid_rows, workbook

ROOT = Path(__file__).resolve().parents[2]


def landing_tables(con) -> dict[str, int]:
    return dict(
        con.execute(
            "SELECT table_name, estimated_size FROM duckdb_tables() WHERE schema_name = 'landing' ORDER BY ALL"
        ).fetchall()
    )


def rows_of(con, table: str) -> list[tuple]:
    return con.execute(f"SELECT * FROM landing.{table} ORDER BY ALL").fetchall()  # table: a literal of the test


@pytest.fixture
def landed(tmp_path):
    """A database with one workbook's rows landed on the engine's own connection, as the refresh does."""
    path = workbook(tmp_path / "records" / "org.xlsx")
    con = duckdb.connect(str(tmp_path / "work.duckdb"))
    load = ingest(tmp_path / "records", key=TEST_KEY, con=con)
    assert land(con, load, "first") == []
    return con, path


def test_landing_writes_every_table_and_the_status(landed):
    con, _ = landed
    tables = landing_tables(con)
    assert not [t for t in tables if t.endswith("__next")]
    activities = rows_of(con, "records_activities")
    assert len(activities) == len(valid_rows()["activities"]) and activities[0][0] == "org.xlsx"
    status = con.execute(
        "SELECT example_data, files, rejected_files, problems, fingerprint FROM landing.records_status"
    )
    assert status.fetchall() == [(False, 1, 0, 0, "first")]
    types = dict(con.execute("DESCRIBE landing.records_status").fetchall()[i][:2] for i in range(6))
    assert types == {
        "example_data": "BOOLEAN",
        "files": "BIGINT",
        "rejected_files": "BIGINT",
        "problems": "BIGINT",
        "loaded_at": "VARCHAR",
        "fingerprint": "VARCHAR",
    }


def test_a_failure_part_way_leaves_the_last_landing_whole(landed, tmp_path, monkeypatch):
    """Every table is replaced or none: a load whose last table cannot be copied changes nothing."""
    con, path = landed
    before = {t: rows_of(con, t) for t in landing_tables(con)}
    rows = valid_rows()
    rows["activities"] = rows["activities"][:1]
    workbook(path, rows)
    load = ingest(tmp_path / "records", key=TEST_KEY, con=con)
    relations = load.relations()
    monkeypatch.setattr(load, "relations", lambda: relations | {"records_zzz_broken": "rec_no_such_table"})
    with pytest.raises(duckdb.CatalogException):
        land(con, load, "second")
    assert {t: rows_of(con, t) for t in landing_tables(con)} == before
    monkeypatch.undo()
    land(con, load, "second")  # the same load, whole: the first table did change
    assert len(rows_of(con, "records_activities")) == 1


def test_a_rejected_file_keeps_its_previous_rows_with_their_counts(landed, tmp_path):
    con, path = landed
    activities = rows_of(con, "records_activities")
    path.write_bytes(b"overwritten by mistake")
    load = ingest(tmp_path / "records", key=TEST_KEY, con=con)
    notes = land(con, load, "second", keep_previous=True)
    assert rows_of(con, "records_activities") == activities
    assert f"kept {len(activities)} previous good activities rows of files rejected whole" in notes
    kept = con.execute(
        "SELECT kept_previous FROM landing.records_reconciliation WHERE status = 'kept_previous' "
        "AND table_name = 'activities'"
    ).fetchall()
    assert kept == [(len(activities),)]
    # Without keep_previous (or in the other mode) nothing is kept.
    land(con, load, "third")
    assert rows_of(con, "records_activities") == []


def test_previous_rows_of_another_shape_are_not_kept_and_the_rest_lands(landed, tmp_path):
    con, path = landed
    con.execute("ALTER TABLE landing.records_activities ADD COLUMN retired_column VARCHAR")
    organisations = rows_of(con, "records_organisations")
    path.write_bytes(b"overwritten by mistake")
    load = ingest(tmp_path / "records", key=TEST_KEY, con=con)
    notes = land(con, load, "second", keep_previous=True)
    assert "previous records_activities rows of a rejected file no longer match the data model; not kept" in notes
    assert rows_of(con, "records_activities") == []
    assert rows_of(con, "records_organisations") == organisations  # other tables still keep theirs


def test_a_load_from_another_connection_lands_the_same_rows(landed, tmp_path):
    con, _ = landed
    other = duckdb.connect(str(tmp_path / "other.duckdb"))
    land(other, ingest(tmp_path / "records", key=TEST_KEY), "first")  # through Arrow batches
    for table in landing_tables(con):
        if table != "records_status":
            assert rows_of(other, table) == rows_of(con, table), table


def test_the_landing_runs_without_dagster():
    code = (
        f"import sys; sys.path.insert(0, {str(ROOT)!r}); import sources.records.landing, assets.landing; "
        "print('dagster' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert out.stdout.strip() == "False"


class NoBoundValues:
    """A connection that fails on any value bound by DuckDB's Python client (which would make it
    import pandas, numpy and pyarrow, about 0.4 s): a clean CSV folder lands without one."""

    def __init__(self, con):
        self._con = con

    def execute(self, sql, parameters=None):
        assert parameters is None, f"a value bound by DuckDB's Python client: {sql[:200]!r}"
        return self._con.execute(sql)

    def __getattr__(self, name):
        return getattr(self._con, name)


def _landed_both_ways(root: Path, tmp_path: Path, bound: bool = True) -> tuple:
    """The same folder landed twice: CSV tables scanned and landed from their scans when clean (the
    refresh's path), and every CSV file typed by the full rules (scan_plain=False, the reference).
    bound=False: the scanned path's connection refuses any value bound by the client."""
    out = []
    for scan in (True, False):
        con = duckdb.connect()  # in memory: the landing writes the same rows, cheaper
        if scan and not bound:
            con = NoBoundValues(con)
        load = ingest(root, key=TEST_KEY, known_lad_codes=LADS, con=con, scan_plain=scan)
        land(con, load, "first")
        out.append((con, load))
    return tuple(out)


def assert_same_landing(scanned, typed) -> None:
    """Every landing table the same: columns and types, and every row in the same order."""
    tables = landing_tables(scanned)
    assert tables.keys() == landing_tables(typed).keys()
    for table in tables:
        if table == "records_status":
            continue
        assert (
            scanned.execute(f"DESCRIBE landing.{table}").fetchall()
            == typed.execute(f"DESCRIBE landing.{table}").fetchall()
        ), table  # table: a name from duckdb_tables(), in a test
        ordered = f"SELECT * FROM landing.{table}"  # insertion order, as readers see it
        assert scanned.execute(ordered).fetchall() == typed.execute(ordered).fetchall(), table


# The tables these tests fill (the others are empty, which costs an ingest almost nothing): a scanned
# table with references (activities), one with pseudonyms (contributors), and what they refer to.
SCANNED = ("organisations", "programmes", "activities", "contributors")


def test_clean_csv_tables_land_from_their_scans_in_file_order(tmp_path):
    """Clean CSV tables land straight from their scans, a file at a time: the same rows, values,
    pseudonyms and order as when every cell goes through the rules, across two folders, with no
    value bound by DuckDB's Python client (the key's pads included)."""
    rows = {t: r for t, r in valid_rows().items() if t in SCANNED}
    csv_folder(tmp_path / "records" / "a_csv", rows)
    more = [dict(r, activity_id=r["activity_id"] + "B") for r in reversed(rows["activities"])]
    csv_folder(tmp_path / "records" / "b_csv", {"activities": more})
    (scanned, load), (typed, _) = _landed_both_ways(tmp_path / "records", tmp_path, bound=False)
    assert load.problem_count == 0
    assert len(load.output_parts["records_activities"]) == 2  # one part per file, no sort
    assert {"records_contributors", "records_organisations"} <= set(load.output_parts)
    assert_same_landing(scanned, typed)
    pseudonyms = scanned.execute("SELECT contributor_pseudonym FROM landing.records_contributors").fetchall()
    assert pseudonyms == [(pseudonymise(r["contributor_id"], TEST_KEY),) for r in rows["contributors"]]
    functions = "SELECT DISTINCT function_type FROM duckdb_functions() WHERE function_name = 'rec_py_casefold'"
    assert scanned.execute(functions).fetchall() == [("macro",)]  # no text needed Python (which imports numpy)


def test_csv_tables_with_problems_land_as_the_full_rules_land_them(tmp_path):
    """Cells the scan leaves to the rules (valid or not), a key repeated across files and a workbook
    beside the CSV files (its rows streamed by Python into the same tables): the scanned path lands,
    quarantines and reports exactly what the full rules do."""
    rows = {t: r for t, r in valid_rows().items() if t in SCANNED}
    rows["activities"][0]["participants"] = "1,000"  # valid, not plain
    rows["activities"][1]["ladder_step"] = 9  # refused
    rows["contributors"][0]["contributor_id"] = " " + rows["contributors"][0]["contributor_id"]
    rows["contributors"][1]["contributor_id"] = "\u00c5SA-Stra\u00dfe-7"  # casefolded by Python in the pseudonym
    csv_folder(tmp_path / "records" / "a_csv", rows)
    workbook(tmp_path / "records" / "org.xlsx", {"activities": valid_rows()["activities"][:2]})
    (scanned, load), (typed, reference) = _landed_both_ways(tmp_path / "records", tmp_path)
    assert load.problems == reference.problems and load.problem_count > 0
    assert_same_landing(scanned, typed)
    pseudonyms = scanned.execute("SELECT contributor_pseudonym FROM landing.records_contributors").fetchall()
    assert pseudonyms == [(pseudonymise(r["contributor_id"], TEST_KEY),) for r in rows["contributors"]]
    check = ingest(tmp_path / "records", key=None, known_lad_codes=LADS, keep_rows=False)
    assert check.problems == reference.problems  # a check of the same folder, workbook and all


def test_a_scanned_table_lands_in_file_order_on_a_connection_set_not_to_keep_order(tmp_path):
    """Enough rows for DuckDB to write on both threads (several row groups): the landing keeps each
    file's order, with no sort, even on a connection set not to preserve insertion order."""
    table = TABLES_BY_NAME["place_surveys"]
    folder = tmp_path / "records" / "org_csv"
    folder.mkdir(parents=True)
    themes = ",".join(["4"] * 14)
    with open(folder / "place_surveys.csv", "w") as handle:
        handle.write(",".join(table.column_names) + "\n")
        handle.writelines(f"S{row},E06000018,,2024-05-31,10,{themes}\n" for row in range(2, 400_002))
    con = duckdb.connect()
    con.execute("SET preserve_insertion_order = false")
    load = ingest(tmp_path / "records", key=TEST_KEY, known_lad_codes=LADS, con=con)
    land(con, load, "first")
    assert "records_place_surveys" in load.output_parts
    assert con.execute("SELECT current_setting('preserve_insertion_order')").fetchone() == (False,)
    con.execute("SET preserve_insertion_order = true")  # to read the rows as stored
    rows = con.execute("SELECT source_row, survey_id FROM landing.records_place_surveys").fetchall()
    assert rows == [(row, f"S{row}") for row in range(2, 400_002)]
