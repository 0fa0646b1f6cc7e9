"""The template: one sheet per table, drop-down lists, plain-English instructions, CSV twin."""

from __future__ import annotations

import csv

import openpyxl

from sources.records import TABLES, write_template
from sources.records.frameworks import FRAMEWORKS


def test_template_workbook_and_csv_folder(tmp_path):
    xlsx, folder = write_template(tmp_path)
    wb = openpyxl.load_workbook(xlsx)
    assert wb.sheetnames == ["Instructions"] + [t.name for t in TABLES]
    assert all(wb[name].sheet_state == "visible" for name in wb.sheetnames)
    for table in TABLES:
        assert [c.value for c in wb[table.name][1]] == table.column_names
        with open(folder / f"{table.name}.csv", newline="") as handle:
            assert next(csv.reader(handle)) == table.column_names
    instructions = "\n".join(str(r[0].value) for r in wb["Instructions"].iter_rows() if r[0].value)
    assert "NEVER write anyone's name" in instructions and "6 = co-design" in instructions
    assert "inclusion records check" in instructions


def test_drop_down_lists_for_controlled_values(tmp_path):
    xlsx, _ = write_template(tmp_path)
    ws = openpyxl.load_workbook(xlsx)["activities"]
    lists = {str(dv.sqref).split(":")[0]: dv for dv in ws.data_validations.dataValidation}
    header = {c.value: c.column_letter for c in ws[1]}
    stage = lists[header["stage"] + "2"]
    assert stage.type == "list" and "agenda_setting" in stage.formula1 and "governance" in stage.formula1
    ladder = lists[header["ladder_step"] + "2"]
    assert (ladder.type, ladder.formula1, ladder.formula2) == ("whole", "1", "7")
    assert lists[header["payment"] + "2"].formula1 == '"paid,offered_declined,not_offered"'


def test_builtin_framework_points_are_filled_in(tmp_path):
    xlsx, _ = write_template(tmp_path)
    rows = list(openpyxl.load_workbook(xlsx)["framework_points"].iter_rows(min_row=2, values_only=True))
    counts = {fid: sum(1 for r in rows if r[0] == fid) for fid in FRAMEWORKS}
    assert counts == {
        "east_midlands_checklist": 11,
        "oxfordshire_inclusive_employment": 6,
        "kirklees_inclusive_communities": 8,
    }
