"""In-work poverty as asked: without a Stat-Xplore key the fallback is named in marts.indicators."""

import pandas as pd
import pytest

from assets.warehouse import Warehouse
from sources.catalogue import indicators_frame
from tests.unit.landing_db import landing_connection

REASON = "no Stat-Xplore API key (set STAT_XPLORE_API_KEY)"


@pytest.fixture
def con():
    con = landing_connection()
    Warehouse.replace_table(con, "landing", "indicator_catalogue", indicators_frame())
    yield con
    con.close()


def indicators(con, published: list[str], unavailable: list[str]) -> pd.DataFrame:
    Warehouse.replace_table(con, "staging", "indicator_values", pd.DataFrame({"indicator_id": published}))
    con.execute("DELETE FROM landing.unavailable_indicators")
    for indicator in unavailable:
        con.execute("INSERT INTO landing.unavailable_indicators VALUES ('in_work_poverty', ?, ?)", [indicator, REASON])
    Warehouse.run(con, "marts/indicators.sql")
    return con.execute("SELECT * FROM marts.indicators").df().set_index("indicator_id")


def test_without_a_key_the_fallback_and_the_missing_indicators_say_so(con):
    missing = ["children_low_income_working_family_pct", "uc_in_employment_rate"]
    out = indicators(con, ["children_low_income_relative_pct", "rough_sleeping_count"], missing)
    note = out.loc["children_low_income_relative_pct", "fallback_note"]
    assert note.startswith(
        "Used in place of Children in relative low income living in working families (%) "
        "and People on Universal Credit who are in employment (%) (not available: no "
        "Stat-Xplore API key"
    )
    assert "not in-work poverty as such" in note
    for indicator in missing:
        assert not out.loc[indicator, "available"]
        assert out.loc[indicator, "fallback_note"] == (
            "Not available in this build; Children in relative low income families (%) is used in its place."
        )
    assert pd.isna(out.loc["rough_sleeping_count", "fallback_note"])


def test_with_a_key_no_fallback_is_named(con):
    out = indicators(
        con, ["children_low_income_relative_pct", "children_low_income_working_family_pct", "uc_in_employment_rate"], []
    )
    assert out["fallback_note"].isna().all()
    assert "fallback_for" not in out.columns
