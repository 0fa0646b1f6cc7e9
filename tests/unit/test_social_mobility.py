"""Social mobility parser on small synthetic files written at test time."""

from __future__ import annotations

import json
from datetime import date

import pandas as pd
import pytest
from openpyxl import Workbook

from sources import social_mobility as sm
from sources.errors import SourceError
from sources.social_mobility import areas as areas_mod
from sources.tidy import TIDY_COLUMNS, UNITS

HEADER_2 = (
    "measure_code,measure_title,chart_type,area_code,area_type,area_name,primary_split_type,"
    "primary_split_value,secondary_split_type,secondary_split_value,tertiary_split_type,"
    "tertiary_split_value,fourth_split_type,fourth_split_value,time_period,value,lci,uci,"
    "sample_size,unit,value_note,group_number"
)
HEADER_3 = (
    "measure_code,measure_title,chart_type,area_code,area_type,area_name,primary_split_type,"
    "primary_split_value,secondary_split_type,secondary_split_value,time_period,value,unit,"
    "split_order"
)
CATS = {
    1: "Least Favourable",
    2: "Unfavourable",
    3: "Lower Middling",
    4: "Middling",
    5: "Upper Middling",
    6: "Favourable",
    7: "Most Favourable",
}
MAP = {
    "205_regions": [
        {"name": "Aberdeen city", "url": "aberdeen_city", "codes": ["S12000033"]},
        {"name": "Blackburn with Darwen", "url": "blackburn_with_darwen", "codes": ["E06000008"]},
        {"name": "Camden and City of London", "url": "camden_and_city_of_london", "codes": ["E09000001", "E09000007"]},
        {"name": "Oxfordshire CC", "url": "oxfordshire_cc", "codes": ["E10000025", "E07000177", "E07000178"]},
        {"name": "Brighton and Hove", "url": "brighton_and_hove", "codes": ["E06000043"]},
    ]
}


def row2(code, name, period, value, group, area_code="", area_type="Local Authority", unit="z-score"):
    return (
        f'"{code}","Title","composite_index",{area_code},"{area_type}","{name}","time_period",'
        f'"{period}","zscore_category","{CATS[group]}",,,,,"{period}",{value},,,,"{unit}",,{group}'
    )


GOOD_ROWS = [
    row2("ci1", "Aberdeen City", "2000 to 2005", 0.742, 5),  # case differs from the map
    row2("ci1", "Blackburn with Darwen", "2000 to 2005", -2.14, 1),
    row2("ci1", "Camden and City of London", "2000 to 2005", 2.137, 7),
    row2("ci1", "Oxfordshire CC", "2000 to 2005", 0.1, 4),
    row2("ci1", "Brighton & Hove", "2000 to 2005", "", 4),  # '&' and a blank value
    row2("ci1", "Aberdeen City", "2018 to 2024", -0.3, 4),
]


@pytest.fixture
def store(archive, tmp_path):
    def _store(name: str, text: str | bytes):
        path = tmp_path / "in" / name
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(text if isinstance(text, bytes) else text.encode())
        return archive.store("social_mobility", path, origin=str(path))

    return _store


@pytest.fixture
def area_map(store):
    return store("205_regions_codes.json", json.dumps(MAP))


def ci_file(store, rows, name="CI1-2.0-conditions-of-childhood--full-dataset.csv", header=HEADER_2):
    return store(name, "\n".join([header, *rows]) + "\n")


