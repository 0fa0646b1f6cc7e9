"""Parts of area pages made once per build and shared by many pages give what a page made alone
would: a region's map highlighted for one district equals that district's own map; every area's
indicator table made at once equals each area's own."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from dashboards import data, figures, tiles, warehouse

from .test_dashboards import make_warehouse
from .test_dashboards_areas import add_area_values, add_areas_and_records, add_igplus


def rows() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "area_code": ["E1", "E2", "E3", "E4", "E5"],
            "area_name": ["One", "Two", "Three", "Four", "Five"],
            "value": [1.0, None, 3.5, 40.0, None],
        }
    )


@pytest.mark.parametrize("highlight", ["E1", "E2", "E4", "E9"])
@pytest.mark.parametrize("midpoint", [None, 2.0])
def test_a_shared_map_highlighted_equals_the_map_made_for_that_area(highlight, midpoint):
    shared = figures.choropleth(rows(), "Score", midpoint=midpoint, robust=True)
    own = figures.choropleth(rows(), "Score", highlight=highlight, midpoint=midpoint, robust=True)
    made = figures.with_highlight(shared, highlight)
    assert json.dumps(made) == json.dumps(own)  # same values and the same key order: the same bytes
    assert made != shared and json.dumps(shared) == json.dumps(
        figures.choropleth(rows(), "Score", midpoint=midpoint, robust=True)
    )


def designed_site_data(tmp_path) -> data.SiteData:
    """The areas tests' warehouse: districts, regions, a LEP, pooled values, IG+ and neighbours."""
    path = make_warehouse(tmp_path / "w.duckdb")
    add_areas_and_records(path)
    add_area_values(path)
    add_igplus(path)
    con = warehouse.connect(path)
    try:
        return data.load(con)
    finally:
        con.close()


def plain(frame: pd.DataFrame) -> list[dict]:
    """Rows with every missing value as None (NaN in a float column, NaN or None in an object one)."""
    return frame.astype(object).where(frame.notna(), None).to_dict("records")


def test_indicator_tables_of_every_area_equal_each_areas_own_table(tmp_path):
    sd = designed_site_data(tmp_path)
    codes = sd.areas["area_code"].tolist()
    table, spans = tiles.indicator_tables(sd, codes)
    with_neighbours = [c for c in spans if tiles.neighbours_of(sd, c)]
    assert len(spans) >= 3 and with_neighbours and any(sd.area(c).get("area_type") == "region" for c in spans)
    for code in codes:
        alone = tiles.indicator_table(sd, code)  # no batch in sd.cache: made on its own
        if code not in spans:
            assert alone.empty
            continue
        start, n = spans[code]
        cut = table.iloc[start : start + n].reset_index(drop=True)
        assert list(cut.columns) == list(alone.columns) and len(cut) == len(alone)
        assert plain(cut) == plain(alone), code
