"""Inclusion Report marts per organisation and year: sections, change since the previous
self-assessment, participants' own ratings, and disclosure control."""

from __future__ import annotations

import datetime as dt

import pytest

from sources.records.model import RATINGS

from .records_reports_build import build_reports
from .test_records_fixtures import valid_rows, with_feedback


def value(measures, org, year, measure, breakdown=None):
    rows = measures[(measures.organisation_id == org) & (measures.year == year) & (measures.measure == measure)]
    rows = rows[rows.breakdown.isna()] if breakdown is None else rows[rows.breakdown == breakdown]
    [row] = rows.itertuples()
    return row


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The report marts of one workbook (with feedback and an earlier self-assessment), and the
    folder of the work database they are in."""
    rows = with_feedback(valid_rows())
    earlier = [
        dict(r, assessment_date=dt.date(2023, 3, 31), rating=rating)
        for r, rating in zip(rows["self_assessments"], ["met", "planned", "partly_met"])
    ]
    rows["self_assessments"] += earlier
    folder = tmp_path_factory.mktemp("reports")
    return build_reports(folder, rows), folder


@pytest.fixture(scope="module")
def reports(built):
    return built[0]


def test_one_report_per_organisation_and_year(reports):
    header = reports["organisation_reports"].set_index(["organisation_id", "year"])
    assert {(o, y) for o, y in header.index} >= {("T-ORG", 2023), ("T-ORG", 2024), ("T-PART", 2023)}
    org = header.loc[("T-ORG", 2023)]
    assert org.organisation_name == "Test Trust" and org.home_area_code == "E06000018"
    assert org.areas_served == "E06000015;E06000018"
    assert org.involvement_activities == 2 and not org.too_few_participants  # 12 + 3 participants
    assert header.loc[("T-PART", 2023)].too_few_participants  # a partner, no activities


def test_involvement_by_stage_and_ladder_step(reports):
    m = reports["organisation_measures"]
    assert value(m, "T-ORG", 2023, "activities_by_stage", "design").value == 1
    assert value(m, "T-ORG", 2023, "activities_by_ladder_step", "6").value == 1
    assert value(m, "T-ORG", 2023, "activities_codesign_or_above_by_stage", "design").value == 1
    assert value(m, "T-ORG", 2023, "activities_codesign_or_above_by_stage", "evaluation").value == 0
    assert value(m, "T-ORG", 2024, "activities_by_stage", "governance").value == 1


def test_hours_and_money_invested(reports):
    m = reports["organisation_measures"]
    # 2.5 hours x 7 lived-experience participants + 1 hour x 2
    assert value(m, "T-ORG", 2023, "lived_experience_hours").value == pytest.approx(19.5)
    assert value(m, "T-ORG", 2023, "payments_gbp").value == 240
    assert value(m, "T-ORG", 2023, "contributor_training_hours").value == 24  # six people x 4 hours
    # all six active contributors were trained: "trained" would give back the 0 untrained
    trained = value(m, "T-ORG", 2023, "contributors_trained")
    assert trained.value != trained.value and trained.observation_status == "suppressed"
    # 9 of 15, 6 without; but Nottingham shows 7 of its 12, so 9 would give back Derby's hidden 2
    lived = value(m, "T-ORG", 2023, "participants_lived_experience")
    assert lived.value != lived.value and lived.observation_status == "suppressed"


def test_you_said_we_did_with_feedback_times(reports):
    m = reports["organisation_measures"]
    assert value(m, "T-ORG", 2023, "recommendations").value == 2
    assert value(m, "T-ORG", 2023, "recommendations_by_decision", "adopted").value == 1
    assert value(m, "T-ORG", 2023, "recommendations_fed_back").value == 1
    assert value(m, "T-ORG", 2023, "median_days_to_feedback").value == 61  # 1 June -> 1 August


def test_small_counts_of_people_are_suppressed(reports):
    m = reports["organisation_measures"]
    people = m[m.counts_people]
    assert not (people.value < 5).any()
    assert (people[people.value.isna()].observation_status == "suppressed").all()
    # 2024: one activity with 8 people, shown; 2023: 15 participants, 12 in Nottingham (shown there)
    # and 3 in Derby (hidden there): 15 - 12 would give Derby's 3 back, so the 15 is hidden too
    assert value(m, "T-ORG", 2024, "participants").value == 8
    participants = value(m, "T-ORG", 2023, "participants")
    assert participants.value != participants.value and participants.observation_status == "suppressed"


def test_too_few_participants_hides_every_figure_about_people(tmp_path):
    rows = with_feedback(valid_rows())
    rows["activities"] = [dict(a, participants=2, participants_lived_experience=1) for a in rows["activities"]]
    m = build_reports(tmp_path, rows)["organisation_measures"]
    year = m[(m.organisation_id == "T-ORG") & (m.year == 2023)]
    assert year.too_few_participants.all()
    about_people = year[
        year.measure.isin(
            [
                "participants",
                "lived_experience_hours",
                "payments_gbp",
                "contributors_active",
                "contributor_training_hours",
                "feedback_answers",
                "feedback_agree_pct",
            ]
        )
    ]
    assert len(about_people) >= 6 and about_people.value.isna().all()
    assert value(m, "T-ORG", 2023, "activities").value == 2  # counts of activities are not about people


def test_participants_ratings_split_only_when_both_sides_large_enough(reports):
    m = reports["organisation_measures"]
    # worth my time (whole programme): 11 agree of 16 -> shown; listened to: 9 of 11 (2 not) -> hidden
    assert value(m, "T-ORG", 2023, "feedback_answers", "worth_my_time").value == 16
    assert value(m, "T-ORG", 2023, "feedback_agreeing", "worth_my_time").value == 11
    assert value(m, "T-ORG", 2023, "feedback_agree_pct", "worth_my_time").value == pytest.approx(68.75)
    assert value(m, "T-ORG", 2023, "feedback_answers", "listened_to").value == 11
    for measure in ("feedback_agreeing", "feedback_not_agreeing", "feedback_agree_pct"):
        row = value(m, "T-ORG", 2023, measure, "listened_to")
        assert row.value is None or row.value != row.value
        assert row.observation_status == "suppressed"


def test_self_assessment_point_by_point_with_change(reports):
    sa = reports["organisation_self_assessment"]
    latest = sa[sa.assessment_date == "2024-03-31"].set_index("point_number")
    assert list(latest.change) == ["worse", "better", "same"]  # met->partly, planned->partly, same
    assert latest.loc[1, "previous_rating"] == "met"
    assert latest.loc[1, "point_label"] == "Co-produce with people who are excluded"
    assert latest.loc[1, "framework_title"].startswith("East Midlands")
    assert set(sa[sa.assessment_date == "2023-03-31"].change) == {"first"}


def test_rating_order_in_sql_matches_the_model():
    from pathlib import Path

    sql = (Path(__file__).resolve().parents[2] / "sql" / "marts" / "organisation_self_assessment.sql").read_text()
    assert [sql.index(f"('{r}', {i})") for i, r in enumerate(RATINGS)] == sorted(
        sql.index(f"('{r}', {i})") for i, r in enumerate(RATINGS)
    )


def test_framework_sign_ups_and_programmes(reports):
    fw = reports["organisation_frameworks"]
    [row] = fw.itertuples()
    assert (row.organisation_id, row.framework_id, bool(row.signed_up)) == ("T-ORG", "east_midlands_checklist", True)
    progs = reports["organisation_programmes"]
    roles = set(zip(progs.organisation_id, progs.role, progs.year))
    assert {("T-ORG", "lead", 2023), ("T-PART", "partner", 2024)} <= roles
    lead = progs[progs.organisation_id == "T-ORG"].iloc[0]
    assert lead.programme_name == "Test programme" and lead.target_groups == "care_leavers;homeless_people"


def test_nothing_personal_in_report_marts(reports):
    for name, frame in reports.items():
        if name == "problems":
            continue
        assert not any("contributor_pseudonym" == c or c in ("notes", "evidence", "description") for c in frame.columns)
        assert "FREETEXT-SENTINEL" not in frame.to_csv()
        assert "PERSON-" not in frame.to_csv()


def test_suppression_check_passes_on_the_marts_and_catches_a_leak(built, tmp_path):
    import shutil

    from assets.warehouse import Warehouse

    work = shutil.copyfile(built[1] / "work.duckdb", tmp_path / "w.duckdb")  # the module's marts, copied to change
    with Warehouse(work, tmp_path / "p.duckdb").connect() as con:
        assert Warehouse.frame(con, "checks/organisation_people_suppressed.sql", {"min_people": 5}).empty
        con.execute(
            "UPDATE marts.organisation_measures SET value = 6, observation_status = NULL "
            "WHERE measure = 'contributors_trained' AND organisation_id = 'T-ORG' AND year = 2023"
        )
        leaks = Warehouse.frame(con, "checks/organisation_people_suppressed.sql", {"min_people": 5})
    assert leaks[["measure", "value", "problem"]].values.tolist() == [["contributors_trained", 0, "total minus part"]]


def test_no_report_for_years_nobody_has_recorded_yet(reports):
    # T-P1 runs to March 2025, but the latest record of anyone is from 2024
    assert reports["organisation_reports"]["year"].max() == 2024
    assert 2025 in set(reports["organisation_programmes"]["year"])


def test_a_feedback_date_before_its_activity_is_not_within_90_days_nor_a_day_count(built, tmp_path):
    """T-R1 (activity 1 June 2023) recorded as fed back on 1 May 2023: a recording error, so neither
    "within 90 days" nor a negative median ("half were told within -31 days")."""
    import shutil

    from assets.warehouse import Warehouse

    work = shutil.copyfile(built[1] / "work.duckdb", tmp_path / "w.duckdb")  # the module's marts, copied to change
    with Warehouse(work, tmp_path / "p.duckdb").connect() as con:
        con.execute(
            "UPDATE staging.records_influence_log SET fed_back_date = DATE '2023-05-01' WHERE recommendation_id = 'T-R1'"
        )
        Warehouse.run(con, "marts/organisation_measures.sql", {"min_people": 5})
        m = con.execute("SELECT * FROM marts.organisation_measures").df()
    assert value(m, "T-ORG", 2023, "recommendations_fed_back").value == 1  # it was fed back, wrongly dated
    assert value(m, "T-ORG", 2023, "recommendations_fed_back_within_90_days").value == 0
    assert m[(m.organisation_id == "T-ORG") & (m.measure == "median_days_to_feedback")].empty
