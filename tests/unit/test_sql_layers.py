"""Layers in sql/: landing DDL made from the tidy contract, staging as pure SELECT models."""

import pathlib

import duckdb
import pytest

from assets import landing as ld
from assets.lineage import tables_read
from assets.warehouse import Warehouse, read_sql, statement_sql
from sources import tidy

SQL = pathlib.Path(__file__).resolve().parents[2] / "sql"
STAGING = sorted(SQL.glob("staging/*.sql"))


def _columns(con, table: str) -> list[tuple[str, str, bool]]:
    return [
        (name, dtype, nullable == "YES")
        for name, dtype, nullable in con.execute(
            "SELECT column_name, data_type, is_nullable FROM information_schema.columns "
            "WHERE table_schema = 'landing' AND table_name = $t ORDER BY ordinal_position",
            {"t": table},
        ).fetchall()
    ]


@pytest.fixture()
def con():
    with duckdb.connect() as c:
        c.execute("CREATE SCHEMA landing")
        yield c


def test_both_tidy_landing_tables_are_made_from_the_contract(con):
    ld.ensure_landing(con)
    expected = [(c.name, c.sql_type, not c.required) for c in tidy.TIDY_CONTRACT]
    assert _columns(con, "indicator_values") == expected
    assert _columns(con, "aggregate_values") == expected


def test_a_column_added_to_the_contract_reaches_both_landing_tables(con, monkeypatch):
    extra = tidy.TidyColumn("quality_note", "VARCHAR", False, "a test column")
    monkeypatch.setattr(ld, "TIDY_CONTRACT", (*tidy.TIDY_CONTRACT, extra))
    ld.ensure_landing(con)
    for table in ld.TIDY_TABLES:
        assert _columns(con, table)[-1] == ("quality_note", "VARCHAR", True)


def test_a_type_outside_the_contract_vocabulary_is_refused(monkeypatch):
    bad = tidy.TidyColumn("value", "DOUBLE); DROP TABLE x; --", False, "")
    monkeypatch.setattr(ld, "TIDY_CONTRACT", (bad,))
    with pytest.raises(ValueError, match="unknown column types"):
        ld.tidy_table_ddl("indicator_values")


def test_no_hand_written_ddl_repeats_the_tidy_columns():
    names = {c.name for c in tidy.TIDY_CONTRACT}
    repeated = [
        p.name
        for p in SQL.glob("landing/create_*.sql")
        if sum(f"{n} " in p.read_text() for n in names) >= len(names) - 2
    ]
    assert repeated == []


@pytest.mark.parametrize("path", STAGING, ids=lambda p: p.stem)
def test_staging_files_are_pure_select_models_over_landing_and_staging(path):
    """No DDL or DML in sql/staging: one SELECT each, materialised by its path, reading only the
    layers below it (landing) and beside it (staging)."""
    [statement] = duckdb.extract_statements(path.read_text())
    assert statement.type == duckdb.StatementType.SELECT, path.name
    read = tables_read(read_sql(f"staging/{path.name}"))
    assert read and {schema for schema, _ in read} <= {"landing", "staging"}, sorted(read)
    assert statement_sql(f"staging/{path.name}").startswith(f'CREATE OR REPLACE TABLE "staging"."{path.stem}" AS')


def test_a_staging_model_is_materialised_as_the_table_its_path_names():
    with duckdb.connect() as c:
        for schema in ("landing", "staging"):
            c.execute(f"CREATE SCHEMA {schema}")
        c.execute(
            "CREATE TABLE landing.geography__code_map AS SELECT 'E07000001' AS source_code, 'E06000001' AS target_code, 'merged' AS relation"
        )
        Warehouse.run(c, "staging/code_map.sql")
        assert c.execute("SELECT * FROM staging.code_map").fetchall() == [("E07000001", "E06000001", "merged")]
