"""Inclusion Reports per organisation and year, built from the typed records staging models.

staging: names, target groups, framework points, participant feedback -> marts.organisation_*
(counts, hours and money; people counts below MIN_PEOPLE suppressed). See docs/records.md.
"""

from __future__ import annotations

import dagster as dg

from sources.records.frameworks import FRAMEWORKS
from sources.records.privacy import MIN_PEOPLE

from .checks import build_sql_check
from .sqlstep import sql_asset

LANDING = dg.AssetKey(["landing", "records"])
REPORT_MARTS = (
    "organisation_reports",
    "organisation_measures",
    "organisation_programmes",
    "organisation_frameworks",
    "organisation_self_assessment",
)


def builtin_framework_points() -> list[dict]:
    """The built-in frameworks' points with titles, bound as $builtin_points."""
    return [
        {"framework_id": fid, "point_number": n, "label": label, "framework_title": title}
        for fid, (title, points) in FRAMEWORKS.items()
        for n, label in points.items()
    ]


def _sql(schema: str, name: str, description: str, params: dict | None = None):
    return sql_asset(schema, name, description, params=params)


report_assets = [
    _sql("staging", "records_public_names", "Public names of organisations and programmes."),
    _sql("staging", "records_programme_target_groups", "The groups each programme is for."),
    _sql(
        "staging",
        "records_framework_points",
        "Every framework point: built-in ones and any an organisation added.",
        {"builtin_points": builtin_framework_points()},
    ),
    _sql(
        "staging",
        "records_participant_feedback",
        "Participant feedback answer counts per statement, with programme, organisation, area and year.",
    ),
    *(
        _sql(
            "marts",
            name,
            f"Inclusion Report ({name.removeprefix('organisation_')}) per organisation and year; people counts "
            f"below {MIN_PEOPLE} suppressed.",
            {"min_people": MIN_PEOPLE} if name in ("organisation_reports", "organisation_measures") else None,
        )
        for name in REPORT_MARTS
    ),
]

# Area views for the area pages: all 14 Place Standard themes, and activities by stage, method and group.
# They roll LADs up to groupings (intermediate.lad_rollup), so they run with the IG+ steps (assets/igplus.py).
area_assets = [
    _sql(
        "marts",
        "place_standard",
        f"All 14 Place Standard themes per area and year, respondent-weighted; fewer than {MIN_PEOPLE} "
        "respondents suppressed (and the groupings holding them).",
        {"min_people": MIN_PEOPLE},
    ),
    _sql(
        "marts",
        "activity_profile",
        "Involvement activities per area and year by stage, method and target group, with the share at "
        "co-design or above.",
    ),
]

report_checks = [
    build_sql_check(
        "organisation_people_suppressed", dg.AssetKey(["marts", "organisation_measures"]), {"min_people": MIN_PEOPLE}
    ),
]
area_checks = [
    build_sql_check(
        "place_standard_people_suppressed", dg.AssetKey(["marts", "place_standard"]), {"min_people": MIN_PEOPLE}
    ),
]
