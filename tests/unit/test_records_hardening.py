"""Hostile records input: each case gives a row- or file-level message naming file, sheet, row and
column (never a traceback), and read = loaded + quarantined still holds."""

from __future__ import annotations

import codecs
import os
import re
import zipfile

import openpyxl
import pytest

from sources.records import ingest
from sources.records.model import TABLES_BY_NAME

# Cases about one table's cells write that table and the tables related to it only (related_rows,
# related_csv_folder): the others' valid rows cannot change what the cell gives, and cost the engine
# about as much again.
from .test_records_fixtures import (
    LADS,
    PEOPLE,
    TEST_KEY,
    csv_folder,
    edit_sheet,
    related_csv_folder,
    related_rows,
    valid_rows,
    with_feedback,
    workbook,
)
from .test_records_ingest import assert_reconciles, column_of, problems_of


def load(root):
    return ingest(root, key=TEST_KEY, known_lad_codes=LADS)


def only(result, kind):
    [problem] = problems_of(result, kind)
    return problem


def set_cells(path, sheet, cells: dict):
    def edit(ws):
        for (row, column), value in cells.items():
            ws.cell(row, column_of(ws, column)).value = value

    return edit_sheet(path, sheet, edit)


@pytest.mark.parametrize("value, shown", [(1e20, "1e+20"), (2**63, "9.22337e+18"), ("1E+20", "1e+20"), (-5, "-5")])
def test_out_of_range_counts(tmp_path, value, shown):
    set_cells(workbook(tmp_path / "org.xlsx", related_rows("activities")), "activities", {(2, "participants"): value})
    result = load(tmp_path)
    problem = only(result, "out_of_range")
    assert (problem.file, problem.sheet, problem.row, problem.column) == ("org.xlsx", "activities", 2, "participants")
    assert problem.message == f"{shown} is out of range"
    assert problem.allowed in ("a whole number from 0 to 1e+15", "a whole number of at least 0")
    assert_reconciles(result)


@pytest.mark.parametrize("value", ["31/12/9999", "01/01/1600", "9999-12-31"])
def test_out_of_range_dates_in_a_csv(tmp_path, value):
    folder = related_csv_folder(tmp_path / "org_csv", valid_rows(), "activities")
    path = folder / "activities.csv"
    path.write_text(path.read_text().replace("2024-02-01", value, 1))
    result = load(tmp_path)
    problem = only(result, "out_of_range")
    assert (problem.file, problem.sheet, problem.row, problem.column) == (
        "org_csv/activities.csv",
        "activities",
        4,
        "activity_date",
    )
    assert problem.message == f"'{value}' is out of range" and "1900" in problem.allowed
    assert_reconciles(result)


def test_out_of_range_date_cell_in_a_workbook(tmp_path):
    import datetime as dt

    path = workbook(tmp_path / "org.xlsx", related_rows("contributors"))
    set_cells(path, "contributors", {(3, "last_involved"): dt.datetime(9999, 12, 31)})
    result = load(tmp_path)
    problem = only(result, "out_of_range")
    assert (problem.sheet, problem.row, problem.column) == ("contributors", 3, "last_involved")
    assert_reconciles(result)


def test_a_file_name_that_is_not_utf8_is_reported_and_the_others_load(tmp_path):
    """A name made on a system using another encoding ('café' in Windows-1252 bytes) made the
    check and the refresh's records stop with a UnicodeEncodeError traceback: every file unread
    (the refresh's file list: test_records_pipeline.py)."""
    workbook(tmp_path / "org.xlsx", related_rows("contributors"))
    odd = os.fsdecode(b"caf\xe9")
    (tmp_path / f"{odd}.xlsx").write_bytes((tmp_path / "org.xlsx").read_bytes())
    folder = csv_folder(tmp_path / "csvs", {"place_surveys": valid_rows()["place_surveys"]})
    (folder / f"{odd}.csv").write_text("a\n1\n")
    result = load(tmp_path)
    problems = {(p.file, p.kind) for p in result.problems}
    assert problems == {("caf\\xe9.xlsx", "unreadable"), ("csvs/caf\\xe9.csv", "unreadable")}, result.problems
    assert result.rejected_files == ["caf\\xe9.xlsx"]
    assert len(result.tables["contributors"]) == len(related_rows("contributors")["contributors"])
    assert len(result.tables["place_surveys"]) == 1
    assert_reconciles(result)