def test_parses_blank_area_codes_through_the_map(store, area_map):
    tables = sm.parse([area_map, ci_file(store, GOOD_ROWS)])
    v = tables.values.set_index(["area_code", "period"])
    assert list(tables.values.columns) == TIDY_COLUMNS
    assert v.loc[("S12000033", "2000 to 2005"), "value"] == 0.742
    assert v.loc[("E06000008", "2000 to 2005"), "value"] == -2.14
    assert v.loc[("E09000007", "2000 to 2005"), "value"] == 2.137  # Camden represents the pair
    assert v.loc[("E10000025", "2000 to 2005"), "value"] == 0.1  # county, not its districts
    assert pd.isna(v.loc[("E06000043", "2000 to 2005"), "value"])
    assert v.loc[("E06000043", "2000 to 2005"), "observation_status"] == "not_available"
    assert v.loc[("S12000033", "2018 to 2024"), "period_start"] == date(2018, 1, 1)
    assert v.loc[("S12000033", "2018 to 2024"), "period_end"] == date(2024, 12, 31)
    assert set(tables.values["unit"]) == {"score"}
    assert set(tables.values["release"]) == {"CI1 2.0"} and tables.releases == ["CI1 2.0"]
    assert tables.aggregates.empty
    assert tables.reconciliations[0].passed


def test_categories_and_area_map_in_extra(store, area_map):
    tables = sm.parse([area_map, ci_file(store, GOOD_ROWS)])
    cats = tables.extra["categories"].set_index(["area_code", "period"])
    assert cats.loc[("E06000008", "2000 to 2005"), "category"] == "Least Favourable"
    assert cats.loc[("E09000007", "2000 to 2005"), "category_order"] == 7
    areas = tables.extra["smc_areas"]
    camden = areas[areas["smc_area_name"] == "Camden and City of London"]
    assert set(camden["area_code"]) == {"E09000001", "E09000007"}
    assert camden.set_index("area_code").loc["E09000007", "representative"]
    oxon = areas[areas["smc_area_name"] == "Oxfordshire CC"].set_index("area_code")
    assert oxon.loc["E10000025", "area_type"] == "county"
    assert oxon.loc["E07000177", "area_type"] == "non_metropolitan_district"
    assert not oxon.loc["E07000177", "representative"]


def test_unmatched_name_names_file_row_and_name(store, area_map):
    rows = GOOD_ROWS + [row2("ci1", "Atlantis", "2000 to 2005", 0.2, 4)]
    with pytest.raises(SourceError) as err:
        sm.parse([area_map, ci_file(store, rows)])
    msg = str(err.value)
    assert "CI1-2.0-conditions-of-childhood--full-dataset.csv" in msg
    assert f"row {len(rows) + 1}" in msg and "'Atlantis'" in msg and "area_name" in msg


def test_alias_table_is_used(store, area_map, monkeypatch):
    monkeypatch.setitem(areas_mod.ALIASES, "aberdeen", "aberdeen city")
    rows = [row2("ci1", "Aberdeen", "2000 to 2005", 0.742, 5)]
    tables = sm.parse([area_map, ci_file(store, rows)])
    assert tables.values["area_code"].tolist() == ["S12000033"]


def test_renamed_header_names_file_and_column(store, area_map):
    header = HEADER_2.replace("area_name", "area_label")
    with pytest.raises(SourceError) as err:
        sm.parse([area_map, ci_file(store, GOOD_ROWS, header=header)])
    assert "CI1-2.0-conditions-of-childhood--full-dataset.csv" in str(err.value)
    assert err.value.column == "area_name"


def test_published_code_must_agree_with_the_map(store, area_map):
    rows = [row2("ci1", "Blackburn with Darwen", "2000 to 2005", -2.14, 1, area_code="E06000009")]
    with pytest.raises(SourceError, match="E06000009") as err:
        sm.parse([area_map, ci_file(store, rows)])
    assert err.value.row == 2 and err.value.column == "area_code"


def test_version_3_layout(store, area_map):
    rows = [
        '"ci4","Promising Prospects","composite_index",,"Local Authority","Aberdeen City",'
        '"time_period","2021 to 2024","zscore_category","Top 5%","2021 to 2024",1.7,"z-score",7',
        '"ci4","Promising Prospects","composite_index",,"Local Authority","Oxfordshire CC",'
        '"time_period","2021 to 2024","zscore_category","30-70%","2021 to 2024",-0.2,"z-score",4',
    ]
    f = ci_file(store, rows, name="CI4-3.0-promising-prospects--full-dataset.csv", header=HEADER_3)
    tables = sm.parse([area_map, f])
    assert set(tables.values["indicator_id"]) == {"smc_promising_prospects"}
    assert tables.values["lower_ci"].isna().all()
    assert tables.extra["categories"]["category"].tolist() == ["Top 5%", "30-70%"]


