"""A made-up organisation fills the template for two programmes over two years; the records branch
runs under Dagster; its Inclusion Report reads as a council officer or board member would read it."""

from __future__ import annotations

import datetime as dt

import dagster as dg
import pandas as pd

from assets.records import records_assets, records_checks
from dashboards import org_report
from dashboards.pages import plain_text
from sources.records.model import PLACE_THEMES

from ..unit.test_records_fixtures import workbook
from .test_records_pipeline import resource  # noqa: F401 - the fixture

d = dt.date
SECRET = "NAME-OF-A-PERSON-SENTINEL"


def made_up_organisation() -> dict[str, list[dict]]:
    acts, recs, feedback = [], [], []
    for n, (programme, year, stage, step, people) in enumerate(
        [
            ("MU-P1", 2023, "design", 6, 12),
            ("MU-P1", 2023, "delivery", 4, 9),
            ("MU-P2", 2023, "governance", 7, 3),
            ("MU-P1", 2024, "commissioning", 7, 10),
            ("MU-P2", 2024, "evaluation", 5, 8),
            ("MU-P2", 2024, "governance", 6, 6),
        ],
        start=1,
    ):
        acts.append(
            {
                "activity_id": f"MU-A{n}",
                "programme_id": programme,
                "activity_date": d(year, 3 + n, 2),
                "local_authority_code": "E06000018",
                "stage": stage,
                "method": "workshop",
                "ladder_step": step,
                "participants": people,
                "participants_lived_experience": people - (5 if n == 4 else 1),
                "hours": 2,
                "notice_days": 14,
                "payment": "paid",
                "payment_amount_gbp": 25 * people,
                "notes": SECRET,
            }
        )
        recs.append(
            {
                "recommendation_id": f"MU-R{n}",
                "activity_id": f"MU-A{n}",
                "recommendation": SECRET,
                "decision": "adopted" if n % 2 else "pending",
                "decision_date": d(year, 9, 30),  # after every activity of its year (the latest: 2 September)
                "fed_back_date": d(year, 3 + n, 30) if n % 2 else None,
                "action_taken": SECRET,
            }
        )
    for year in (2023, 2024):
        for s, statement in enumerate(
            ("could_say_what_i_wanted", "listened_to", "told_what_happened", "worth_my_time"), start=1
        ):
            feedback.append(
                {
                    "feedback_id": f"MU-F{year}-{s}",
                    "activity_id": None,
                    "programme_id": "MU-P1",
                    "collected_date": d(year, 11, 1),
                    "statement": statement,
                    "strongly_disagree": 1,
                    "disagree": 2 + s,
                    "neither": 2,
                    "agree": 6,
                    "strongly_agree": 4,
                }
            )
    return {
        "organisations": [
            {
                "organisation_id": "MU-ORG",
                "organisation_name": "Made-up Inclusion Trust",
                "sector": "voluntary",
                "local_authority_code": "E06000018",
                "inclusion_defined": True,
                "inclusion_defined_date": d(2023, 2, 1),
                "inclusion_definition": SECRET,
            }
        ],
        "programmes": [
            {
                "programme_id": p,
                "programme_name": f"Made-up programme {p[-1]}",
                "lead_organisation_id": "MU-ORG",
                "local_authority_codes": ["E06000018"],
                "target_groups": ["care_leavers"],
                "budget_gbp": 40000,
                "start_date": d(2023, 1, 1),
                "end_date": d(2024, 12, 31),
                "description": SECRET,
            }
            for p in ("MU-P1", "MU-P2")
        ],
        "activities": acts,
        "influence_log": recs,
        "contributors": [
            {
                "contributor_id": f"{SECRET}-{k}",
                "organisation_id": "MU-ORG",
                "first_involved": d(2023, 2, 1),
                "last_involved": d(2024, 10, 1),
                "training_hours": 3,
            }
            for k in range(7)
        ],
        "framework_register": [
            {
                "organisation_id": "MU-ORG",
                "assessment_date": d(y, 3, 31),
                "framework_id": f,
                "signed_up": y == 2024 or f == "east_midlands_checklist",
                "written_inclusion_policy": True,
                "coproduction_commitment": True,
                "inclusion_in_commissioning": y == 2024,
                "inclusion_in_procurement": False,
            }
            for y in (2023, 2024)
            for f in ("east_midlands_checklist", "oxfordshire_inclusive_employment")
        ],
        "self_assessments": [
            {
                "organisation_id": "MU-ORG",
                "assessment_date": d(y, 3, 31),
                "framework_id": "east_midlands_checklist",
                "point_number": p,
                "rating": ("planned" if y == 2023 else "met") if p <= 4 else "in_progress",
                "evidence": SECRET,
            }
            for y in (2023, 2024)
            for p in range(1, 12)
        ],
        "participant_feedback": feedback,
        "place_surveys": [
            {
                "survey_id": "MU-S1",
                "local_authority_code": "E06000018",
                "survey_date": d(2024, 6, 1),
                "respondents": 25,
                **{t: 4 for t in PLACE_THEMES},
            }
        ],
    }


