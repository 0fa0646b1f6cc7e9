"""The private work database, its lock, and the atomic publish that analysts rely on."""

import threading

import duckdb
import pandas as pd
import pytest

from assets.warehouse import WORK_STORAGE_VERSION, Warehouse, WarehouseBusy, quote_ident


@pytest.fixture
def warehouse(tmp_path):
    return Warehouse(tmp_path / "work" / "refresh.duckdb", tmp_path / "warehouse.duckdb", lock_timeout=1)


def _build(warehouse, value):
    with warehouse.connect() as con:
        Warehouse.replace_table(con, "marts", "things", pd.DataFrame({"x": [value]}))
        Warehouse.replace_table(con, "landing", "secret", pd.DataFrame({"contributor": ["abc"]}))


def test_publish_copies_only_marts(warehouse):
    _build(warehouse, 1)
    counts = warehouse.publish()
    assert counts == {"marts.things": 1}
    con = duckdb.connect(str(warehouse.published_path), read_only=True)
    schemas = {r[0] for r in con.execute("SELECT DISTINCT table_schema FROM information_schema.tables").fetchall()}
    assert schemas == {"marts"}
    con.close()


def _storage_version(path) -> str:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return con.execute("SELECT tags['storage_version'] FROM duckdb_databases() WHERE NOT internal").fetchone()[0]
    finally:
        con.close()


def test_the_private_database_is_made_in_the_newer_format_the_published_one_in_the_default(warehouse, tmp_path):
    _build(warehouse, 1)
    warehouse.publish()
    assert _storage_version(warehouse.work_path) == WORK_STORAGE_VERSION + "+"
    assert _storage_version(warehouse.published_path) == "v1.0.0+"  # what older 1.x clients read
    with duckdb.connect(str(warehouse.work_path)) as con:  # its strings in the newer format's compression
        con.execute("CREATE TABLE marts.words AS SELECT 'word ' || (i % 7) AS w FROM range(3000) AS r(i)")
        con.execute("CHECKPOINT")
        kinds = {r[0] for r in con.execute("SELECT compression FROM pragma_storage_info('marts.words')").fetchall()}
    assert "DICT_FSST" in kinds
    # A private database made before keeps its format (DuckDB fixes it when a file is made).
    older = Warehouse(tmp_path / "older.duckdb", tmp_path / "older_published.duckdb")
    duckdb.connect(str(older.work_path)).close()
    with older.connect() as con:
        con.execute("CREATE TABLE marts.t AS SELECT 1 AS x")
    assert _storage_version(older.work_path) == "v1.0.0+"


def test_analyst_reader_neither_blocks_nor_sees_half_written_data(warehouse):
    _build(warehouse, 1)
    warehouse.publish()
    analyst = duckdb.connect(str(warehouse.published_path), read_only=True)
    assert analyst.execute("SELECT x FROM marts.things").fetchone() == (1,)
    _build(warehouse, 2)
    warehouse.publish()  # must not block on the open reader
    # the analyst's open connection still sees the complete old copy
    assert analyst.execute("SELECT x FROM marts.things").fetchone() == (1,)
    analyst.close()
    fresh = duckdb.connect(str(warehouse.published_path), read_only=True)
    assert fresh.execute("SELECT x FROM marts.things").fetchone() == (2,)
    fresh.close()


def test_failed_publish_leaves_the_published_file(warehouse, monkeypatch):
    _build(warehouse, 1)
    warehouse.publish()
    before = warehouse.published_path.read_bytes()
    _build(warehouse, 2)
    monkeypatch.setattr("assets.warehouse.os.replace", lambda *a: (_ for _ in ()).throw(OSError("disk full")))
    with pytest.raises(OSError):
        warehouse.publish()
    assert warehouse.published_path.read_bytes() == before


def test_second_writer_waits_then_reports_busy(warehouse):
    entered = threading.Event()
    release = threading.Event()

    def hold():
        with warehouse.connect():
            entered.set()
            release.wait(5)

    assert not warehouse.busy()  # no lock file yet
    t = threading.Thread(target=hold)
    t.start()
    entered.wait(5)
    try:
        # what `inclusion refresh` asks first, to say it waits for another refresh instead of looking hung
        assert warehouse.busy()
        with pytest.raises(WarehouseBusy):
            with warehouse.connect():
                pass
    finally:
        release.set()
        t.join()
    assert not warehouse.busy()


def test_identifiers_are_checked():
    assert quote_ident("indicator_values") == '"indicator_values"'
    with pytest.raises(ValueError):
        quote_ident('x"; DROP TABLE y; --')


def test_build_info_names_the_vintage_the_areas_are_on_not_only_the_one_asked_for():
    """INCLUSION_TARGET_VINTAGE=2019 that the geography source cannot build leaves it stale on its last
    good vintage (2025): build_info must not tell analysts the warehouse is on 2019."""
    from assets.landing import replace_contract_table
    from sources.geography.meta import EXTRA_TABLES

    areas = pd.DataFrame(
        {
            "area_code": ["E06000001", "E12000001", "E92000001"],
            "area_name": ["Hartlepool", "North East", "England"],
            "area_type": ["lad", "region", "country"],
            "region_code": ["E12000001", None, None],
            "region_name": ["North East", None, None],
            "vintage": ["2025", "2025", "2025"],
        }
    )
    facts = {"built_at": "2026-12-02T02:00:00+00:00", "target_vintage": "2019", "example_data": "false"}
    with duckdb.connect() as con:
        con.execute("CREATE SCHEMA landing; CREATE SCHEMA marts")
        replace_contract_table(con, "geography__areas", EXTRA_TABLES["areas"], areas)  # the real landing
        Warehouse.run(con, "marts/areas.sql")
        Warehouse.run(con, "marts/build_info.sql", {**facts, "pipeline_version": "0.1.0"})
        info = dict(con.execute("SELECT key, value FROM marts.build_info").fetchall())
    assert info["target_vintage"] == "2025"
    assert info["target_vintage_setting"] == "2019"


def test_area_changes_publishes_its_date_as_a_date():
    """docs/warehouse.md: every date in the warehouse is a DATE; marts.area_changes.change_date was the
    landing table's text ('2013-04-01'), so date arithmetic and comparisons on it did not work."""
    from assets.landing import replace_contract_table
    from sources.geography.meta import EXTRA_TABLES

    changes = pd.DataFrame(
        {
            "old_code": ["E08000020"],
            "old_name": ["Gateshead"],
            "new_code": ["E08000037"],
            "new_name": ["Gateshead"],
            "change_date": ["2013-04-01"],
            "change_type": ["recode"],
            "vintage_from": ["2012"],
            "vintage_to": ["2013"],
        }
    )
    with duckdb.connect() as con:
        con.execute("CREATE SCHEMA landing; CREATE SCHEMA marts")
        replace_contract_table(con, "geography__area_changes", EXTRA_TABLES["area_changes"], changes)
        Warehouse.run(con, "marts/area_changes.sql")
        assert con.execute("SELECT typeof(change_date), change_date FROM marts.area_changes").fetchall() == [
            ("DATE", pd.Timestamp("2013-04-01").date())
        ]
