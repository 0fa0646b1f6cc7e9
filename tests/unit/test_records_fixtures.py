"""Shared builders for the records tests: a small valid record set and workbook writers."""

from __future__ import annotations

import copy
import datetime as dt
from pathlib import Path

import openpyxl

from sources.records import write_template_csvs, write_template_xlsx
from sources.records.frameworks import builtin_points
from sources.records.model import PLACE_THEMES, TABLES

TEST_KEY = b"unit-test-key-0123456789-abcdef"
LADS = {"E06000018", "E06000015", "E06000016", "E07000138"}
FREE_TEXT = "FREETEXT-SENTINEL"
PEOPLE = [f"PERSON-{i:03d}" for i in range(1, 7)]


def valid_rows() -> dict[str, list[dict]]:
    d = dt.date
    return copy.deepcopy(
        {
            "organisations": [
                {
                    "organisation_id": "T-ORG",
                    "organisation_name": "Test Trust",
                    "sector": "voluntary",
                    "local_authority_code": "E06000018",
                },
                {
                    "organisation_id": "T-PART",
                    "organisation_name": "Test College",
                    "sector": "education",
                    "local_authority_code": "E06000015",
                },
            ],
            "programmes": [
                {
                    "programme_id": "T-P1",
                    "programme_name": "Test programme",
                    "lead_organisation_id": "T-ORG",
                    "partner_organisation_ids": ["T-PART"],
                    "local_authority_codes": ["E06000018", "E06000015"],
                    "target_groups": ["homeless_people", "care_leavers"],
                    "budget_gbp": 50000,
                    "start_date": d(2023, 4, 1),
                    "end_date": d(2025, 3, 31),
                    "description": FREE_TEXT + " programme",
                }
            ],
            "activities": [
                {
                    "activity_id": "T-A1",
                    "programme_id": "T-P1",
                    "activity_date": d(2023, 6, 1),
                    "local_authority_code": "E06000018",
                    "stage": "design",
                    "method": "workshop",
                    "ladder_step": 6,
                    "participants": 12,
                    "participants_lived_experience": 7,
                    "hours": 2.5,
                    "notice_days": 14,
                    "payment": "paid",
                    "payment_amount_gbp": 240,
                    "notes": FREE_TEXT + " notes",
                },
                {
                    "activity_id": "T-A2",
                    "programme_id": "T-P1",
                    "activity_date": d(2023, 9, 1),
                    "local_authority_code": "E06000015",
                    "stage": "evaluation",
                    "method": "focus_group",
                    "ladder_step": 4,
                    "participants": 3,
                    "participants_lived_experience": 2,
                    "hours": 1,
                    "notice_days": 7,
                    "payment": "not_offered",
                    "payment_amount_gbp": None,
                    "notes": None,
                },
                {
                    "activity_id": "T-A3",
                    "programme_id": "T-P1",
                    "activity_date": d(2024, 2, 1),
                    "local_authority_code": "E06000018",
                    "stage": "governance",
                    "method": "board_membership",
                    "ladder_step": 7,
                    "participants": 8,
                    "participants_lived_experience": 8,
                    "hours": 3,
                    "notice_days": 21,
                    "payment": "offered_declined",
                    "payment_amount_gbp": None,
                    "notes": None,
                },
            ],
            "influence_log": [
                {
                    "recommendation_id": "T-R1",
                    "activity_id": "T-A1",
                    "recommendation": FREE_TEXT + " recommendation",
                    "decision": "adopted",
                    "decision_date": d(2023, 7, 1),
                    "fed_back_date": d(2023, 8, 1),
                    "action_taken": FREE_TEXT + " action",
                },
                {
                    "recommendation_id": "T-R2",
                    "activity_id": "T-A2",
                    "recommendation": FREE_TEXT + " rec 2",
                    "decision": "pending",
                    "decision_date": None,
                    "fed_back_date": None,
                    "action_taken": None,
                },
            ],
            "contributors": [
                {
                    "contributor_id": p,
                    "organisation_id": "T-ORG",
                    "first_involved": d(2023, 1, 1),
                    "last_involved": d(2024, 6, 1),
                    "training_hours": 4,
                }
                for p in PEOPLE
            ],
            "framework_register": [
                {
                    "organisation_id": "T-ORG",
                    "assessment_date": d(2024, 3, 31),
                    "signed_up": True,
                    "written_inclusion_policy": True,
                    "policy_co_designed": True,
                    "coproduction_commitment": True,
                    "inclusion_in_commissioning": True,
                    "inclusion_in_procurement": False,
                    "community_investment_gbp": 12000,
                }
            ],
            "self_assessments": [
                {
                    "organisation_id": "T-ORG",
                    "assessment_date": d(2024, 3, 31),
                    "framework_id": "east_midlands_checklist",
                    "point_number": n,
                    "rating": "partly_met",
                    "evidence": FREE_TEXT + " evidence",
                }
                for n in (1, 2, 3)
            ],
            "place_surveys": [
                {
                    "survey_id": "T-S1",
                    "local_authority_code": "E06000018",
                    "place_name": "Test ward",
                    "survey_date": d(2024, 5, 31),
                    "respondents": 40,
                    **{t: 4.5 for t in PLACE_THEMES},
                }
            ],
        }
    )