@pytest.mark.parametrize("calendar, typed", [("1900", 2021), ("1904", 2021), ("1900", 21)])
def test_a_year_typed_into_a_date_cell_is_not_a_date_in_1905(tmp_path, calendar, typed):
    """2021 typed into a date-formatted cell is day 2021 of the workbook's calendar: it loaded as
    13 July 1905 (a contributor then counted active 1905-1954, not 2021-2024); 21, as 1900-01-20."""
    from openpyxl.utils.datetime import CALENDAR_MAC_1904

    path = workbook(tmp_path / "org.xlsx", related_rows("contributors"))
    wb = openpyxl.load_workbook(path)
    if calendar == "1904":
        wb.epoch = CALENDAR_MAC_1904
    ws = wb["contributors"]
    cell = ws.cell(2, column_of(ws, "first_involved"))
    cell.value, cell.number_format = typed, "dd/mm/yyyy"
    wb.save(path)
    result = load(tmp_path)
    problem = only(result, "wrong_type")
    assert (problem.sheet, problem.row, problem.column) == ("contributors", 2, "first_involved")
    assert f"was {typed} typed into a date-formatted cell?" in problem.message
    assert_reconciles(result)


@pytest.mark.parametrize("code", ["#N/A", "#NAME?", "#NULL!", "#DIV/0!", "#REF!", "#VALUE!", "#NUM!"])
def test_excel_error_cells_are_errors_not_values(tmp_path, code):
    path = workbook(tmp_path / "org.xlsx", related_rows("contributors"))
    set_cells(path, "contributors", {(2, "contributor_id"): code, (3, "training_hours"): code})
    result = load(tmp_path)
    errors = problems_of(result, "error_cell")
    assert [(p.sheet, p.row, p.column) for p in errors] == [
        ("contributors", 2, "contributor_id"),
        ("contributors", 3, "training_hours"),
    ]
    assert errors[0].message == f"the cell holds the Excel error {code}"
    assert len(result.tables["contributors"]) == len(PEOPLE) - 2  # no phantom contributor
    assert_reconciles(result)


def test_excel_error_text_in_a_csv_is_an_error(tmp_path):
    folder = related_csv_folder(tmp_path / "org_csv", valid_rows(), "contributors")
    path = folder / "contributors.csv"
    path.write_text(path.read_text().replace("PERSON-002", "#N/A"))
    result = load(tmp_path)
    assert only(result, "error_cell").column == "contributor_id"
    assert_reconciles(result)


def test_formula_without_a_saved_result_is_reported(tmp_path):
    path = workbook(tmp_path / "org.xlsx", related_rows("activities"))
    set_cells(path, "activities", {(3, "hours"): "=SUM(1,2)"})  # openpyxl saves no cached value
    result = load(tmp_path)
    problem = only(result, "formula_no_value")
    assert (problem.sheet, problem.row, problem.column) == ("activities", 3, "hours")
    assert_reconciles(result)


def test_merged_cells_are_reported(tmp_path):
    path = workbook(tmp_path / "org.xlsx", related_rows("activities"))

    def merge(ws):
        column = column_of(ws, "notice_days")
        ws.merge_cells(start_row=2, start_column=column, end_row=3, end_column=column)

    edit_sheet(path, "activities", merge)
    result = load(tmp_path)
    problem = only(result, "merged_cell")
    assert (problem.sheet, problem.row, problem.column) == ("activities", 3, "notice_days")
    assert_reconciles(result)


def _declare_huge(path, extra: str = ""):
    """Rewrite a workbook's activities sheet to declare A1:XFD1048576."""
    source = zipfile.ZipFile(path)
    parts = {n: source.read(n) for n in source.namelist()}
    source.close()
    book = parts["xl/workbook.xml"].decode()
    rels = parts["xl/_rels/workbook.xml.rels"].decode()
    rid = re.search(r'<sheet [^>]*name="activities"[^>]*r:id="([^"]+)"', book).group(1)
    target = re.search(rf'Id="{rid}"[^>]*Target="([^"]+)"|Target="([^"]+)"[^>]*Id="{rid}"', rels)
    name = "xl/" + (target.group(1) or target.group(2)).lstrip("/").removeprefix("xl/")
    sheet = re.sub(r'<dimension ref="[^"]*"\s*/>', '<dimension ref="A1:XFD1048576"/>', parts[name].decode())
    parts[name] = sheet.replace("</sheetData>", extra + "</sheetData>").encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for n, data in parts.items():
            out.writestr(n, data)


