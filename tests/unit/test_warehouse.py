"""The private work database, its lock, and the atomic publish that analysts rely on."""

import threading

import duckdb
import pandas as pd
import pytest

from assets.warehouse import Warehouse, WarehouseBusy, quote_ident


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

    t = threading.Thread(target=hold)
    t.start()
    entered.wait(5)
    try:
        with pytest.raises(WarehouseBusy):
            with warehouse.connect():
                pass
    finally:
        release.set()
        t.join()


def test_identifiers_are_checked():
    assert quote_ident("indicator_values") == '"indicator_values"'
    with pytest.raises(ValueError):
        quote_ident('x"; DROP TABLE y; --')