def test_newest_version_wins_and_slug_not_code_picks_the_index(store, area_map):
    old = ci_file(
        store,
        [row2("ci1", "Aberdeen City", "2018 to 2020", 0.5, 5)],
        name="CI1-2.0-promising-prospects--full-dataset.csv",
    )
    new = ci_file(
        store,
        [row2("ci4", "Aberdeen City", "2018 to 2020", -0.245, 4)],
        name="CI4-3.0-promising-prospects--full-dataset.csv",
    )
    tables = sm.parse([area_map, old, new])
    assert tables.values["value"].tolist() == [-0.245]
    assert tables.values["indicator_id"].tolist() == ["smc_promising_prospects"]
    assert any("superseded" in n for n in tables.notes)


@pytest.mark.parametrize(
    "bad_row, column",
    [
        (row2("ci2", "Aberdeen City", "2000 to 2005", 0.742, 5), "measure_code"),
        (row2("ci1", "Aberdeen City", "2000 to 2005", 0.742, 5, unit="percent"), "unit"),
        (row2("ci1", "Aberdeen City", "around 2005", 0.742, 5), "time_period"),
        (row2("ci1", "Aberdeen City", "2000 to 2005", "high", 5), "value"),
        (row2("ci1", "Aberdeen City", "2000 to 2005", 0.742, 5, area_type="ITL2"), "area_type"),
    ],
)
def test_bad_cells_are_located(store, area_map, bad_row, column):
    with pytest.raises(SourceError) as err:
        sm.parse([area_map, ci_file(store, [bad_row])])
    assert err.value.row == 2 and err.value.column == column


def test_country_rows_go_to_aggregates_under_their_own_code(store, area_map):
    # The explorer gives country rows K02000001 whatever the country; the name decides.
    rows = GOOD_ROWS + [row2("ci1", "England", "2000 to 2005", 0.0, 4, area_code="K02000001", area_type="country")]
    tables = sm.parse([area_map, ci_file(store, rows)])
    assert tables.aggregates[["area_code", "value"]].values.tolist() == [["E92000001", 0.0]]
    assert "E92000001" not in set(tables.values["area_code"])


def test_duplicate_area_period(store, area_map):
    rows = GOOD_ROWS + [row2("ci1", "Camden and City of London", "2000 to 2005", 2.1, 7)]
    with pytest.raises(SourceError, match="twice"):
        sm.parse([area_map, ci_file(store, rows)])


def test_categories_out_of_step_with_values(store, area_map):
    rows = [
        row2("ci1", "Aberdeen City", "2000 to 2005", 1.9, 1),
        row2("ci1", "Blackburn with Darwen", "2000 to 2005", -1.9, 7),
    ]
    with pytest.raises(SourceError, match="overlap"):
        sm.parse([area_map, ci_file(store, rows)])


def test_truncated_file(store, area_map):
    text = "\n".join([HEADER_2, GOOD_ROWS[0], '"ci1","Title","composite_index",,"Local Authority"'])
    with pytest.raises(SourceError, match="truncated"):
        sm.parse([area_map, store("CI1-2.0-conditions-of-childhood--full-dataset.csv", text)])


def test_missing_map_file(store):
    with pytest.raises(SourceError, match="205_regions_codes.json is missing"):
        sm.parse([ci_file(store, GOOD_ROWS)])


def test_names_file_must_agree_with_map(store, area_map):
    names = store("205-regions.csv", "\ufeffarea_name,value\nAberdeen City,1\nNowhere,1\n")
    with pytest.raises(SourceError) as err:
        sm.parse([area_map, names, ci_file(store, GOOD_ROWS)])
    assert err.value.file == "205-regions.csv" and err.value.row == 3


