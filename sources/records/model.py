"""The co-production records data model, as data: tables, columns, types, rules and references.

Everything else (the template, the reader, validation, the landing tables, docs/records.md) is
driven from TABLES, so a column added here appears everywhere at once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

# Column kinds. 'free_text' is never loaded anywhere; 'contributor_id' is pseudonymised on ingestion.
KINDS = (
    "id",
    "text",
    "free_text",
    "contributor_id",
    "integer",
    "number",
    "date",
    "yes_no",
    "choice",
    "lad_code",
    "reference",
)

SECTORS = ("public", "private", "voluntary", "community", "education")
STAGES = ("agenda_setting", "design", "commissioning", "delivery", "evaluation", "governance")
METHODS = (
    "workshop",
    "survey",
    "interview",
    "focus_group",
    "advisory_group",
    "board_membership",
    "peer_research",
    "co_design_session",
    "citizens_panel",
    "other",
)
PAYMENT = ("paid", "offered_declined", "not_offered")
DECISIONS = ("adopted", "partly", "rejected", "pending")
RATINGS = ("not_started", "planned", "in_progress", "partly_met", "met")
TARGET_GROUPS = (
    "homeless_people",
    "low_income_households",
    "disabled_people",
    "young_people",
    "older_people",
    "ethnic_minority_communities",
    "refugees_and_migrants",
    "care_leavers",
    "people_with_multiple_needs",
    "carers",
    "lgbtq_people",
    "unemployed_people",
    "people_in_recovery",
    "other",
)

# Participant feedback: four statements about taking part, each answered on a fixed five-point
# agreement scale; the template holds counts of answers, never one row per person.
FEEDBACK_QUESTIONS = {
    "could_say_what_i_wanted": "I could say what I wanted",
    "listened_to": "I was listened to",
    "told_what_happened": "I was told what happened",
    "worth_my_time": "It was worth my time",
}
AGREEMENT_SCALE = {
    "strongly_disagree": "Strongly disagree",
    "disagree": "Disagree",
    "neither": "Neither agree nor disagree",
    "agree": "Agree",
    "strongly_agree": "Strongly agree",
}

# Think Local Act Personal ladder of co-production, steps 1 (lowest) to 7 (highest).
LADDER = {
    1: "coercion",
    2: "educating",
    3: "informing",
    4: "consultation",
    5: "engagement",
    6: "co-design",
    7: "co-production",
}

# Place Standard Tool: 14 themes, each scored 1 (lots of room to improve) to 7 (little room).
PLACE_THEMES = (
    "moving_around",
    "public_transport",
    "traffic_and_parking",
    "streets_and_spaces",
    "natural_space",
    "play_and_recreation",
    "facilities_and_services",
    "work_and_local_economy",
    "housing_and_community",
    "social_contact",
    "identity_and_belonging",
    "feeling_safe",
    "care_and_maintenance",
    "influence_and_sense_of_control",
)

# framework_register rows without a framework_id (workbooks made before the column existed) are
# about the East Midlands Inclusion Framework, the framework the register was first written for.
DEFAULT_FRAMEWORK = "east_midlands_checklist"

LAD_PATTERN = re.compile(r"^E0[6789]\d{6}$")  # English unitary, district, metropolitan, London
LIST_SEPARATOR = ";"


@dataclass(frozen=True)
class Column:
    name: str
    kind: str
    required: bool = False
    help: str = ""
    choices: tuple = ()  # for 'choice' (and lists of choices)
    minimum: float | None = None
    maximum: float | None = None
    references: str | None = None  # "table.column" for 'reference'
    many: bool = False  # several values in one cell, separated by ';'

    @property
    def loaded(self) -> bool:
        """Free text never leaves the workbook: it is not read into any table."""
        return self.kind != "free_text"


@dataclass(frozen=True)
class Table:
    name: str
    title: str
    help: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]  # unique across the whole records directory
    same_duplicates_ok: bool = False  # identical repeats allowed (framework points in every template)
    checks: tuple[str, ...] = field(default=())  # names of the rules in validation.py (row_rules, table_rules_sql)

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]


def _count(name, help, required=True, maximum=None):
    return Column(name, "integer", required, help, minimum=0, maximum=maximum)


def _gbp(name, help):
    return Column(name, "number", False, help + " (GBP, no pence needed)", minimum=0)


def _yes(name, help, required=True):
    return Column(name, "yes_no", required, help)


TABLES: tuple[Table, ...] = (
    Table(
        "organisations",
        "Organisations",
        "Every organisation named anywhere in these records: lead and partner organisations.",
        (
            Column("organisation_id", "id", True, "A short code you choose, e.g. NOTTS-CT. Unique."),
            Column("organisation_name", "text", True, "The organisation's public name."),
            Column("sector", "choice", True, "The organisation's sector.", choices=SECTORS),
            Column(
                "local_authority_code",
                "lad_code",
                False,
                "GSS code of the local authority where it is based, e.g. E06000018 (Nottingham).",
            ),
            _yes("inclusion_defined", "Has the organisation agreed what inclusion means for it?", required=False),
            Column("inclusion_defined_date", "date", False, "When that definition was agreed."),
            Column(
                "inclusion_definition",
                "free_text",
                False,
                "Your definition of inclusion (kept in your file only; never loaded).",
            ),
        ),
        key=("organisation_id",),
        checks=("definition_date_needs_definition",),
    ),
    Table(
        "programmes",
        "Programmes",
        "One row per programme or project.",
        (
            Column("programme_id", "id", True, "A short code you choose, e.g. NOTTS-P1. Unique."),
            Column("programme_name", "text", True, "The programme's public name."),
            Column(
                "lead_organisation_id",
                "reference",
                True,
                "The lead organisation's id (Organisations).",
                references="organisations.organisation_id",
            ),
            Column(
                "partner_organisation_ids",
                "reference",
                False,
                "Partner organisations' ids, separated by ';'.",
                references="organisations.organisation_id",
                many=True,
            ),
            Column(
                "local_authority_codes",
                "lad_code",
                True,
                "GSS codes of the local authorities served, separated by ';'.",
                many=True,
            ),
            Column(
                "target_groups",
                "choice",
                False,
                "Groups the programme is for, separated by ';'.",
                choices=TARGET_GROUPS,
                many=True,
            ),
            _gbp("budget_gbp", "Total budget"),
            Column("start_date", "date", True, "First day, as a date (e.g. 2024-04-01)."),
            Column("end_date", "date", False, "Last day, if known; not before the start date."),
            Column("description", "free_text", False, "Optional notes for yourselves; never loaded."),
        ),
        key=("programme_id",),
        checks=("end_not_before_start",),
    ),
    Table(
        "activities",
        "Involvement activities",
        "Each time people with lived experience were involved in a programme.",
        (
            Column("activity_id", "id", True, "A short code you choose. Unique."),
            Column(
                "programme_id",
                "reference",
                True,
                "The programme's id (Programmes).",
                references="programmes.programme_id",
            ),
            Column("activity_date", "date", True, "The date it took place."),
            Column(
                "local_authority_code",
                "lad_code",
                True,
                "GSS code of the local authority it took place in (one the programme serves).",
            ),
            Column("stage", "choice", True, "The programme stage.", choices=STAGES),
            Column("method", "choice", True, "How people were involved.", choices=METHODS),
            Column(
                "ladder_step",
                "integer",
                True,
                "Co-production ladder step 1-7: " + ", ".join(f"{k} {v}" for k, v in LADDER.items()) + ".",
                minimum=1,
                maximum=7,
            ),
            _count("participants", "How many people took part."),
            _count("participants_lived_experience", "How many of them have lived experience of exclusion."),
            Column("hours", "number", False, "Length of the activity in hours.", minimum=0, maximum=1000),
            _count("notice_days", "Days of notice given to participants.", required=False, maximum=3650),
            Column("payment", "choice", True, "Were participants paid for their time?", choices=PAYMENT),
            _gbp("payment_amount_gbp", "Total paid to participants"),
            Column("notes", "free_text", False, "Optional notes for yourselves; never loaded."),
        ),
        key=("activity_id",),
        checks=("lived_not_above_participants", "amount_only_if_paid", "activity_area_served"),
    ),
    Table(
        "influence_log",
        "Influence log (you said, we did)",
        "Each recommendation participants made, what was decided and when they were told.",
        (
            Column("recommendation_id", "id", True, "A short code you choose. Unique."),
            Column(
                "activity_id",
                "reference",
                True,
                "The activity it came from (Involvement activities).",
                references="activities.activity_id",
            ),
            Column("recommendation", "free_text", True, "What was recommended (kept in your file only)."),
            Column("decision", "choice", True, "What was decided.", choices=DECISIONS),
            Column("decision_date", "date", False, "When it was decided."),
            Column("fed_back_date", "date", False, "When participants were told the outcome."),
            Column("action_taken", "free_text", False, "What was done (kept in your file only)."),
        ),
        key=("recommendation_id",),
        checks=("after_activity",),
    ),
    Table(
        "contributors",
        "Contributors",
        "People with lived experience who took part, by an id you keep. NO NAMES anywhere.",
        (
            Column(
                "contributor_id",
                "contributor_id",
                True,
                "Your own reference for the person (not a name); scrambled with a secret key on loading.",
            ),
            Column(
                "organisation_id",
                "reference",
                True,
                "The organisation that works with them.",
                references="organisations.organisation_id",
            ),
            Column("first_involved", "date", True, "Date of their first involvement."),
            Column("last_involved", "date", False, "Date of their latest involvement."),
            Column("training_hours", "number", False, "Hours of training they received.", minimum=0, maximum=10000),
        ),
        key=("contributor_id",),
        checks=("last_not_before_first",),
    ),
    Table(
        "framework_register",
        "Framework register",
        "Per organisation, framework and date: sign-up and commitments. One row per framework signed "
        f"(or considered); an empty framework_id means {DEFAULT_FRAMEWORK}.",
        (
            Column(
                "organisation_id",
                "reference",
                True,
                "The organisation's id.",
                references="organisations.organisation_id",
            ),
            Column("assessment_date", "date", True, "The date these answers describe."),
            Column(
                "framework_id",
                "reference",
                False,
                f"The framework these answers are about (see Framework points); empty means {DEFAULT_FRAMEWORK}.",
                references="framework_points.framework_id",
            ),
            _yes("signed_up", "Signed up to this framework (or charter)?"),
            _yes("written_inclusion_policy", "Has a written inclusion policy?"),
            _yes("policy_co_designed", "Was the policy co-designed with people who use your services?", required=False),
            _yes("coproduction_commitment", "Committed to co-production?"),
            _yes("inclusion_in_commissioning", "Inclusion goals in commissioning?"),
            _yes("inclusion_in_procurement", "Inclusion goals in procurement?"),
            _gbp("community_investment_gbp", "Invested in local community groups this year"),
        ),
        key=("organisation_id", "assessment_date", "framework_id"),
        checks=("policy_needs_policy",),
    ),
    Table(
        "self_assessments",
        "Self-assessments",
        "Per organisation, date and framework point: how far you meet it, and your evidence.",
        (
            Column(
                "organisation_id",
                "reference",
                True,
                "The organisation's id.",
                references="organisations.organisation_id",
            ),
            Column("assessment_date", "date", True, "The date of the assessment."),
            Column(
                "framework_id",
                "reference",
                True,
                "The framework (see Framework points).",
                references="framework_points.framework_id",
            ),
            Column("point_number", "integer", True, "The point's number in that framework.", minimum=1, maximum=100),
            Column("rating", "choice", True, "How far the point is met.", choices=RATINGS),
            Column("evidence", "free_text", False, "Your evidence (kept in your file only)."),
        ),
        key=("organisation_id", "assessment_date", "framework_id", "point_number"),
        checks=("framework_point_known",),
    ),
    Table(
        "framework_points",
        "Framework points",
        "The frameworks' points. Built-in ones are filled in; add rows to define your own framework.",
        (
            Column("framework_id", "id", True, "A short code for the framework, e.g. east_midlands_checklist."),
            Column("point_number", "integer", True, "The point's number.", minimum=1, maximum=100),
            Column("label", "text", True, "A short label for the point."),
        ),
        key=("framework_id", "point_number"),
        same_duplicates_ok=True,
    ),
    Table(
        "participant_feedback",
        "Participant feedback (anonymous)",
        "What people said about taking part, as counts of answers: one row per activity (or programme), "
        "date and statement. Collect it anonymously; never one row per person.",
        (
            Column("feedback_id", "id", True, "A short code you choose. Unique."),
            Column(
                "activity_id",
                "reference",
                False,
                "The activity it is about (Involvement activities); or leave empty and give the programme.",
                references="activities.activity_id",
            ),
            Column(
                "programme_id",
                "reference",
                False,
                "The programme it is about, when not about one activity (Programmes).",
                references="programmes.programme_id",
            ),
            Column("collected_date", "date", True, "When the answers were collected."),
            Column(
                "statement",
                "choice",
                True,
                "The statement people answered: "
                + "; ".join(f"{k} = '{v}'" for k, v in FEEDBACK_QUESTIONS.items())
                + ".",
                choices=tuple(FEEDBACK_QUESTIONS),
            ),
            *(_count(answer, f"How many answered '{label}'.") for answer, label in AGREEMENT_SCALE.items()),
        ),
        key=("feedback_id",),
        checks=("feedback_activity_or_programme", "feedback_has_answers", "after_activity"),
    ),
    Table(
        "place_surveys",
        "Place surveys",
        "Place Standard Tool results per area and date: 14 themes scored 1-7.",
        (
            Column("survey_id", "id", True, "A short code you choose. Unique."),
            Column("local_authority_code", "lad_code", True, "GSS code of the local authority."),
            Column("place_name", "text", False, "The neighbourhood or place (no personal details)."),
            Column("survey_date", "date", True, "When the survey closed."),
            _count("respondents", "How many people responded."),
            *(
                Column(
                    theme, "number", True, f"Average score for '{theme.replace('_', ' ')}', 1-7.", minimum=1, maximum=7
                )
                for theme in PLACE_THEMES
            ),
        ),
        key=("survey_id",),
    ),
)

TABLES_BY_NAME = {t.name: t for t in TABLES}
# The order references are resolved in: a table after every table it points to.
LOAD_ORDER = (
    "organisations",
    "framework_points",
    "programmes",
    "activities",
    "influence_log",
    "contributors",
    "framework_register",
    "self_assessments",
    "participant_feedback",
    "place_surveys",
)
assert set(LOAD_ORDER) == set(TABLES_BY_NAME)

FREE_TEXT_COLUMNS = sorted({c.name for t in TABLES for c in t.columns if c.kind == "free_text"})
CONTRIBUTOR_COLUMNS = sorted({c.name for t in TABLES for c in t.columns if c.kind == "contributor_id"})
# Column names that must never appear in marts (and in the published warehouse).
PRIVATE_COLUMNS = sorted(set(FREE_TEXT_COLUMNS) | set(CONTRIBUTOR_COLUMNS) | {"contributor_pseudonym"})
