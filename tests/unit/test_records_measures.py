"""marts.record_measures: counts per local authority and year; counts of people below 5 suppressed."""

from __future__ import annotations

import duckdb
import openpyxl
import pandas as pd
import pytest

from assets.records import MIN_PEOPLE, write_landing
from assets.warehouse import Warehouse
from sources.records import ingest

from .test_records_fixtures import LADS, TEST_KEY, edit_sheet, valid_rows, workbook

STEPS = [
    "staging/records_organisations.sql",
    "staging/records_programmes.sql",
    "staging/records_programme_areas.sql",
    "staging/records_activities.sql",
    "staging/records_influence_log.sql",
    "staging/records_contributors.sql",
    "staging/records_framework_register.sql",
    "staging/records_place_surveys.sql",
    "staging/records_programme_years.sql",
    "staging/records_contributor_years.sql",
    "staging/records_influence.sql",
    "staging/records_people_linked.sql",
    "staging/records_participant_feedback.sql",
    "marts/record_measures.sql",
    "marts/record_quarantine_summary.sql",
]
AS_OF_YEAR = 2026  # open-ended programmes run to this year: fixed, so no result depends on today's date


def build(tmp_path, rows) -> dict[str, pd.DataFrame]:
    workbook(tmp_path / "records" / "org.xlsx", rows)
    return marts_from(tmp_path)


def marts_from(tmp_path) -> dict[str, pd.DataFrame]:
    """Ingest tmp_path/records and run the real staging and marts SQL over it."""
    load = ingest(tmp_path / "records", key=TEST_KEY, known_lad_codes=LADS)
    warehouse = Warehouse(tmp_path / "work.duckdb", tmp_path / "pub.duckdb")
    with warehouse.connect() as con:
        write_landing(con, load, "fp")
        for step in STEPS:
            Warehouse.run(
                con,
                step,
                {"min_people": MIN_PEOPLE}
                if "measures" in step or "people_linked" in step
                else {"as_of_year": AS_OF_YEAR}
                if "programme_years" in step
                else {},
            )
        return {
            "measures": con.execute("SELECT * FROM marts.record_measures").df(),
            "summary": con.execute("SELECT * FROM marts.record_quarantine_summary").df(),
        }


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
        (a, y) for a in ("E06000015", "E06000018") for y in (2023, 2024, 2025)
    }
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
    row = summary[(summary.table_name == "activities") & (summary.kind == "wrong_type")].iloc[0]
    assert (row.column_name, row.problems, row.rows_read, row.rows_quarantined) == ("participants", 1, 3, 1)
    assert set(summary.columns) == {
        "file_id",
        "table_name",
        "column_name",
        "kind",
        "problems",
        "rows_read",
        "rows_loaded",
        "rows_quarantined",
        "example_data",
    }


def test_quarantine_summary_publishes_no_file_sheet_or_header_names(tmp_path):
    """File names, sheet titles and unknown headers can hold people's names: the mart has none of them."""
    rows = valid_rows()
    rows["activities"][0]["participants"] = "twelve"
    workbook(tmp_path / "records" / "Jane Smith 07700 900123.xlsx", rows)
    edit_sheet(
        tmp_path / "records" / "Jane Smith 07700 900123.xlsx",
        "contributors",
        lambda ws: ws.cell(1, ws.max_column + 1, "Mobile of PERSON-001"),
    )
    path = tmp_path / "records" / "Jane Smith 07700 900123.xlsx"
    wb = openpyxl.load_workbook(path)
    wb.create_sheet("Notes about John Doe")
    wb.save(path)
    summary = marts_from(tmp_path)["summary"]
    text = summary.to_csv()
    for secret in ("Jane", "Smith", "07700", "John Doe", "Mobile", "PERSON-001", "twelve", ".xlsx"):
        assert secret not in text
    assert set(summary["kind"]) == {"wrong_type", "dangling_reference", "extra_column", "unknown_sheet"}
    assert summary["file_id"].str.match(r"^f_[0-9a-f]{12}$").all() and summary["file_id"].nunique() == 1
    assert summary.loc[summary.kind == "extra_column", "column_name"].isna().all()
    assert summary.loc[summary.kind == "unknown_sheet", "table_name"].isna().all()


def test_a_programme_is_never_running_in_a_year_that_has_not_come():
    """A planned end date after this year counts to this year only (the example records had
    "programmes running" in 2027 on pages built in 2026); no end date runs to this year."""
    con = duckdb.connect()
    con.execute("CREATE SCHEMA staging")
    con.execute(
        "CREATE TABLE staging.records_programmes AS SELECT * FROM (VALUES ('P1', DATE '2025-04-01', DATE '2027-03-31'), "
        "('P2', DATE '2026-01-01', NULL), ('P3', DATE '2024-04-01', DATE '2025-03-31')) AS t(programme_id, start_date, end_date)"
    )
    con.execute(
        "CREATE TABLE staging.records_programme_areas AS SELECT * FROM (VALUES ('P1', 'E06000018'), "
        "('P2', 'E06000018'), ('P3', 'E06000015')) AS t(programme_id, area_code)"
    )
    Warehouse.run(con, "staging/records_programme_years.sql", {"as_of_year": AS_OF_YEAR})
    years = set(con.execute("SELECT programme_id, year FROM staging.records_programme_years").fetchall())
    assert years == {("P1", 2025), ("P1", 2026), ("P2", 2026), ("P3", 2024), ("P3", 2025)}
