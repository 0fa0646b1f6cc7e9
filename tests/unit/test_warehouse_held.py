"""A held private database (a whole run's) is prepared once: its memory limit, a setting of the open
database, reaches every connection that joins it, also after published_marts closes and reopens it;
its schemas are there. The landing tables are created when any is missing, and only looked for
when all are there."""

from __future__ import annotations

from assets import landing as ld
from assets.warehouse import SCHEMAS, Warehouse


def _limit(con) -> str:
    return con.execute("SELECT current_setting('memory_limit')").fetchone()[0]


def test_a_held_database_gives_every_connection_its_limit_and_schemas(tmp_path):
    warehouse = Warehouse(tmp_path / "work.duckdb", tmp_path / "published.duckdb", memory_limit="1GB")
    with warehouse.held():
        with warehouse.connect() as con:
            limit = _limit(con)
            schemas = {r[0] for r in con.execute("SELECT schema_name FROM duckdb_schemas()").fetchall()}
            assert con.execute("SELECT weighted_coverage(s, w) FROM (VALUES (1.0, 1.0)) t(s, w)").fetchone()[0] == 1
        with warehouse.published_marts():
            pass
        with warehouse.connect() as con:  # the database was closed and opened again
            assert _limit(con) == limit
    assert set(SCHEMAS) <= schemas
    with warehouse.connect() as con:  # not held: this connection sets them itself
        unlimited = Warehouse(tmp_path / "other.duckdb", tmp_path / "p.duckdb")
        with unlimited.connect() as other:
            assert _limit(other) != limit
        assert _limit(con) == limit
    assert limit.endswith("MiB") and 900 < float(limit.split()[0]) < 1000


def _landing_tables(con) -> set[str]:
    return {
        r[0] for r in con.execute("SELECT table_name FROM duckdb_tables() WHERE schema_name = 'landing'").fetchall()
    }


def test_landing_tables_are_made_again_when_one_is_missing(tmp_path):
    warehouse = Warehouse(tmp_path / "work.duckdb", tmp_path / "published.duckdb")
    with warehouse.connect() as con:
        ld.ensure_landing(con)
        assert _landing_tables(con) == ld.LANDING_TABLES
        con.execute("DROP TABLE landing.publisher_releases")
        con.execute("INSERT INTO landing.source_status (source_id, status) VALUES ('kept', 'ok')")
        ld.ensure_landing(con)
        assert _landing_tables(con) == ld.LANDING_TABLES
        assert con.execute("SELECT source_id FROM landing.source_status").fetchall() == [("kept",)]
