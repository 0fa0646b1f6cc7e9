"""Layers in sql/: landing DDL made from the tidy contract; staging, intermediate and marts as
pure SELECT models, one per file, materialised as the table the file's path names."""

import pathlib

import duckdb
import pytest

from assets import landing as ld
from assets.lineage import tables_read
from assets.warehouse import MODEL_FOLDERS, Warehouse, read_sql, statement_sql
from sources import tidy

SQL = pathlib.Path(__file__).resolve().parents[2] / "sql"
STAGING = sorted(SQL.glob("staging/*.sql"))
MODELS = sorted(p for folder in MODEL_FOLDERS for p in SQL.glob(f"{folder}/*.sql"))


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


@pytest.mark.parametrize("path", MODELS, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_every_model_file_is_one_select(path):
    """No DDL or DML in sql/staging, sql/intermediate or sql/marts: Warehouse.run wraps each
    SELECT in the CREATE OR REPLACE TABLE its path names."""
    [statement] = duckdb.extract_statements(path.read_text())
    assert statement.type == duckdb.StatementType.SELECT, path.name
    relpath = f"{path.parent.name}/{path.name}"
    assert statement_sql(relpath).startswith(f'CREATE OR REPLACE TABLE "{path.parent.name}"."{path.stem}" AS\n')


def test_every_model_file_is_materialised_by_an_asset_or_read_by_one():
    """Each file is an asset's SQL, the publish step's build_info, or a query a Python step reads
    (the Monte Carlo's inputs, assets/montecarlo.py SQL_INPUTS): no file lies unused."""
    from assets.montecarlo import SQL_INPUTS
    from pipelines.definitions import defs

    assets = {"/".join(k.path) for k in defs.resolve_asset_graph().get_all_asset_keys()}
    files = {f"{p.parent.name}/{p.stem}" for p in MODELS}
    read_by_steps = {p.removesuffix(".sql") for p in SQL_INPUTS} | {"marts/build_info"}
    assert files - assets - read_by_steps == set()
    assert read_by_steps <= files


def test_a_staging_model_is_materialised_as_the_table_its_path_names():
    with duckdb.connect() as c:
        for schema in ("landing", "staging"):
            c.execute(f"CREATE SCHEMA {schema}")
        c.execute(
            "CREATE TABLE landing.geography__code_map AS SELECT 'E07000001' AS source_code, 'E06000001' AS target_code, 'merged' AS relation"
        )
        Warehouse.run(c, "staging/code_map.sql")
        assert c.execute("SELECT * FROM staging.code_map").fetchall() == [("E07000001", "E06000001", "merged")]
