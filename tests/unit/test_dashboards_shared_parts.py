"""Parts of area pages made once per build and shared by many pages give what a page made alone
would: a region's map highlighted for one district equals that district's own map."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from dashboards import figures


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
