"""A grouping's records coverage: from the grouping mart when it is published, else worked out."""

from __future__ import annotations

from types import SimpleNamespace

import pandas as pd

from dashboards import coverage, rules

LADS = ["A1", "A2", "A3", "A4"]


def site(values: pd.DataFrame, records_lads: list[str]) -> SimpleNamespace:
    records = pd.DataFrame({"area_code": records_lads, "year": 2024, "measure": "involvement_activities", "value": 6})
    return SimpleNamespace(
        members={"G": LADS, "A1": ["A1"]}, cache={}, values=values, records=records, table=lambda name: None
    )


POPULATION = pd.DataFrame(
    {
        "area_code": LADS,
        "indicator_id": "population_all_ages",
        "period": "2023",
        "period_end": pd.Timestamp("2023-06-30"),
        "value": [70_000.0, 10_000.0, 10_000.0, 10_000.0],
    }
)


def test_worked_out_from_records_and_population():
    cover = coverage.records_coverage(site(POPULATION, ["A2", "A3"]), "G", 2024)
    assert (cover.areas_with_records, cover.total_areas) == (2, 4)
    assert cover.population_share == 0.2
    assert cover.words() == "records from 2 of 4 local authorities, home to 20% of its people"
    assert not rules.load().coverage_enough(cover.share)
    assert coverage.records_coverage(site(POPULATION, ["A1"]), "G", 2024).share == 0.7
    assert coverage.records_coverage(site(POPULATION, ["A1"]), "A1", 2024) is None  # a single district


def test_read_from_the_grouping_mart_when_published():
    mart_rows = pd.DataFrame(
        {
            "area_code": ["G"],
            "indicator_id": ["records_ladder_6_7_pct"],
            "period": ["2024"],
            "members_used": [3],
            "members_total": [4],
            "coverage_population_share": [0.9],
        }
    )
    cover = coverage.records_coverage(site(pd.concat([POPULATION, mart_rows]), ["A2"]), "G", 2024)
    assert (cover.areas_with_records, cover.total_areas, cover.population_share) == (3, 4, 0.9)
