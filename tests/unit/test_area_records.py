"""Area views of the records: all 14 Place Standard themes per area and year (compass chart and
table, small numbers hidden, groupings too), and activities by stage, method and target group."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pandas as pd
import pytest

from assets.warehouse import Warehouse
from dashboards import area_records
from dashboards.pages import plain_text
from sources.records.model import PLACE_THEMES

from .records_reports_build import build_reports, run_steps  # noqa: F401 - run_steps used below
from .test_records_fixtures import valid_rows

AREAS = pd.DataFrame({"area_code": ["E06000018", "E06000015", "E12000004"], "area_type": ["lad", "lad", "region"]})
GROUPINGS = pd.DataFrame(
    {"lad_code": ["E06000018", "E06000015"], "grouping_code": ["E12000004"] * 2, "grouping_type": ["region"] * 2}
)


def _surveys() -> list[dict]:
    base = valid_rows()["place_surveys"][0]
    return [
        dict(base, survey_id="S23", survey_date=dt.date(2023, 5, 1), respondents=30, **{t: 3.0 for t in PLACE_THEMES}),
        dict(base, survey_id="S24", survey_date=dt.date(2024, 5, 1), respondents=10, **{t: 4.0 for t in PLACE_THEMES}),
        dict(base, survey_id="S24b", survey_date=dt.date(2024, 9, 1), respondents=30, **{t: 6.0 for t in PLACE_THEMES}),
        dict(
            base,
            survey_id="D24",
            local_authority_code="E06000015",
            survey_date=dt.date(2024, 5, 1),
            respondents=3,
            **{t: 2.0 for t in PLACE_THEMES},
        ),
    ]


@pytest.fixture(scope="module")
def marts(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("area")
    rows = valid_rows()
    rows["place_surveys"] = _surveys()
    reports = build_reports(tmp, rows)
    with Warehouse(tmp / "work.duckdb", tmp / "pub.duckdb").connect() as con:
        Warehouse.replace_table(con, "marts", "areas", AREAS)
        Warehouse.replace_table(con, "marts", "area_groupings", GROUPINGS)
        Warehouse.run(con, "intermediate/lad_rollup.sql")
        for mart in ("place_standard", "activity_profile"):
            Warehouse.run(con, f"marts/{mart}.sql", {"min_people": 5} if mart == "place_standard" else {})
        check = Warehouse.frame(con, "checks/place_standard_people_suppressed.sql", {"min_people": 5})
        return {m: con.execute(f"SELECT * FROM marts.{m}").df() for m in ("place_standard", "activity_profile")} | {
            "check": check,
            "reports": reports,  # the organisations' report marts of the same records
        }


def test_all_fourteen_themes_respondent_weighted(marts):
    ps = marts["place_standard"]
    notts = ps[(ps.area_code == "E06000018")]
    assert set(notts.theme) == set(PLACE_THEMES) and len(notts) == 28
    y24 = notts[notts.year == 2024]
    assert (y24.score == 5.5).all() and (y24.respondents == 40).all()  # (10x4 + 30x6) / 40
    assert (y24.surveys == 2).all() and str(y24.last_survey_date.iloc[0])[:10] == "2024-09-01"


def test_few_respondents_hidden_and_the_grouping_holding_them_too(marts):
    ps = marts["place_standard"]
    derby = ps[(ps.area_code == "E06000015") & (ps.year == 2024)]
    assert derby.score.isna().all() and (derby.observation_status == "suppressed").all()
    region = ps[(ps.area_code == "E12000004") & (ps.year == 2024)]
    assert region.score.isna().all() and region.respondents.isna().all()
    assert ps[(ps.area_code == "E12000004") & (ps.year == 2023)].score.notna().all()
    assert marts["check"].empty


def test_activities_by_stage_method_and_target_group(marts):
    ap = marts["activity_profile"].set_index(["area_code", "year", "dimension", "category"])
    assert ap.loc[("E06000018", 2023, "stage", "design"), "activities_codesign_or_above"] == 1
    assert ap.loc[("E06000018", 2024, "stage", "governance"), "codesign_or_above_pct"] == 100
    assert ap.loc[("E12000004", 2023, "target_group", "care_leavers"), "activities"] == 2
    assert ap.loc[("E92000001", 2023, "method", "workshop"), "activities"] == 1


def test_compass_chart_is_the_tools_own_with_a_table_behind_it(marts):
    ps = marts["place_standard"]
    html, charts = area_records.place_section(ps[ps.area_code == "E06000018"], "Nottingham")
    assert charts == ["chart-place-standard"]
    spec = area_records.compass_spec(ps[(ps.area_code == "E06000018") & ps.score.notna()], [2023, 2024])
    assert [t["type"] for t in spec["data"]] == ["scatterpolar", "scatterpolar"]
    assert len(spec["data"][0]["theta"]) == 15 and spec["data"][0]["theta"][0] == spec["data"][0]["theta"][-1]
    assert spec["layout"]["polar"]["radialaxis"]["range"] == [1, 7]
    assert "40 people rated Nottingham on all 14 Place Standard themes" in html
    assert "Since 2023, moving around changed most upwards (+2.5)" in html
    assert html.count("<tr>") == 1 + 14 + 1  # header, 14 themes, people who answered


def test_hidden_years_are_said_not_drawn(marts):
    ps = marts["place_standard"]
    html, charts = area_records.place_section(ps[ps.area_code == "E06000015"], "Derby")
    assert charts == [] and "fewer than 5 people answered" in html and "<table" not in html


def test_profile_section_compares_decisions_with_delivery(marts):
    ap = marts["activity_profile"]
    html = area_records.profile_section(ap[ap.area_code == "E06000018"], "Nottingham")
    assert "100% of the 1 activity in commissioning and governance reached co-design" in html
    assert "none was recorded in delivery" in html
    assert 'id="table-profile-target_group"' in html


def test_area_page_sections_link_the_organisations_serving_it(marts):
    sd = SimpleNamespace(name=lambda code: "Derby", members={"E06000015": ["E06000015"]}, cache={})
    reports = marts["reports"]
    from dashboards.org_report import ReportData, page_path

    rd = ReportData(
        *(
            reports[t]
            for t in (
                "organisation_reports",
                "organisation_measures",
                "organisation_programmes",
                "organisation_frameworks",
                "organisation_self_assessment",
            )
        )
    )
    html, charts = area_records.sections({"place_standard": None, "activity_profile": None}, rd, sd, "E06000015")
    assert f'href="../{page_path("T-ORG")}"' in html and f'href="../{page_path("T-PART")}"' in html
    assert area_records.with_chart_scripts("<head></head>", True).count("plotly.min.js") == 1


def test_a_grouping_says_which_of_its_authorities_its_records_come_from(marts):
    """A region's Place Standard and activity profile from some of its districts say which, and
    example records are marked in each section (not only in the site's banner)."""
    names = {"E06000018": "Nottingham", "E06000015": "Derby", "E06000016": "Leicester", "E12000004": "East Midlands"}
    sd = SimpleNamespace(
        name=names.get,
        members={"E12000004": ["E06000015", "E06000016", "E06000018"]},
        cache={},
        records_example=True,
    )
    extra = {"place_standard": marts["place_standard"], "activity_profile": marts["activity_profile"]}
    html, _ = area_records.sections(extra, None, sd, "E12000004")
    text = plain_text(html)
    assert "These survey results are example data, not real returns." in text
    assert "These records are example data, not real returns." in text
    place = text[text.index("Place Standard") :]
    assert (
        "These figures come from surveys of people here in only 1 of its 3 local authorities (Nottingham) in 2023"
        in place
    )
    assert "so they are not figures for the whole of the East Midlands." in place
    assert "These figures come from records of involvement activities in only " in text
    # A local authority's own page says nothing of the kind.
    sd.members["E06000018"] = ["E06000018"]
    assert "These figures come from" not in plain_text(area_records.sections(extra, None, sd, "E06000018")[0])