def test_huge_declared_range_with_little_data_reads_quickly(tmp_path):
    path = workbook(tmp_path / "org.xlsx")
    _declare_huge(path, '<row r="1048576"><c r="XFD1048576" s="0"/></row>')
    result = load(tmp_path)
    assert result.problems == []
    assert len(result.tables["activities"]) == 3
    assert_reconciles(result)


def test_a_value_in_the_last_cell_is_streamed_not_blown_up(tmp_path):
    path = workbook(tmp_path / "org.xlsx")
    _declare_huge(path, '<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>')
    result = load(tmp_path)
    assert len(result.tables["activities"]) == 3
    # The far cell is past the streamed columns: said, never dropped in silence.
    [wide] = [p for p in result.problems if p.sheet == "activities"]
    assert (wide.kind, wide.column) == ("extra_column", "after GR") and "were not read" in wide.message
    assert_reconciles(result)


def test_empty_and_encrypted_workbooks_are_rejected_with_a_reason(tmp_path):
    (tmp_path / "empty.xlsx").write_bytes(b"")
    (tmp_path / "locked.xlsx").write_bytes(
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504 + "EncryptionInfo".encode("utf-16-le") + b"\0" * 512
    )
    (tmp_path / "old.xlsx").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 1024)
    (tmp_path / "org_csv").mkdir()
    (tmp_path / "org_csv" / "activities.csv").write_bytes(b"")
    result = load(tmp_path)
    by_file = {p.file: p for p in result.problems}
    assert "empty (0 bytes)" in by_file["empty.xlsx"].message
    assert "password" in by_file["locked.xlsx"].message
    assert "Excel 97-2003" in by_file["old.xlsx"].message
    assert "empty (0 bytes)" in by_file["org_csv/activities.csv"].message
    assert {p.kind for p in result.problems} == {"unreadable"}
    assert_reconciles(result)


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le"])
def test_utf16_csv(tmp_path, encoding):
    folder = csv_folder(tmp_path / "org_csv")
    for path in folder.glob("*.csv"):
        text = path.read_text(encoding="utf-8").replace("Test Trust", "Caf\u00e9 Trust")
        path.write_bytes(text.encode(encoding))
    result = load(tmp_path)
    assert result.problems == []
    assert "Caf\u00e9 Trust" in set(result.tables["organisations"]["organisation_name"])
    assert len(result.tables["activities"]) == 3


def test_semicolon_csv_as_excel_writes_it_in_other_locales(tmp_path):
    import csv

    folder = csv_folder(tmp_path / "org_csv")
    for path in folder.glob("*.csv"):
        rows = list(csv.reader(path.open(newline="", encoding="utf-8")))
        with open(path, "w", newline="", encoding="utf-8-sig") as handle:
            csv.writer(handle, delimiter=";").writerows(rows)
    result = load(tmp_path)
    assert result.problems == []
    assert sorted(result.links["programmes__local_authority_codes"]["value"]) == ["E06000015", "E06000018"]
    assert len(result.tables["activities"]) == 3


def test_csv_with_empty_lines_keeps_row_numbers(tmp_path):
    folder = csv_folder(tmp_path / "org_csv")
    path = folder / "activities.csv"
    lines = path.read_text().splitlines()
    path.write_text("\n".join(lines[:2] + [""] + lines[2:]).replace("T-A3,", "T-A3-bad-id-" + "x" * 200 + ",") + "\n")
    result = load(tmp_path)
    assert [(p.row, p.column) for p in problems_of(result, "too_long")] == [(5, "activity_id")]


@pytest.mark.parametrize("empty_line", [False, True], ids=["read by DuckDB", "read by Python"])
def test_a_free_text_cell_longer_than_pythons_csv_field_limit_is_read_by_either_reader(tmp_path, empty_line):
    """Notes of 150,000 characters (Python's csv module refuses fields over 131,072 by default): DuckDB's
    reader takes them, and so must Python's, which reads the same file when it has an empty line, else
    the whole file was called unreadable there and its rows lost."""
    rows = related_rows("activities")
    rows["activities"][1]["notes"] = "n" * 150_000
    folder = related_csv_folder(tmp_path / "org_csv", rows, "activities")
    path = folder / "activities.csv"
    if empty_line:
        lines = path.read_text(encoding="utf-8").split("\n")
        path.write_text("\n".join(lines[:2] + [""] + lines[2:]), encoding="utf-8")
    result = load(tmp_path)
    assert result.problems == []
    assert list(result.tables["activities"]["activity_id"]) == ["T-A1", "T-A2", "T-A3"]


