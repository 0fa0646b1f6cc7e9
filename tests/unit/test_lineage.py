"""Lineage read from the SQL by DuckDB's parser, and code versions that follow shared modules."""

import duckdb
import pytest

from assets import lineage
from assets.lineage import table_producer, tables_read
from sources.registry import SOURCE_IDS

SOURCES = list(SOURCE_IDS)


def test_tables_read_are_the_schema_qualified_tables_not_ctes_comments_or_strings():
    sql = """-- reads marts.not_this_one (a comment)
    CREATE OR REPLACE TABLE marts.target AS
    WITH
    values AS (SELECT * FROM staging.indicator_values WHERE note <> 'landing.not_a_table'),
    areas AS (SELECT area_code FROM marts.areas)
    SELECT v.*, $min_people AS floor FROM values AS v
    JOIN areas USING (area_code)
    LEFT JOIN landing.geography__areas AS g USING (area_code)
    WHERE v.area_code IN (SELECT area_code FROM landing.indicator_values)
    """
    assert tables_read(sql) == {
        ("staging", "indicator_values"),
        ("marts", "areas"),
        ("landing", "geography__areas"),
        ("landing", "indicator_values"),
    }


def test_unparseable_sql_is_an_error_not_an_empty_lineage():
    with pytest.raises((ValueError, duckdb.ParserException)):
        tables_read("CREATE OR REPLACE TABLE marts.x AS SELEC * FROM staging.y")


def test_landing_tables_map_to_the_assets_that_write_them():
    key = lambda *parts: [__import__("dagster").AssetKey(list(parts))]  # noqa: E731
    assert table_producer("landing", "geography__areas", SOURCES) == key("landing", "geography")
    assert table_producer("landing", "population__lad_county", SOURCES) == key("landing", "population")
    assert table_producer("landing", "igplus_config_settings", SOURCES) == key("landing", "igplus_config")
    assert table_producer("landing", "records_activities", SOURCES) == key("landing", "records")
    assert table_producer("landing", "records_files", SOURCES) == key("raw", "records")
    assert table_producer("staging", "code_map", SOURCES) == key("staging", "code_map")
    assert len(table_producer("landing", "indicator_values", SOURCES)) == len(SOURCES)
    assert {k.path[0] for k in table_producer("landing", "raw_files", SOURCES)} == {"raw"}
    with pytest.raises(ValueError, match="landing.mystery"):
        table_producer("landing", "mystery", SOURCES)


def test_every_parser_version_covers_the_shared_tidy_module():
    tidy = lineage.PROJECT / "sources" / "tidy.py"
    for module in (f"sources.{s}" for s in SOURCE_IDS):
        assert tidy in lineage.module_closure(module), module


@pytest.mark.parametrize("shared", ["sources/tidy.py", "assets/sources.py"])
def test_changing_a_shared_module_changes_every_parser_code_version(monkeypatch, shared):
    """A change to sources/tidy.py, or to the landing step's own module (how it calls a parser and
    records the outcome), must rebuild every parser's branch, not only the parsers edited."""
    from assets.sources import parser_code_version

    before = {s: parser_code_version(s) for s in SOURCES}
    tidy = lineage.PROJECT / shared
    real_read = lineage.read_module

    monkeypatch.setattr(
        lineage, "read_module", lambda path: real_read(path) + ("\n# changed\n" if path == tidy else "")
    )
    after = {s: parser_code_version(s) for s in SOURCES}
    assert all(before[s] != after[s] for s in SOURCES)


def test_changing_one_parser_changes_only_its_own_code_version(monkeypatch):
    from assets.sources import parser_code_version

    before = {s: parser_code_version(s) for s in SOURCES}
    target = lineage.PROJECT / "sources" / "rough_sleeping" / "table.py"
    real_read = lineage.read_module
    monkeypatch.setattr(
        lineage, "read_module", lambda path: real_read(path) + ("\n# changed\n" if path == target else "")
    )
    changed = {s for s in SOURCES if parser_code_version(s) != before[s]}
    assert changed == {"rough_sleeping"}


def test_sql_code_version_covers_the_text_and_parameter_names():
    a = lineage.sql_code_version("staging/code_map.sql")
    assert a == lineage.sql_code_version("staging/code_map.sql")
    assert a != lineage.sql_code_version("staging/code_map.sql", ("min_people",))
    assert a != lineage.sql_code_version("staging/upper_tier_map.sql")


def test_a_macro_is_part_of_the_code_version_of_the_sql_that_calls_it(monkeypatch):
    calls = lineage.sql_code_version("intermediate/igplus_scores_all.sql")
    other = lineage.sql_code_version("staging/code_map.sql")
    macro = lineage.PROJECT / "sql" / "macros" / "weighted_geometric_mean.sql"
    real = type(macro).read_text
    monkeypatch.setattr(
        type(macro), "read_text", lambda self, *a, **k: real(self, *a, **k) + ("\n-- changed" if self == macro else "")
    )
    assert lineage.sql_code_version("intermediate/igplus_scores_all.sql") != calls
    assert lineage.sql_code_version("staging/code_map.sql") == other
