"""Social mobility parser on the real SMC files in ../shared/data/social_mobility."""

from __future__ import annotations

import csv
import json
from datetime import date

import pytest

from sources import social_mobility as sm

pytestmark = pytest.mark.realdata

FILES = {
    "smc_conditions_of_childhood": "CI1-2.0-conditions-of-childhood--full-dataset.csv",
    "smc_labour_market_opportunities": "CI2-2.0-labour-market-opportunities-for-young-people--full-dataset.csv",
    "smc_innovation_and_growth": "CI3-2.0-innovation-and-growth--full-dataset.csv",
    "smc_promising_prospects": "CI4-3.0-promising-prospects--full-dataset.csv",
}


@pytest.fixture(scope="module")
def folder(shared_data):
    return shared_data / "social_mobility"


@pytest.fixture(scope="module")
def tables(folder, tmp_path_factory):
    from sources.archive import Archive

    archive = Archive(tmp_path_factory.mktemp("archive"))
    raws = [
        archive.store("social_mobility", p, origin=str(p)) for p in sorted(folder.iterdir()) if p.name != "SOURCE.md"
    ]
    return sm.parse(raws)


def value(tables, indicator, code, period):
    v = tables.values
    hit = v[(v.indicator_id == indicator) & (v.area_code == code) & (v.period == period)]
    assert len(hit) == 1
    return hit.iloc[0]["value"]


def category(tables, indicator, code, period):
    c = tables.extra["categories"]
    hit = c[(c.indicator_id == indicator) & (c.area_code == code) & (c.period == period)]
    assert len(hit) == 1
    return hit.iloc[0]["category"], hit.iloc[0]["category_order"]


def test_every_index_covers_205_areas(tables):
    v = tables.values
    assert v.groupby("indicator_id")["area_code"].nunique().to_dict() == {i: 205 for i in FILES}
    assert v.groupby("indicator_id").size().to_dict() == {
        "smc_conditions_of_childhood": 820,
        "smc_labour_market_opportunities": 820,
        "smc_innovation_and_growth": 820,
        "smc_promising_prospects": 410,
    }
    assert sorted(v[v.indicator_id == "smc_promising_prospects"]["period"].unique()) == ["2018 to 2020", "2021 to 2024"]
    assert v["value"].notna().all() and v["observation_status"].isna().all()
    assert tables.releases == ["CI1 2.0", "CI3 2.0", "CI2 2.0", "CI4 3.0"]
    assert tables.aggregates.empty  # the CI files have no UK or country rows
    assert all(r.passed for r in tables.reconciliations) and len(tables.reconciliations) == 4


def test_values_pass_through_unchanged(tables, folder):
    """Every CSV row, joined by name independently of the parser, equals the parsed value."""
    doc = json.loads((folder / "205_regions_codes.json").read_text())["205_regions"]
    codes = {a["name"].lower(): a["codes"] for a in doc}
    v = tables.values.set_index(["indicator_id", "area_code", "period"])["value"]
    areas = tables.extra["smc_areas"]
    rep = dict(zip(areas[areas.representative].smc_area_name.str.lower(), areas[areas.representative].area_code))
    checked = 0
    for indicator, name in FILES.items():
        with open(folder / name, encoding="utf-8-sig", newline="") as fh:
            for rec in csv.DictReader(fh):
                key = rec["area_name"].lower()
                assert key in codes, f"{name}: '{rec['area_name']}' not in the 205-area map"
                code = rep[key]
                assert code in codes[key] or key in ("cumbria", "northern ireland")
                assert v[(indicator, code, rec["time_period"])] == float(rec["value"])
                checked += 1
    assert checked == len(tables.values) == 2870


def test_named_areas(tables):
    # From the CSVs: CI1 2018 to 2024.
    assert value(tables, "smc_conditions_of_childhood", "E06000008", "2018 to 2024") == -2.14
    assert category(tables, "smc_conditions_of_childhood", "E06000008", "2018 to 2024") == ("Least Favourable", 1)
    assert value(tables, "smc_conditions_of_childhood", "S12000033", "2000 to 2005") == 0.742
    assert category(tables, "smc_conditions_of_childhood", "S12000033", "2000 to 2005") == ("Upper Middling", 5)
    # Camden and City of London, filed under Camden.
    assert value(tables, "smc_labour_market_opportunities", "E09000007", "2018 to 2024") == 2.737
    assert value(tables, "smc_innovation_and_growth", "E09000007", "2018 to 2024") == 5.828
    assert value(tables, "smc_innovation_and_growth", "E08000003", "2018 to 2024") == 0.822  # Manchester
    assert category(tables, "smc_innovation_and_growth", "E08000003", "2018 to 2024") == ("Upper Middling", 5)
    # Cambridgeshire CC under the county code; Westminster; Northern Ireland; Cumbria.
    assert value(tables, "smc_conditions_of_childhood", "E10000003", "2018 to 2024") == 0.832
    assert value(tables, "smc_promising_prospects", "E09000033", "2021 to 2024") == 0.191
    assert value(tables, "smc_promising_prospects", "N92000002", "2021 to 2024") == -1.989
    assert category(tables, "smc_promising_prospects", "N92000002", "2021 to 2024") == ("Least Favourable", 1)
    assert value(tables, "smc_promising_prospects", "E10000006", "2021 to 2024") == -1.079
    assert category(tables, "smc_promising_prospects", "E10000006", "2021 to 2024") == ("Unfavourable", 2)
    row = tables.values[(tables.values.period == "2021 to 2024")].iloc[0]
    assert (row.period_start, row.period_end) == (date(2021, 1, 1), date(2024, 12, 31))


def test_area_map(tables):
    areas = tables.extra["smc_areas"]
    assert areas["smc_area_name"].nunique() == 205
    assert areas["representative"].sum() == 205
    assert areas["listed_by_publisher"].sum() == 382  # codes in 205_regions_codes.json
    assert areas["area_type"].notna().all()
    essex = areas[areas.smc_area_name == "Essex"]
    assert len(essex) == 13 and essex[essex.representative].area_code.tolist() == ["E10000012"]


def test_categories_cover_every_value(tables):
    cats = tables.extra["categories"]
    assert len(cats) == len(tables.values)
    assert set(cats["category"]) == {
        "Least Favourable",
        "Unfavourable",
        "Lower Middling",
        "Middling",
        "Upper Middling",
        "Favourable",
        "Most Favourable",
    }
    assert any("IN31" in n for n in tables.notes)


def test_itl2_economic_activity_is_skipped_with_a_note_matching_the_file(tables, folder):
    name = "IN31-3.0-economic-activity--full-dataset.csv"
    with open(folder / name, encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    itl2 = [r for r in rows if r["area_type"] == "ITL2"]
    assert len(rows) == 222 and len(itl2) == 41 and len({r["area_name"] for r in itl2}) == 41
    assert {r["area_code"] for r in itl2} == {""}  # why it cannot be keyed
    assert {r["value_note"] for r in itl2} == {"Random effect from a linear mixed-effects model"}
    cheshire = next(r for r in itl2 if r["area_name"] == "Cheshire")
    assert (cheshire["value"], cheshire["time_period"]) == ("3.015", "2018-2024")
    note = next(n for n in tables.notes if name in n)
    assert note.startswith(
        f"skipped {name}: ITL2-level 'Economic activity' (41 ITL2 rows, 41 ITL2 areas, "
        "period 2018-2024; Random effect from a linear mixed-effects model)"
    )
    assert not tables.values["indicator_id"].str.contains("economic_activity").any()
    assert not tables.aggregates["indicator_id"].str.contains("economic_activity").any()
