"""The refresh's planner (pipelines/plan.py) leaves an asset out only while the tables it writes are in
the private database: a table lost since the last refresh (dropped by hand, a restored backup) is
rebuilt, though every data version says nothing is new."""

from __future__ import annotations

import duckdb
import pytest

from tests.integration.refresh_helpers import materializations, query
from tests.integration.test_refresh_plan import planned_refresh

pytestmark = pytest.mark.slow


def test_a_table_missing_from_the_work_database_is_rebuilt_though_its_version_is_unchanged(
    generated_copy, generated_mirror, small_igplus_config
):
    work = generated_copy / "work" / "refresh.duckdb"
    con = duckdb.connect(str(work))
    try:
        (indicators,) = con.execute("SELECT count(*) FROM marts.indicators").fetchone()
        con.execute("DROP TABLE marts.indicators")
        con.execute("DROP TABLE landing.igplus_config_pillars")
    finally:
        con.close()

    _, results = planned_refresh(generated_copy, generated_mirror, small_igplus_config)

    assert len(results) == 2 and all(r.success for r in results)
    first, second = (materializations(r) for r in results)
    assert not first["landing/igplus_config"]["unchanged"]  # a root: rebuilt in the first run
    assert not second["marts/indicators"]["unchanged"]
    assert not {"landing/geography", "landing/rough_sleeping", "marts/areas", "marts/raw_files"} & set(second)
    assert query(work, "SELECT count(*) FROM marts.indicators") == [(indicators,)]
    assert query(work, "SELECT count(*) > 0 FROM landing.igplus_config_pillars") == [(True,)]
