"""Frameworks as data: sign-up per framework (with the documented default), the Kirklees points, and
an organisation's definition of inclusion (yes/no and date; the text never loaded)."""

from __future__ import annotations

import datetime as dt

import pytest

from assets.records import write_landing
from assets.warehouse import Warehouse
from sources.records import ingest
from sources.records.docs import PAGE, with_model
from sources.records.frameworks import FRAMEWORKS, builtin_points
from sources.records.model import DEFAULT_FRAMEWORK, TABLES_BY_NAME

from .test_records_fixtures import FREE_TEXT, LADS, TEST_KEY, edit_sheet, valid_rows, workbook


def _load(tmp_path, rows=None, edit=None):
    path = workbook(tmp_path / "records" / "org.xlsx", rows)
    if edit:
        edit_sheet(path, *edit)
    return ingest(tmp_path / "records", key=TEST_KEY, known_lad_codes=LADS)


def _staged(tmp_path, load) -> dict:
    warehouse = Warehouse(tmp_path / "work.duckdb", tmp_path / "pub.duckdb")
    with warehouse.connect() as con:
        write_landing(con, load, "fp")
        for step in ("staging/records_organisations.sql", "staging/records_framework_register.sql"):
            Warehouse.run(con, step)
        return {
            t: con.execute(f"SELECT * FROM staging.records_{t}").df() for t in ("organisations", "framework_register")
        }


def _register(**changes) -> dict:
    rows = valid_rows()
    rows["framework_register"] = [dict(rows["framework_register"][0], **c) for c in changes.pop("each")]
    return rows


def test_sign_up_is_per_framework(tmp_path):
    rows = _register(
        each=[
            {"framework_id": "east_midlands_checklist", "signed_up": True},
            {"framework_id": "oxfordshire_inclusive_employment", "signed_up": False},
        ]
    )
    load = _load(tmp_path, rows)
    assert not load.problems
    staged = _staged(tmp_path, load)["framework_register"]
    signed = dict(zip(staged["framework_id"], staged["signed_up"]))
    assert signed == {"east_midlands_checklist": True, "oxfordshire_inclusive_employment": False}


def test_empty_framework_means_the_documented_default(tmp_path):
    rows = _register(each=[{"framework_id": None}])
    staged = _staged(tmp_path, _load(tmp_path, rows))["framework_register"]
    assert list(staged["framework_id"]) == [DEFAULT_FRAMEWORK] == ["east_midlands_checklist"]
    assert DEFAULT_FRAMEWORK in TABLES_BY_NAME["framework_register"].help


def test_workbook_from_before_the_framework_column_still_loads(tmp_path):
    def drop_framework_column(ws):
        header = [c.value for c in ws[1]]
        ws.delete_cols(header.index("framework_id") + 1)

    load = _load(tmp_path, edit=("framework_register", drop_framework_column))
    assert [p.kind for p in load.problems] == ["missing_column"]
    assert "taken as empty" in load.problems[0].message
    assert len(load.tables["framework_register"]) == 1
    staged = _staged(tmp_path, load)["framework_register"]
    assert list(staged["framework_id"]) == ["east_midlands_checklist"]


def test_unknown_framework_is_a_row_level_problem(tmp_path):
    load = _load(tmp_path, _register(each=[{"framework_id": "no_such_framework"}]))
    [problem] = load.problems
    assert (problem.sheet, problem.row, problem.column, problem.kind) == (
        "framework_register",
        2,
        "framework_id",
        "dangling_reference",
    )
    assert "framework_points" in problem.allowed
    assert load.tables["framework_register"].empty and len(load.quarantine) == 1


def test_same_framework_twice_on_one_date_is_a_duplicate(tmp_path):
    load = _load(tmp_path, _register(each=[{"framework_id": "east_midlands_checklist"}] * 2))
    assert [(p.row, p.kind) for p in load.problems] == [(3, "duplicate_id")]


def test_definition_of_inclusion_recorded_without_its_text(tmp_path):
    rows = valid_rows()
    rows["organisations"][0].update(
        inclusion_defined=True,
        inclusion_defined_date=dt.date(2023, 9, 1),
        inclusion_definition=FREE_TEXT + " definition",
    )
    load = _load(tmp_path, rows)
    assert not load.problems
    assert "inclusion_definition" not in load.tables["organisations"].columns
    orgs = _staged(tmp_path, load)["organisations"].set_index("organisation_id")
    assert bool(orgs.loc["T-ORG", "inclusion_defined"]) is True
    assert orgs.loc["T-ORG", "inclusion_defined_date"].date() == dt.date(2023, 9, 1)
    assert FREE_TEXT not in load.quarantine.to_csv()


def test_definition_date_without_a_definition_is_inconsistent(tmp_path):
    rows = valid_rows()
    rows["organisations"][0].update(inclusion_defined=False, inclusion_defined_date=dt.date(2023, 9, 1))
    load = _load(tmp_path, rows)
    problem = next(p for p in load.problems if p.sheet == "organisations")
    assert (problem.row, problem.column, problem.kind) == (2, "inclusion_defined_date", "inconsistent")


def test_kirklees_points_are_worded_not_placeholders():
    _, points = FRAMEWORKS["kirklees_inclusive_communities"]
    assert len(points) == 8
    assert sum(label.startswith("Principle:") for label in points.values()) == 3
    assert sum(label.startswith("Approach:") for label in points.values()) == 5
    assert not any("confirm" in p["label"] or "placeholder" in p["label"].lower() for p in builtin_points())


@pytest.mark.parametrize("table", ["organisations", "framework_register"])
def test_records_page_documents_the_model(table):
    page = PAGE.read_text(encoding="utf-8")
    assert page == with_model(page), "docs/records.md is out of date: run python -m sources.records.docs"
    assert f"### `{table}`" in page