def test_a_cell_of_more_than_2_mb_read_by_python_is_a_message_not_a_traceback(tmp_path):
    """A method cell of 1,100,000 'é' in a Windows-1252 file (read by Python's csv module): its rows
    reach DuckDB as CSV in memory, where the cell is 2.2 MB of UTF-8, over DuckDB's default line size
    of 2,000,000 bytes; that read raised a traceback. The cell is now reported as any other."""
    rows = related_rows("activities")
    rows["activities"][0]["method"] = "\u00e9" * 1_100_000
    folder = related_csv_folder(tmp_path / "org_csv", rows, "activities")
    path = folder / "activities.csv"
    path.write_bytes(path.read_text(encoding="utf-8").encode("cp1252"))
    result = load(tmp_path)
    assert [(p.row, p.column) for p in problems_of(result, "unknown_value")] == [(2, "method")]
    assert_reconciles(result)


def test_symlinks_are_refused_with_a_message(tmp_path):
    records = tmp_path / "records"
    workbook(records / "org.xlsx")
    outside = tmp_path / "elsewhere"
    workbook(outside / "secret.xlsx")
    os.symlink(outside / "secret.xlsx", records / "linked.xlsx")
    os.symlink(outside, records / "linked_folder")
    os.symlink(records / "org.xlsx", records / "again.xlsx")
    result = load(records)
    by_file = {p.file: p for p in result.problems}
    assert set(by_file) == {"linked.xlsx", "linked_folder", "again.xlsx"}
    assert all(p.kind == "link" for p in by_file.values())
    assert "outside the records folder" in by_file["linked.xlsx"].message
    assert "outside the records folder" in by_file["linked_folder"].message
    assert "inside" not in by_file["again.xlsx"].message and "another file" in by_file["again.xlsx"].message
    assert len(result.tables["activities"]) == 3  # only org.xlsx, once
    assert_reconciles(result)


def test_damaged_workbook_is_rejected_whole(tmp_path):
    path = workbook(tmp_path / "org.xlsx")
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    result = load(tmp_path)
    [problem] = result.problems
    assert (problem.file, problem.kind) == ("org.xlsx", "unreadable")
    assert result.rejected_files == ["org.xlsx"]
    assert_reconciles(result)


def test_utf8_bom_and_windows_line_endings(tmp_path):
    folder = csv_folder(tmp_path / "org_csv")
    for path in folder.glob("*.csv"):
        path.write_bytes(codecs.BOM_UTF8 + path.read_text().replace("\n", "\r\n").encode())
    result = load(tmp_path)
    assert result.problems == []
    assert len(result.tables["activities"]) == 3


def test_unknown_header_in_a_workbook_never_reaches_the_quarantine_values(tmp_path):
    path = workbook(tmp_path / "org.xlsx")

    def edit(ws):
        ws.cell(1, ws.max_column + 1).value = "Phone 07700 900123"
        ws.cell(2, ws.max_column).value = "07700 900123"

    edit_sheet(path, "activities", edit)
    result = load(tmp_path)
    assert "07700 900123" not in repr(result.quarantine.to_dict())
    assert only(result, "extra_column").column == "Phone 07700 900123"  # shown to the officer only


def test_openpyxl_written_error_cells_round_trip(tmp_path):
    """openpyxl stores '#N/A' typed into a cell as an error value (t="e"), as Excel does."""
    path = workbook(tmp_path / "org.xlsx")
    set_cells(path, "contributors", {(2, "contributor_id"): "#N/A"})
    with zipfile.ZipFile(path) as archive:
        assert any(b't="e"' in archive.read(n) for n in archive.namelist() if n.startswith("xl/worksheets/"))
    assert openpyxl.load_workbook(path)["contributors"].cell(2, 1).data_type == "e"


