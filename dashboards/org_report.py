"""Inclusion Reports: one printable page per organisation, from the marts.organisation_* tables.

Every year the organisation has records for is one report section: programmes and areas served,
involvement by stage and ladder step, hours and money invested in lived experience, "you said, we
did", frameworks and policies, the self-assessment point by point with the change since the previous
one, and participants' own ratings. The marts already suppress small counts of people; a figure that
arrives empty is said to be hidden, and a year with too few participants says so instead of showing
figures about people. Every chart has its table beneath it.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from functools import cached_property

import pandas as pd

from sources.records.model import FEEDBACK_QUESTIONS, LADDER, RATINGS

from . import figures, warehouse
from .components import Column, chart_figure, data_table, esc, notice
from .pages import layout

TABLES = (
    "organisation_reports",
    "organisation_measures",
    "organisation_programmes",
    "organisation_frameworks",
    "organisation_self_assessment",
)
FOLDER = "organisations"
PREFIX = "../"
MIN_PEOPLE = 5
HIDDEN = "hidden to protect small numbers"
RATING_WORDS = {
    "not_started": "Not started",
    "planned": "Planned",
    "in_progress": "In progress",
    "partly_met": "Partly met",
    "met": "Met",
}
CHANGE_WORDS = {"better": "Better", "same": "No change", "worse": "Lower", "first": "First assessment"}
DECISION_WORDS = {
    "adopted": "Adopted",
    "partly": "Partly adopted",
    "rejected": "Not adopted",
    "pending": "Not yet decided",
}
YES_NO = {True: "Yes", False: "No"}


@dataclass
class ReportData:
    reports: pd.DataFrame
    measures: pd.DataFrame
    programmes: pd.DataFrame
    frameworks: pd.DataFrame
    self_assessment: pd.DataFrame

    @cached_property  # read by every area page: computed once per build
    def organisations(self) -> pd.DataFrame:
        """One row per organisation (its latest year's header), by name."""
        latest = self.reports.sort_values("year").groupby("organisation_id", as_index=False).last()
        return latest.sort_values(["organisation_name", "organisation_id"]).reset_index(drop=True)


def load(con) -> ReportData | None:
    """The report marts, or None when this warehouse has none (older builds)."""
    present = warehouse.marts_tables(con)
    if not all(t in present for t in TABLES):
        return None
    return ReportData(*(warehouse.read_table(con, t) for t in TABLES))


def page_path(organisation_id: str) -> str:
    """organisations/<slug>-<hash>.html: readable, and distinct even for ids that slug alike."""
    slug = re.sub(r"[^a-z0-9]+", "-", str(organisation_id).lower()).strip("-")[:40] or "organisation"
    return f"{FOLDER}/{slug}-{hashlib.sha256(str(organisation_id).encode()).hexdigest()[:6]}.html"


def serving(rd: ReportData, lads: list[str], cache: dict | None = None) -> pd.DataFrame:
    """Organisations whose programmes serve any of these local authorities (any year).
    cache: a per-build dict keeping each report's areas (served and home) between calls."""
    cache = {} if cache is None else cache
    if "report_areas" not in cache:
        served = rd.reports["areas_served"].fillna("").map(lambda s: set(s.split(";")))
        cache["report_areas"] = [
            (org, areas | {home})
            for org, areas, home in zip(rd.reports["organisation_id"], served, rd.reports["home_area_code"])
        ]
    wanted = set(lads)
    codes = {org for org, areas in cache["report_areas"] if wanted & areas}
    return rd.organisations[rd.organisations["organisation_id"].isin(codes)]


def links_section(orgs: pd.DataFrame, place: str, prefix: str) -> str:
    """A list of Inclusion Report links (for the index and area pages)."""
    if orgs.empty:
        return ""
    items = "".join(
        f'<li><a href="{prefix}{page_path(r.organisation_id)}">{esc(r.organisation_name)}</a> '
        f"({esc(_sector(r.sector))})</li>"
        for r in orgs.itertuples()
    )
    return (
        '<section aria-labelledby="reports-title"><h2 id="reports-title">Inclusion Reports</h2>'
        f"<p>Organisations working in {esc(place)} report each year how they involve people with lived "
        f"experience of exclusion. Open a report to read it or print it.</p><ul>{items}</ul></section>"
    )


def build_page(
    rd: ReportData, organisation_id: str, area_names: dict[str, str], *, example: bool, built_at: str = ""
) -> tuple[str, list[str]]:
    """The page's HTML and its chart ids."""
    header = rd.reports[rd.reports["organisation_id"] == organisation_id].sort_values("year", ascending=False)
    first = header.iloc[0]
    name = first.organisation_name if isinstance(first.organisation_name, str) else organisation_id
    parts = [
        f'<p class="kind">Inclusion Report</p><h1>{esc(name)}</h1>',
        f"<p>{esc(_sector(first.sector).capitalize())} organisation"
        + (
            f" based in {esc(area_names.get(first.home_area_code, first.home_area_code))}"
            if isinstance(first.home_area_code, str)
            else ""
        )
        + ". "
        + _definition(first)
        + "</p>",
        '<p class="no-print"><button type="button" onclick="window.print()">Print this report</button></p>',
    ]
    if example:
        parts.append(notice("These records are example data, made up for testing: do not quote them.", "warning"))
    years = [int(y) for y in header["year"]]
    parts.append(
        '<nav aria-label="Years in this report" class="no-print"><p>Years: '
        + ", ".join(f'<a href="#year-{y}">{y}</a>' for y in years)
        + "</p></nav>"
    )
    charts = []
    for row in header.itertuples():
        html, ids = _year_section(rd, organisation_id, int(row.year), row, area_names)
        parts.append(html)
        charts += ids
    page = layout(
        f"Inclusion Report: {name}",
        "".join(parts),
        prefix=PREFIX,
        example_data=example,
        charts=bool(charts),
        built_at=built_at,
        current="",
    )
    page = page.replace("</head>", f'<link rel="stylesheet" href="{PREFIX}assets/report.css">\n</head>', 1)
    return page, charts


def _definition(row) -> str:
    defined = _truth(row.inclusion_defined)
    if defined is True:
        when = row.inclusion_defined_date
        return (
            "It has agreed what inclusion means for it"
            + (f" (on {pd.Timestamp(when).strftime('%-d %B %Y')})" if not pd.isna(when) else "")
            + "."
        )
    if defined is False:
        return "It has not yet agreed what inclusion means for it."
    return "It has not said whether it has agreed what inclusion means for it."


def _truth(value) -> bool | None:
    return None if value is None or pd.isna(value) else bool(value)


def _text(value) -> str:
    return value if isinstance(value, str) else ""


def _sector(sector) -> str:
    return str(sector) if isinstance(sector, str) else "an"


class _Year:
    """The measures of one organisation and year, looked up by measure and breakdown."""

    def __init__(self, rows: pd.DataFrame):
        self.rows = rows
        self.cells = {(r.measure, r.breakdown if isinstance(r.breakdown, str) else None): r for r in rows.itertuples()}

    def get(self, measure: str, breakdown: str | None = None):
        row = self.cells.get((measure, breakdown))
        return None if row is None or pd.isna(row.value) else row.value

    def shown(self, measure: str, breakdown: str | None = None, fmt: str = "{:,.0f}") -> str:
        row = self.cells.get((measure, breakdown))
        if row is None:
            return "none recorded"
        if pd.isna(row.value):
            return HIDDEN if row.observation_status == "suppressed" else "not recorded"
        return fmt.format(row.value)

    def breakdowns(self, measure: str) -> dict[str, float]:
        return {
            r.breakdown: r.value
            for r in self.rows.itertuples()
            if r.measure == measure and isinstance(r.breakdown, str)
        }


def _year_section(rd: ReportData, org: str, year: int, header, area_names: dict[str, str]) -> tuple[str, list[str]]:
    m = _Year(rd.measures[(rd.measures["organisation_id"] == org) & (rd.measures["year"] == year)])
    too_few = bool(_truth(header.too_few_participants))
    parts = [
        f'<section class="report-year" id="year-{year}" aria-labelledby="year-{year}-title">'
        f'<h2 id="year-{year}-title">Inclusion Report {year}</h2>'
    ]
    if too_few and header.involvement_activities:
        parts.append(
            notice(
                f"Fewer than {MIN_PEOPLE} people took part in {year}, so figures about people "
                "(numbers, hours, payments, training and ratings) are not shown, to protect them.",
                "info",
            )
        )
    parts.append(_programmes(rd, org, year, header, area_names))
    answers = any(
        ((t["organisation_id"] == org) & (t["year"] == year)).any() for t in (rd.frameworks, rd.self_assessment)
    )
    if set(m.rows["section"]) <= {"programmes"} and not answers:
        parts.append(
            f"<p>Nothing else was recorded for {year}: no involvement activities, recommendations, "
            "framework answers, self-assessment or participant feedback.</p></section>"
        )
        return "".join(parts), []
    involvement, charts = _involvement(m, year, org)
    parts += [
        involvement,
        _investment(m, year, too_few),
        _influence(m, year),
        _frameworks(rd, org, year),
        _self_assessment(rd, org, year),
        _voice(m, year, too_few),
        "</section>",
    ]
    return "".join(parts), charts


def _programmes(rd: ReportData, org: str, year: int, header, area_names: dict[str, str]) -> str:
    rows = rd.programmes[(rd.programmes["organisation_id"] == org) & (rd.programmes["year"] == year)]
    head = "<h3>Programmes and areas served</h3>"
    if rows.empty:
        return head + f"<p>No programme of this organisation was running in {year}.</p>"
    areas = [area_names.get(c, c) for c in _text(header.areas_served).split(";") if c]
    body = [
        [
            r.programme_name if isinstance(r.programme_name, str) else r.programme_id,
            "Lead" if r.role == "lead" else "Partner",
            ", ".join(area_names.get(c, c) for c in _text(r.areas_served).split(";") if c),
            ", ".join(g.replace("_", " ") for g in _text(r.target_groups).split(";") if g) or "not stated",
        ]
        for r in rows.itertuples()
    ]
    return (
        head + f"<p>In {year} it took part in {len(rows)} programme{'s' if len(rows) != 1 else ''}, serving "
        f"{esc(', '.join(areas) or 'no recorded area')}.</p>"
        + data_table(
            f"table-programmes-{year}",
            f"Programmes in {year}",
            [Column("Programme"), Column("Role"), Column("Areas served"), Column("For")],
            body,
        )
    )


def _involvement(m: _Year, year: int, org: str) -> tuple[str, list[str]]:
    head = "<h3>Involvement at all levels</h3>"
    total = m.get("activities")
    if not total:
        return head + f"<p>No involvement activities were recorded for {year}.</p>", []
    stages = m.breakdowns("activities_by_stage")
    high = m.breakdowns("activities_codesign_or_above_by_stage")
    order = [
        s for s in ("agenda_setting", "design", "commissioning", "delivery", "evaluation", "governance") if s in stages
    ]
    top = [int(high.get(s, 0) or 0) for s in order]
    rest = [int(stages[s]) - t for s, t in zip(order, top)]
    labels = [s.replace("_", " ").capitalize() for s in order]
    chart_id = f"chart-stage-{year}"
    spec = figures.stacked_bars(
        labels,
        {"Co-design or co-production (steps 6-7)": top, "Informing to engagement (steps 1-5)": rest},
        "Involvement activities",
    )
    codesign = sum(top)
    text = (
        f"In {year} there were {int(total)} involvement activities; {codesign} reached co-design or "
        f"co-production. Stages with any at that level: "
        + (", ".join(lbl.lower() for lbl, t in zip(labels, top) if t) or "none")
        + "."
    )
    steps = m.breakdowns("activities_by_ladder_step")
    step_rows = [[f"{k} {LADDER[k]}", int(steps.get(str(k), 0) or 0)] for k in LADDER]
    methods = m.breakdowns("activities_by_method")
    html = (
        head
        + chart_figure(
            chart_id,
            f"Involvement activities by stage, {year}",
            figures.chart_html(chart_id, spec, PREFIX),
            text,
            kind="bar",
        )
        + data_table(
            f"table-stage-{year}",
            f"Involvement activities by stage, {year}",
            [Column("Stage"), Column("Steps 6-7", True), Column("Steps 1-5", True)],
            [[lbl, t, r] for lbl, t, r in zip(labels, top, rest)],
        )
        + data_table(
            f"table-ladder-{year}",
            f"Involvement activities by ladder step, {year}",
            [Column("Ladder step"), Column("Activities", True)],
            step_rows,
        )
        + data_table(
            f"table-method-{year}",
            f"Involvement activities by method, {year}",
            [Column("Method"), Column("Activities", True)],
            [[k.replace("_", " ").capitalize(), int(v)] for k, v in sorted(methods.items())],
        )
        + f"<p>People taking part: {esc(m.shown('participants'))}; of them with lived experience of "
        f"exclusion: {esc(m.shown('participants_lived_experience'))}. Active contributors: "
        f"{esc(m.shown('contributors_active'))}.</p>"
    )
    return html, [chart_id]


def _investment(m: _Year, year: int, too_few: bool) -> str:
    rows = [
        [
            "Hours given by people with lived experience (hours x people)",
            m.shown("lived_experience_hours", fmt="{:,.1f}"),
        ],
        ["Paid to participants (GBP)", m.shown("payments_gbp", fmt="£{:,.0f}")],
        ["Activities where people were paid or offered payment", m.shown("activities_paid_or_offered")],
        ["Training hours of active contributors", m.shown("contributor_training_hours", fmt="{:,.1f}")],
        ["Contributors trained", m.shown("contributors_trained")],
    ]
    return "<h3>Time and money invested in lived experience</h3>" + data_table(
        f"table-investment-{year}",
        f"Investment in lived experience, {year}",
        [Column("Measure"), Column("Value", True)],
        rows,
    )


def _influence(m: _Year, year: int) -> str:
    made = m.get("recommendations")
    head = "<h3>You said, we did</h3>"
    if not made:
        return head + f"<p>No recommendations were recorded for {year}.</p>"
    decisions = m.breakdowns("recommendations_by_decision")
    days = m.get("median_days_to_feedback")
    text = (
        f"<p>People made {int(made)} recommendation{'s' if made != 1 else ''}. {int(m.get('recommendations_fed_back') or 0)} "
        f"had the decision fed back to them, {int(m.get('recommendations_fed_back_within_90_days') or 0)} within "
        "90 days of the activity" + (f"; half were told within {int(days)} days" if days is not None else "") + ".</p>"
    )
    return (
        head
        + text
        + data_table(
            f"table-decisions-{year}",
            f"What was decided, {year}",
            [Column("Decision"), Column("Recommendations", True)],
            [[DECISION_WORDS.get(k, k), int(decisions.get(k, 0) or 0)] for k in DECISION_WORDS],
        )
    )


def _frameworks(rd: ReportData, org: str, year: int) -> str:
    rows = rd.frameworks[(rd.frameworks["organisation_id"] == org) & (rd.frameworks["year"] == year)]
    head = "<h3>Frameworks and policies</h3>"
    if rows.empty:
        return head + f"<p>No framework answers were recorded in {year}.</p>"
    yes = lambda v: "Not answered" if _truth(v) is None else YES_NO[_truth(v)]  # noqa: E731
    body = [
        [
            r.framework_title,
            yes(r.signed_up),
            yes(r.written_inclusion_policy),
            yes(r.policy_co_designed),
            yes(r.coproduction_commitment),
            yes(r.inclusion_in_commissioning),
            yes(r.inclusion_in_procurement),
        ]
        for r in rows.itertuples()
    ]
    return head + data_table(
        f"table-frameworks-{year}",
        f"Framework sign-ups and policies, {year}",
        [
            Column("Framework"),
            Column("Signed up"),
            Column("Written inclusion policy"),
            Column("Policy co-designed"),
            Column("Committed to co-production"),
            Column("Inclusion in commissioning"),
            Column("Inclusion in procurement"),
        ],
        body,
    )


def _self_assessment(rd: ReportData, org: str, year: int) -> str:
    sa = rd.self_assessment[(rd.self_assessment["organisation_id"] == org) & (rd.self_assessment["year"] == year)]
    head = "<h3>Self-assessment, point by point</h3>"
    if sa.empty:
        return head + f"<p>No self-assessment was recorded in {year}.</p>"
    latest = sa[sa["assessment_date"] == sa.groupby("framework_id")["assessment_date"].transform("max")]
    parts = [head]
    for framework, rows in latest.groupby("framework_id", sort=True):
        rows = rows.sort_values("point_number")
        title = rows["framework_title"].iloc[0]
        counts = rows["change"].value_counts()
        parts.append(
            f"<p>{esc(title)}: {int((rows['rating'] == 'met').sum())} of {len(rows)} points met; "
            f"{int(counts.get('better', 0))} better and {int(counts.get('worse', 0))} lower than the "
            "previous assessment.</p>"
        )
        body = [
            [
                f"{int(r.point_number)}. {r.point_label if isinstance(r.point_label, str) else ''}",
                RATING_WORDS.get(r.rating, r.rating),
                RATING_WORDS.get(r.previous_rating, "") if isinstance(r.previous_rating, str) else "",
                CHANGE_WORDS.get(r.change, r.change),
            ]
            for r in rows.itertuples()
        ]
        parts.append(
            data_table(
                f"table-sa-{re.sub(r'[^a-z0-9]+', '-', str(framework).lower())}-{year}",
                f"{title}: rating of each point, {year}",
                [Column("Point"), Column("Rating"), Column("Previous rating"), Column("Change")],
                body,
            )
        )
    return "".join(parts)


def _voice(m: _Year, year: int, too_few: bool) -> str:
    head = "<h3>What participants said</h3>"
    answered = {s for s in FEEDBACK_QUESTIONS if (("feedback_answers", s) in m.cells)}
    if not answered:
        return head + f"<p>No participant feedback was recorded for {year}.</p>"
    body = [
        [label, m.shown("feedback_answers", s), m.shown("feedback_agree_pct", s, "{:.0f}%")]
        for s, label in FEEDBACK_QUESTIONS.items()
        if s in answered
    ]
    return (
        head + "<p>Answers on a five-point scale from strongly disagree to strongly agree, collected "
        "anonymously. A share is shown only when at least 5 people agreed and at least 5 did not.</p>"
        + data_table(
            f"table-voice-{year}",
            f"Participants' own ratings, {year}",
            [Column("Statement"), Column("Answers", True), Column("Agree or strongly agree", True)],
            body,
        )
    )


assert set(RATING_WORDS) == set(RATINGS)
