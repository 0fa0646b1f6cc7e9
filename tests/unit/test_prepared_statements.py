"""Warehouse.run_prepared binds a file's parameters through DuckDB's own PREPARE/EXECUTE: the same
rows as the Python client's binding, for any text, and no pandas (which the client imports at its
first bound value). The raw steps' bookkeeping goes this way, so a refresh with nothing new never
loads pandas (assets/landing.py, raw/records, the IG+ config's and the status's checks)."""

from __future__ import annotations

import duckdb
import pytest

from assets.warehouse import Warehouse, sql_constant

AWKWARD = [
    "plain",
    "it's a 'quoted' name; DROP TABLE landing.raw_files; --",
    'double "quotes" and \\ backslash',
    "ünïcödé – Ynys Môn / Llanfair\u00a0PG 🙂",
    "line\nbreak\ttab",
    "$source_id ? $1",
    "",
]


@pytest.fixture
def con(tmp_path):
    con = duckdb.connect(str(tmp_path / "work.duckdb"))
    con.execute("CREATE SCHEMA landing")
    Warehouse.run(con, "landing/create_raw_files.sql")
    yield con
    con.close()


def _file(i: int, text: str | None, size: int) -> dict:
    return {
        "source_id": "src",
        "sha256": f"{i:064x}",
        "path": text,
        "original_name": text,
        "origin": None,
        "retrieved_at": "2026-12-01T18:00:00+00:00",
        "release": text,
        "size_bytes": size,
    }


def test_prepared_rows_equal_the_clients_bound_rows_for_awkward_text_nulls_and_big_integers(con):
    files = [_file(i, t, size) for i, (t, size) in enumerate(zip(AWKWARD, [0, 1, -1, 2**62, 7, 8, 9], strict=True))]
    for f in files:
        Warehouse.run_prepared(con, "landing/insert_raw_file.sql", f)
    con.execute("CREATE TABLE landing.bound AS SELECT * FROM landing.raw_files WHERE false")
    for f in files:  # the client's own binding, into a copy
        con.execute(
            "INSERT INTO landing.bound VALUES ($source_id, $sha256, $path, $original_name, $origin, "
            "$retrieved_at, $release, $size_bytes)",
            f,
        )
    prepared = con.execute("SELECT * FROM landing.raw_files ORDER BY sha256").fetchall()
    assert prepared == con.execute("SELECT * FROM landing.bound ORDER BY sha256").fetchall()
    assert [r[2] for r in prepared] == AWKWARD and prepared[3][7] == 2**62 and prepared[0][4] is None
    # A read with a parameter, and the statement's result read back after EXECUTE.
    Warehouse.run_prepared(con, "landing/delete_raw_files.sql", {"source_id": "other"})
    assert Warehouse.run_prepared(con, "landing/raw_files_for_source.sql", {"source_id": "src"}).fetchall() == [
        tuple(r) for r in sorted(prepared, key=lambda r: (r[3], r[1]))
    ]


def test_only_code_characters_reach_the_sql_and_other_types_are_refused():
    assert sql_constant(None) == "NULL" and sql_constant(True) == "TRUE" and sql_constant(-12) == "-12"
    for text in AWKWARD:
        constant = sql_constant(text)
        hex_digits = constant.removeprefix("decode(unhex('").removesuffix("'))")
        assert set(hex_digits) <= set("0123456789abcdef") and bytes.fromhex(hex_digits).decode() == text
    for value in (1.5, b"bytes", ["a"]):
        with pytest.raises(TypeError):
            sql_constant(value)


def test_a_missing_parameter_fails_as_the_clients_binding_does(con):
    with pytest.raises(duckdb.Error):
        Warehouse.run_prepared(con, "landing/delete_raw_files.sql", {})


class NoBoundValues:
    """A connection that refuses any value bound by the Python client (the pandas import's trigger)."""

    def __init__(self, con):
        self.con = con

    def execute(self, sql, params=None):
        assert not params or all(v is None for v in (params.values() if isinstance(params, dict) else params)), (
            sql,
            params,
        )
        return self.con.execute(sql, params or {})


def test_the_raw_steps_bookkeeping_binds_no_value_in_the_client(tmp_path):
    """What the raw steps and the planner do to the private database when nothing is new (landing
    helpers, the records manifest, the table checks) passes no value to the Python client's binding,
    so DuckDB's client never imports pandas for it, and the rows are the ones asked for."""
    from assets import landing as ld
    from assets.records import _replace_records_files
    from sources.archive import RawFile
    from sources.records.landing import table_exists

    raw = duckdb.connect(str(tmp_path / "w.duckdb"))
    raw.execute("CREATE SCHEMA landing")
    con = NoBoundValues(raw)
    ld.ensure_landing(con)
    f = RawFile("src", "/a/b.csv", "ab" * 32, "b's.csv", "/mirror/b's.csv", "2026-12-01T00:00:00+00:00", None, 10)
    ld.replace_raw_files(con, "src", [f])
    ld.replace_publisher_releases(con, "src", [], None)
    ld.record_acquired(con, "src", "mirror", "fp")
    ld.record_attempt(con, "src", "ok", parsed_fingerprint="fp2")
    ld.remember_landed_files(con, "src")
    ld.restore_landed_files(con, "src")
    assert ld.status_of(con, "src")["status"] == "ok" and ld.status_of(con, "none") is None
    assert raw.execute("SELECT original_name, size_bytes, release FROM landing.raw_files").fetchall() == [
        ("b's.csv", 10, None)
    ]
    _replace_records_files(con, [{"path": "a.csv", "kind": "csv_folder", "bytes": 3, "sha256": "cd"}])
    assert raw.execute("SELECT * FROM landing.records_files").fetchall() == [("a.csv", "csv_folder", 3, "cd")]
    assert table_exists(con, "landing", "records_files") and not table_exists(con, "landing", "nope")
    assert Warehouse.table_exists(con, "landing", "raw_files") and not Warehouse.table_exists(con, "landing", "nope")
    assert not Warehouse.table_exists(con, "raw", "raw_files")  # the schema counts too
    raw.close()