def _csv_unheaded(folder, case):
    path = folder / "organisations.csv"
    lines = path.read_bytes().split(b"\r\n")  # the header and two organisations, then an empty end
    if case == "trailing empty header cell":  # as Excel saves a sheet with something typed in column E
        lines = [line + b"," for line in lines[:3]] + lines[3:]
        lines[1] += b"a note"
    elif case == "row longer than the header":
        lines[2] += b",a note"
    else:  # an empty header cell between two named ones
        lines = [line.replace(b",", b",,", 1) for line in lines]
        lines[1] = lines[1].replace(b",,", b",a note,", 1)
    path.write_bytes(b"\r\n".join(lines))


@pytest.mark.parametrize(
    ("case", "where"),
    [
        ("trailing empty header cell", (2, None)),  # None: the column right of the header's last
        ("row longer than the header", (3, None)),
        ("empty header cell", (2, "B")),
        ("workbook", (3, None)),
    ],
)
def test_a_value_in_a_column_with_no_header_is_reported_not_dropped_in_silence(tmp_path, case, where):
    """Something typed beside the table (a note in the next column, a column whose header was deleted)
    is not read, and the check says so once per sheet, naming the first such cell, whichever way the
    file is read (DuckDB's reader, Python's csv module, a workbook). Nothing else changes: the rows
    load. About 0.3 s of CPU per case (0.2 s more for the landing's reading)."""
    from openpyxl.utils import get_column_letter

    rows = {"organisations": valid_rows()["organisations"]}
    width = len(TABLES_BY_NAME["organisations"].columns)
    row, letter = where[0], where[1] or get_column_letter(width + 1)
    if case == "workbook":
        path = workbook(tmp_path / "org.xlsx", rows)
        edit_sheet(path, "organisations", lambda ws: ws.cell(3, width + 1, "a note"))
    else:
        folder = csv_folder(tmp_path / "org_csv", rows)
        for other in folder.glob("*.csv"):
            if other.name not in ("organisations.csv", "framework_points.csv"):
                other.unlink()
        _csv_unheaded(folder, case)
    results = [ingest(tmp_path, key=None, known_lad_codes=LADS, keep_rows=False)]
    if case == "trailing empty header cell":  # and as a landing reads it, keeping the rows
        results.append(load(tmp_path))
    for result in results:
        problem = only(result, "unheaded_value")
        assert (problem.sheet, problem.row, problem.column) == ("organisations", row, letter)
        assert "not read" in problem.message
        assert len(result.problems) == 1, result.problems
        counts = [r[3:] for r in result.reconciliation_rows() if r[2] == "organisations"]
        assert counts == [("read", 2, 2, 0)], counts


def test_a_date_before_the_activity_it_follows_is_inconsistent_and_quarantined(tmp_path):
    """A decision, its feedback to participants or participants' feedback dated before the activity it
    is about cannot be true (it counted as a quick "you said, we did" closure): inconsistent, the row
    quarantined, as for an activity in an area its programme does not serve. The day of the activity
    itself is fine. The CSV path, with and without kept rows, is compared in test_records_check_mode.py.
    About 0.9 s here (a loaded machine; each test_out_of_range_counts case took 1.3 s beside it)."""
    import datetime as dt

    rows = with_feedback(related_rows("influence_log"))
    rows["influence_log"][0]["fed_back_date"] = dt.date(2023, 5, 31)  # T-A1 took place on 2023-06-01
    rows["influence_log"][1]["decision_date"] = dt.date(2023, 9, 1)  # the day of T-A2: fine
    rows["participant_feedback"][0]["collected_date"] = dt.date(2023, 5, 1)  # about T-A1
    workbook(tmp_path / "org.xlsx", rows)
    result = load(tmp_path)
    found = [(p.file, p.sheet, p.row, p.column, p.message, p.allowed) for p in problems_of(result, "inconsistent")]
    allowed = "a date on or after the activity's activity_date"
    assert found == [
        (
            "org.xlsx",
            "influence_log",
            2,
            "fed_back_date",
            "2023-05-31 is before 2023-06-01, the date of activity 'T-A1'",
            allowed,
        ),
        (
            "org.xlsx",
            "participant_feedback",
            2,
            "collected_date",
            "2023-05-01 is before 2023-06-01, the date of activity 'T-A1'",
            allowed,
        ),
    ]
    assert len(result.problems) == 2, result.problems
    assert list(result.tables["influence_log"]["recommendation_id"]) == ["T-R2"]
    assert list(result.tables["participant_feedback"]["feedback_id"]) == ["T-F2"]
    assert_reconciles(result)
