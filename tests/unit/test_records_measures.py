"""marts.record_measures: counts per local authority and year; counts of people below 5 suppressed."""
from __future__ import annotations

import pandas as pd
import pytest

from assets.records import MIN_PEOPLE, write_landing
from assets.warehouse import Warehouse
from sources.records import ingest

from .test_records_fixtures import LADS, TEST_KEY, valid_rows, workbook

STEPS = ["staging/records_organisations.sql", "staging/records_programmes.sql", "staging/records_programme_areas.sql",
         "staging/records_activities.sql", "staging/records_influence_log.sql", "staging/records_contributors.sql",
         "staging/records_framework_register.sql", "staging/records_place_surveys.sql",
         "staging/records_programme_years.sql", "staging/records_contributor_years.sql",
         "staging/records_influence.sql", "staging/records_participant_feedback.sql",
         "marts/record_measures.sql", "marts/record_quarantine_summary.sql"]
AS_OF_YEAR = 2026  # open-ended programmes run to this year: fixed, so no result depends on today's date


def build(tmp_path, rows) -> dict[str, pd.DataFrame]:
    workbook(tmp_path / "records" / "org.xlsx", rows)
    load = ingest(tmp_path / "records", key=TEST_KEY, known_lad_codes=LADS)
    warehouse = Warehouse(tmp_path / "work.duckdb", tmp_path / "pub.duckdb")
    with warehouse.connect() as con:
        write_landing(con, load, "fp")
        for step in STEPS:
            Warehouse.run(con, step, {"min_people": MIN_PEOPLE} if "measures" in step
                          else {"as_of_year": AS_OF_YEAR} if "programme_years" in step else {})
        return {"measures": con.execute("SELECT * FROM marts.record_measures").df(),
                "summary": con.execute("SELECT * FROM marts.record_quarantine_summary").df()}


def measure(frame, area, year, name):
    [row] = frame[(frame.area_code == area) & (frame.year == year) & (frame.measure == name)].itertuples()
    return row


@pytest.fixture
def measures(tmp_path):
    return build(tmp_path, valid_rows())["measures"]


def test_counts_per_area_and_year(measures):
    assert measure(measures, "E06000018", 2023, "participants").value == 12
    assert measure(measures, "E06000018", 2023, "participants_lived_experience").value == 7
    assert measure(measures, "E06000018", 2024, "participants").value == 8
    assert measure(measures, "E06000018", 2023, "involvement_activities").value == 1
    assert measure(measures, "E06000018", 2023, "activities_codesign_or_above").value == 1
    assert measure(measures, "E06000018", 2023, "recommendations_fed_back").value == 1
    assert measure(measures, "E06000018", 2023, "contributors_active").value == 6
    assert measure(measures, "E06000018", 2024, "organisations_signed_up").value == 1
    # programme T-P1 runs April 2023 to March 2025 in both areas it serves
    assert {(r.area_code, r.year) for r in measures[measures.measure == "programmes_active"].itertuples()} == {
        (a, y) for a in ("E06000015", "E06000018") for y in (2023, 2024, 2025)}
    assert set(measures["unit"]) == {"count"}
    assert not measures["example_data"].any()


def test_people_counts_below_five_are_suppressed(measures):
    small = measure(measures, "E06000015", 2023, "participants")  # 3 people
    assert pd.isna(small.value) and small.observation_status == "suppressed"
    lived = measure(measures, "E06000015", 2023, "participants_lived_experience")  # 2 people
    assert pd.isna(lived.value) and lived.observation_status == "suppressed"
    # counts of activities are not counts of people: 1 activity is shown
    assert measure(measures, "E06000015", 2023, "involvement_activities").value == 1
    people = measures[measures.counts_people & measures.value.notna()]
    assert (people.value >= 5).all()
    assert measures[measures.value.isna()].observation_status.eq("suppressed").all()


def test_four_contributors_are_suppressed_five_are_not(tmp_path):
    rows = valid_rows()
    rows["contributors"] = rows["contributors"][:4]
    four = build(tmp_path / "four", rows)["measures"]
    assert measure(four, "E06000018", 2023, "contributors_active").observation_status == "suppressed"
    rows = valid_rows()
    rows["contributors"] = rows["contributors"][:5]
    five = build(tmp_path / "five", rows)["measures"]
    assert measure(five, "E06000018", 2023, "contributors_active").value == 5


def test_quarantine_summary_counts_problems_without_contents(tmp_path):
    rows = valid_rows()
    rows["activities"][0]["participants"] = "SECRET-CELL-TEXT"
    summary = build(tmp_path, rows)["summary"]
    assert "SECRET-CELL-TEXT" not in summary.to_csv()
    row = summary[(summary.sheet == "activities") & (summary.kind == "wrong_type")].iloc[0]
    assert (row.column_name, row.problems, row.rows_read, row.rows_quarantined) == ("participants", 1, 3, 1)
    assert set(summary.columns) == {"file", "sheet", "column_name", "kind", "problems", "rows_read",
                                    "rows_loaded", "rows_quarantined", "example_data"}