def test_unknown_group_in_map_is_refused(store):
    doc = {"205_regions": [{"name": "Two Towns", "url": "x", "codes": ["E06000001", "E06000002"]}]}
    with pytest.raises(SourceError, match="GROUP_REPRESENTATIVES"):
        sm.parse([store("205_regions_codes.json", json.dumps(doc)), ci_file(store, GOOD_ROWS)])


def test_normalise():
    assert areas_mod.normalise("  Brighton &  Hove ") == areas_mod.normalise("brighton and hove")


def test_indicators_are_well_formed():
    ids = [i.indicator_id for i in sm.INDICATORS]
    assert len(ids) == len(set(ids))
    assert {
        "smc_conditions_of_childhood",
        "smc_labour_market_opportunities",
        "smc_innovation_and_growth",
        "smc_promising_prospects",
        "smi_2017_overall_rank",
    } <= set(ids)
    assert all(i.unit in UNITS and i.domain == "social_mobility" for i in sm.INDICATORS)
    assert all(i.polarity == "higher_is_better" for i in sm.INDICATORS if i.indicator_id.startswith("smc_"))


# --- SMI 2017 workbook: synthetic, with the layout we assume (see smi2017.py: unverified) ---


def smi_workbook(path, header=None, sheet="Standardised scores"):
    wb = Workbook()
    ws = wb.active
    ws.title = sheet
    ws.append(["Social Mobility Index 2017"])
    ws.append([None])
    ws.append(
        header
        or [
            "LA Code",
            "Local Authority",
            "Region",
            "Overall score",
            "Overall rank",
            "Early Years rank",
            "School rank",
            "Youth rank",
            "Adulthood rank",
        ]
    )
    ws.append(["E09000033", "Westminster", "London", 2.1, 1, 10, 2, 3, 4])
    ws.append(["E09000001", "City of London", "London", None, None, None, None, None, None])
    for k in range(200):  # enough districts for hot and cold spots to separate
        ws.append([f"E07{k:06d}", f"District {k}", "Somewhere", 1.0 - k / 100, k + 2, 1, 1, 1, 1])
    ws.append([None])
    ws.append(["Source: Social Mobility Commission"])
    wb.save(path)


def test_smi_2017_workbook(store, tmp_path):
    smi_workbook(tmp_path / "smi.xlsx")
    raw = store("SMI_2017_Final_v1.1.xlsx", (tmp_path / "smi.xlsx").read_bytes())
    tables = sm.parse([raw])
    v = tables.values.set_index(["indicator_id", "area_code"])
    assert v.loc[("smi_2017_overall_score", "E09000033"), "value"] == 2.1
    assert v.loc[("smi_2017_early_years_rank", "E09000033"), "value"] == 10
    assert v.loc[("smi_2017_overall_score", "E09000001"), "observation_status"] == "not_available"
    assert tables.values["period"].unique().tolist() == ["2017"]
    assert tables.values["area_code"].nunique() == 202
    spots = tables.extra["categories"].set_index("area_code")["category"]
    assert spots["E09000033"] == "hotspot" and spots["E07000199"] == "coldspot"
    assert (spots == "hotspot").sum() == 65 and (spots == "coldspot").sum() == 65
    assert "E09000001" not in spots.index


def test_smi_2017_missing_sheet_and_column(store, tmp_path):
    smi_workbook(tmp_path / "a.xlsx", sheet="Scores")
    with pytest.raises(SourceError, match="Standardised scores"):
        sm.parse([store("SMI_2017_Final_v1.1.xlsx", (tmp_path / "a.xlsx").read_bytes())])
    smi_workbook(tmp_path / "b.xlsx", header=["LA Code", "Local Authority", "Region", "Score"])
    with pytest.raises(SourceError) as err:
        sm.parse([store("SMI_2017_Final_v1.1.xlsx", (tmp_path / "b.xlsx").read_bytes())])
    assert err.value.column == "Overall score" and err.value.sheet == "Standardised scores"
