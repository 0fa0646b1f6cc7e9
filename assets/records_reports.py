"""Inclusion Reports per organisation and year, built from the typed records staging models.

staging: names, target groups, framework points, participant feedback -> marts.organisation_*
(counts, hours and money; people counts below MIN_PEOPLE suppressed). See docs/records.md.
"""
from __future__ import annotations

import dagster as dg

from sources.records.frameworks import FRAMEWORKS
from sources.records.privacy import MIN_PEOPLE

from .checks import build_sql_check
from .sqlstep import STG, sql_asset

LANDING = dg.AssetKey(["landing", "records"])
REPORT_MARTS = ("organisation_reports", "organisation_measures", "organisation_programmes",
                "organisation_frameworks", "organisation_self_assessment")


def builtin_framework_points() -> list[dict]:
    """The built-in frameworks' points with titles, bound as $builtin_points."""
    return [{"framework_id": fid, "point_number": n, "label": label, "framework_title": title}
            for fid, (title, points) in FRAMEWORKS.items() for n, label in points.items()]


def _sql(schema: str, name: str, deps: list, description: str, params: dict | None = None):
    return sql_asset(schema, name, deps, description, params=(lambda _inclusion: params) if params else None)


_TYPED = [STG(n) for n in ("records_organisations", "records_programmes", "records_programme_areas",
                           "records_programme_partners", "records_programme_years", "records_activities",
                           "records_influence_log", "records_contributors", "records_framework_register",
                           "records_self_assessments")]
_STAGING = [STG(n) for n in ("records_public_names", "records_programme_target_groups",
                             "records_framework_points", "records_participant_feedback")]

report_assets = [
    _sql("staging", "records_public_names", [LANDING], "Public names of organisations and programmes."),
    _sql("staging", "records_programme_target_groups", [LANDING], "The groups each programme is for."),
    _sql("staging", "records_framework_points", [LANDING],
         "Every framework point: built-in ones and any an organisation added.",
         {"builtin_points": builtin_framework_points()}),
    _sql("staging", "records_participant_feedback", [LANDING, STG("records_activities"), STG("records_programmes"),
                                                     STG("records_organisations")],
         "Participant feedback answer counts per statement, with programme, organisation, area and year."),
    *(_sql("marts", name, [LANDING, *_TYPED, *_STAGING],
           f"Inclusion Report ({name.removeprefix('organisation_')}) per organisation and year; people counts "
           f"below {MIN_PEOPLE} suppressed.", {"min_people": MIN_PEOPLE} if name in ("organisation_reports",
                                                                                       "organisation_measures") else None)
      for name in REPORT_MARTS),
]

# Area views for the area pages: all 14 Place Standard themes, and activities by stage, method and group.
# They roll LADs up to groupings (staging.lad_rollup), so they run with the IG+ steps (assets/igplus.py).
LAD_ROLLUP = STG("lad_rollup")
area_assets = [
    _sql("marts", "place_standard", [LANDING, STG("records_place_surveys"), LAD_ROLLUP],
         f"All 14 Place Standard themes per area and year, respondent-weighted; fewer than {MIN_PEOPLE} "
         "respondents suppressed (and the groupings holding them).", {"min_people": MIN_PEOPLE}),
    _sql("marts", "activity_profile", [LANDING, STG("records_activities"), STG("records_programme_target_groups"),
                                       LAD_ROLLUP],
         "Involvement activities per area and year by stage, method and target group, with the share at "
         "co-design or above."),
]

report_checks = [
    build_sql_check("organisation_people_suppressed", dg.AssetKey(["marts", "organisation_measures"]),
                    {"min_people": MIN_PEOPLE}),
]
area_checks = [
    build_sql_check("place_standard_people_suppressed", dg.AssetKey(["marts", "place_standard"]),
                    {"min_people": MIN_PEOPLE}),
]
