"""A table no file has rows for skips the typing and checking statements (most of a small ingest's
cost): what it declares instead must have the names and types the full statements give."""

from __future__ import annotations

import duckdb
import pytest

from sources.records import TABLES
from sources.records import validation as v
from sources.records.engine import Engine

from .test_records_fixtures import LADS, TEST_KEY


def _relations(table) -> list[str]:
    names = [f"rec_typed_{table.name}", f"rec_problems_{table.name}", f"rec_bad_{table.name}", f"rec_out_{table.name}"]
    names += [f"rec_out_{table.name}__{c.name}" for c in table.columns if c.many]
    for col in table.columns:
        if col.kind in ("id", "contributor_id"):
            names += [v.all_keys_table(f"{table.name}.{col.name}"), v.good_keys_table(f"{table.name}.{col.name}")]
    return [n.strip('"') for n in names]


def _schemas(con, names) -> dict[str, list[tuple]]:
    return {n: con.execute(f'DESCRIBE SELECT * FROM "{n}"').fetchall() for n in names}


def _validated(full: bool, known):
    con = duckdb.connect()
    engine = Engine(con, TEST_KEY, known)
    if full:  # every table typed and checked by the full statements, over no rows
        for table in TABLES:
            engine._type_rows(table, f'SELECT * FROM "rec_cells_{table.name}"')
    engine.validate()
    assert engine.empty == (set() if full else {t.name for t in TABLES})
    return con


@pytest.mark.parametrize("known", [None, LADS], ids=["gss pattern", "known codes"])
def test_empty_tables_have_the_columns_and_types_of_checked_ones(known):
    full, empty = _validated(True, known), _validated(False, known)
    names = [n for t in TABLES for n in _relations(t)]
    names += ["rec_programme_areas", "rec_points", "rec_problems", "rec_quarantine", "rec_reconciliation"]
    names += [v.good_keys_table("framework_points.framework_id").strip('"')]
    assert _schemas(empty, names) == _schemas(full, names)
    # Same rows too: none, except the built-in framework points and their ids.
    for name in names:
        query = f'SELECT * FROM "{name}" ORDER BY ALL'
        assert empty.execute(query).fetchall() == full.execute(query).fetchall(), name