def test_inclusion_report_for_a_made_up_organisation(tmp_path, resource):  # noqa: F811
    workbook(tmp_path / "records" / "made_up.xlsx", made_up_organisation())
    result = dg.materialize([*records_assets, *records_checks], resources=resource.resources(), raise_on_error=False)
    assert result.success
    assert all(e.passed for e in result.get_asset_check_evaluations())
    with resource.warehouse.connect() as con:
        problems = con.execute("SELECT * FROM landing.records_problems").df()
        rd = org_report.ReportData(*(con.execute(f"SELECT * FROM marts.{t}").df() for t in org_report.TABLES))
        everything = pd.concat([con.execute(f"SELECT * FROM marts.{t}").df().astype(str) for t in org_report.TABLES])
    assert problems.empty, problems.to_string()
    page, charts = org_report.build_page(rd, "MU-ORG", {"E06000018": "Nottingham"}, example=False)
    words = plain_text(page)

    for year in (2023, 2024):  # every section, both years
        assert f"Inclusion Report {year}" in words
        for heading in (
            "Programmes and areas served",
            "Involvement at all levels",
            "Time and money invested in lived experience",
            "You said, we did",
            "Frameworks and policies",
            "Self-assessment, point by point",
            "What participants said",
        ):
            assert page.count(f"<h3>{heading}</h3>") == 2
    assert charts == ["chart-stage-2024", "chart-stage-2023"]
    assert page.count('class="chart-spec"') == 2 and page.count("<table") >= 14  # a table behind each chart
    assert "It has agreed what inclusion means for it (on 1 February 2023)" in words
    assert "Made-up programme 1" in words and "Made-up programme 2" in words and "Nottingham" in words
    # change since last year, point by point
    assert (
        "East Midlands Inclusion Checklist (One East Midlands, 2018): 4 of 11 points met; 4 better and 0 lower" in words
    )
    assert "1. Co-produce with people who are excluded Met Planned Better" in words
    # sign-up per framework
    assert "Partnering for inclusive employment, Oxfordshire: six principles No" in words
    # participants' own ratings: 10 of 16 to 19 agree, 6 to 9 do not: shares shown
    assert "I was listened to 17 59%" in words
    # people figures: 2023 had 24 participants, shown; 21 with lived experience is hidden because it
    # would give away the 3 without; small counts never shown
    assert "People taking part: 24; of them with lived experience of exclusion: hidden to protect small" in words
    assert "People taking part: 24; of them with lived experience of exclusion: 17" in words  # 2024: 7 without
    measures = rd.measures
    people = measures[measures.counts_people]
    assert not (people.value < 5).any()
    assert "@media print" in open(org_report.__file__.replace("org_report.py", "report.css")).read()
    # nothing personal anywhere in the report or its marts
    assert SECRET not in page and SECRET not in everything.to_csv()