def related_tables(name: str) -> set[str]:
    """`name`, the tables it refers to and the tables that refer to it, each transitively: the only
    tables whose rows can change what `name`'s rows give. Every rule between tables follows a
    reference column (validation.references_sql, table_rules_sql: a programme's areas, a framework's
    points), and a quarantined row's dependants follow the references back. A test of one table's
    rows writes only these (each table of a workbook, or CSV file, costs the engine its statements
    even when its rows are fine)."""
    edges = {(table.name, col.references.split(".")[0]) for table in TABLES for col in table.columns if col.references}
    related = {name}
    for forward in (True, False):  # what it refers to, then what refers to it
        todo = [name]
        while todo:
            here = todo.pop()
            for source, target in edges:
                near, far = (source, target) if forward else (target, source)
                if near == here and far not in related:
                    related.add(far)
                    todo.append(far)
    return related


def related_rows(table: str) -> dict[str, list[dict]]:
    """valid_rows() of `table` and the tables related to it (related_tables) only."""
    related = related_tables(table)
    return {name: rows for name, rows in valid_rows().items() if name in related}


def with_feedback(rows: dict) -> dict:
    """rows plus participant feedback on activity T-A1 and on the whole programme T-P1."""
    d = dt.date
    rows["participant_feedback"] = [
        {
            "feedback_id": "T-F1",
            "activity_id": "T-A1",
            "programme_id": None,
            "collected_date": d(2023, 6, 1),
            "statement": "listened_to",
            "strongly_disagree": 0,
            "disagree": 1,
            "neither": 1,
            "agree": 4,
            "strongly_agree": 5,
        },
        {
            "feedback_id": "T-F2",
            "activity_id": None,
            "programme_id": "T-P1",
            "collected_date": d(2023, 12, 1),
            "statement": "worth_my_time",
            "strongly_disagree": 0,
            "disagree": 2,
            "neither": 3,
            "agree": 5,
            "strongly_agree": 6,
        },
    ]
    return rows


def workbook(path: Path, rows: dict | None = None) -> Path:
    return write_template_xlsx(path, valid_rows() if rows is None else rows)


def csv_folder(path: Path, rows: dict | None = None) -> Path:
    return write_template_csvs(path, valid_rows() if rows is None else rows)


def csv_files(path: Path, rows: dict) -> Path:
    """csv_folder without the header-only files of the tables that have no rows: such a file cost the
    engine its statements (about 50 ms per file and ingest) until 50f1b73, and still costs its
    reading in Python. (framework_points always
    has the built-in points, so its file stays. An empty file's own handling is tested on the full
    template: csv_folder writes participant_feedback.csv with no rows.)"""
    folder = csv_folder(path, rows)
    for file in folder.glob("*.csv"):
        if file.read_text(encoding="utf-8").count("\n") == 1:  # the header line only
            file.unlink()
    return folder


def related_csv_folder(path: Path, rows: dict, table: str) -> Path:
    """A CSV folder of `table`'s file and the files of the tables related to it (related_tables),
    with `rows` in them: no other file, since the engine's statements for each file cost it
    about as much as a small file's rows."""
    related = related_tables(table)
    folder = csv_folder(path, {name: table_rows for name, table_rows in rows.items() if name in related})
    for table_of in TABLES:
        if table_of.name not in related:
            (folder / f"{table_of.name}.csv").unlink()
    return folder


def edit_sheet(path: Path, sheet: str, edit) -> Path:
    """Open a written workbook, apply edit(worksheet), save."""
    wb = openpyxl.load_workbook(path)
    edit(wb[sheet])
    wb.save(path)
    return path


def expected_counts() -> dict[str, int]:
    rows = valid_rows()
    return {
        t: len(rows.get(t, [])) + (len(builtin_points()) if t == "framework_points" else 0)
        for t in (
            "organisations",
            "programmes",
            "activities",
            "influence_log",
            "contributors",
            "framework_register",
            "self_assessments",
            "framework_points",
            "participant_feedback",
            "place_surveys",
        )
    }
